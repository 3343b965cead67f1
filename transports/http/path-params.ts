import { HttpProblem } from './problem.js';

/** The names of a path template's parameters, in order: `/sessions/{id}` has `id`. */
export function paramNamesOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

/** The router's form of a path template: `/sessions/:id`. */
export function routerPathOf(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/** A matched route's path parameters, percent-decoded, and the first that could not be. */
export interface DecodedParams {
  /** Each decoded; one that cannot be is kept as sent (the request log names it so). */
  readonly params: Record<string, string>;
  /** The first parameter with invalid percent-encoding or text that is not well-formed Unicode. */
  readonly malformed: string | undefined;
}

/**
 * The path parameters of the matched route, percent-decoded here rather than by the router:
 * a router passing an undecodable segment on as raw text would have a store asked about it.
 * Invalid percent-encoding and text that is not well-formed Unicode are refused (as
 * {@link malformedPath}) before any handler runs.
 */
export function decodeParams(names: readonly string[], raws: readonly string[]): DecodedParams {
  const params: Record<string, string> = {};
  let malformed: string | undefined;
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const raw = raws[index] ?? '';
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      params[name] = raw;
      malformed ??= name;
      continue;
    }
    // decodeURIComponent refuses encoded surrogates; this stays true if that ever changes.
    if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) malformed ??= name;
    params[name] = value;
  }
  return { params, malformed };
}

/** The 400 for a path parameter {@link decodeParams} could not decode. */
export function malformedPath(name: string): HttpProblem {
  return new HttpProblem('malformed-path', `The ${name} in the path has invalid percent-encoding or is not well-formed Unicode.`);
}
