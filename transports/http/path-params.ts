import type { Context } from 'koa';
import { HttpProblem } from './problem.js';

/** The names of a path template's parameters, in order: `/sessions/{id}` has `id`. */
export function paramNamesOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

/** The router's form of a path template: `/sessions/:id`. */
export function routerPathOf(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The path parameters of the matched route, percent-decoded here rather than by the router:
 * the router passes an undecodable segment on as raw text, which a store would then be asked
 * about. Invalid percent-encoding and text that is not well-formed Unicode are a 400, before
 * any handler runs.
 */
export function decodeParams(ctx: Context, names: readonly string[]): Record<string, string> {
  const captures = (ctx as Context & { captures?: readonly (string | undefined)[] }).captures ?? [];
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const raw = captures[index] ?? '';
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw malformed(name);
    }
    // decodeURIComponent refuses encoded surrogates; this stays true if that ever changes.
    if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) throw malformed(name);
    params[name] = value;
  });
  return params;
}

function malformed(name: string): HttpProblem {
  return new HttpProblem('malformed-path', `The ${name} in the path has invalid percent-encoding or is not well-formed Unicode.`);
}
