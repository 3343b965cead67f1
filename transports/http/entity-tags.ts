import { HttpProblem } from './problem.js';

/** A parsed `If-Match` or `If-None-Match`: `*`, or the entity tags it lists. */
export type EntityTagCondition = { readonly any: true } | { readonly any: false; readonly tags: readonly EntityTag[] };

/** One entity tag of a list. */
export interface EntityTag {
  readonly weak: boolean;
  /** What is between the quotes. */
  readonly opaque: string;
}

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
// Lists (§5.6.1) are separated by commas with optional spaces or tabs, and empty elements are
// allowed; anything else between the tags (a bare word, a quote inside a tag) is malformed.
const LIST_ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(?:,|$)/y;

/**
 * Parses a conditional header: `undefined` when it is absent, 400 `malformed-header` when it is
 * neither `*` nor a list of entity tags. Node joins repeated headers with ", ", so a header sent
 * twice is one list.
 */
export function parseEntityTags(name: string, header: string | undefined): EntityTagCondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const tags: EntityTag[] = [];
  LIST_ELEMENT.lastIndex = 0;
  while (LIST_ELEMENT.lastIndex < header.length) {
    const at = LIST_ELEMENT.lastIndex;
    const match = LIST_ELEMENT.exec(header);
    if (!match || LIST_ELEMENT.lastIndex === at) throw malformed(name);
    if (match[2] !== undefined) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
  }
  if (tags.length === 0) throw malformed(name);
  return { any: false, tags };
}

function malformed(name: string): HttpProblem {
  return new HttpProblem('malformed-header', `${name} must be * or a list of entity tags, like "3", "4".`);
}

/** The strong entity tag of a session version (its ETag). */
export function versionTag(version: number): string {
  return `"${version}"`;
}

const VERSION = /^[1-9][0-9]{0,14}$/;

/** The versions an entity tag list names, by the strong comparison `If-Match` uses: weak tags never match. */
export function strongVersions(tags: readonly EntityTag[]): number[] {
  return tags.filter((tag) => !tag.weak && VERSION.test(tag.opaque)).map((tag) => Number(tag.opaque));
}

/** Whether `version` is named by the list under the weak comparison `If-None-Match` uses. */
export function weaklyNames(tags: readonly EntityTag[], version: number): boolean {
  const opaque = String(version);
  return tags.some((tag) => tag.opaque === opaque);
}
