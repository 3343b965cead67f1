import { InvalidInputError } from './errors.js';
import { textByteLength, type JsonObject } from './json.js';

// The JSON text of data objects whose text is known already: the core's check made it, or
// `jsonObjectForm` made the object from it. The write that follows the check (the store's) takes
// the text instead of a second `JSON.stringify`, and the note goes with that: it serves one write.
// So an object the caller changes in place after a write, and writes again through a store
// directly (no check), is serialised anew. Weak, so an unused note goes with its object. Objects
// a store reads are not noted: their reader may change them in place before writing them.
const texts = new WeakMap<object, { readonly text: string; vouched: boolean }>();

/**
 * Notes that `text` is the JSON text of `data`, exactly `JSON.stringify(data)` (the text the
 * checks made); answers `data`.
 */
export function withJsonText<T extends JsonObject>(data: T, text: string): T {
  texts.set(data, { text, vouched: false });
  return data;
}

/** `JSON.stringify(data)`, without stringifying again when the text is noted (and then forgotten). */
export function takeJsonText(data: JsonObject): string {
  const noted = texts.get(data);
  if (noted === undefined) return JSON.stringify(data);
  texts.delete(data);
  return noted.text;
}

/**
 * The JSON form of `value` (`JSON.parse(JSON.stringify(value))`: how a framework's session object,
 * with its class instances and Dates, is stored), remembered with its text: the next `checkData`
 * of it checks the text (one scan) instead of walking the object, since the object is that text's
 * parse, so it is to be checked as it is: a change made to it before that check is not seen (the
 * check and the write take the text). Undefined for a value whose JSON is no object;
 * `InvalidInputError` for none at all.
 */
export function jsonObjectForm(value: unknown): JsonObject | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: say what is wrong, never echo the value (it may hold secrets).
    throw new InvalidInputError('session', 'must be serialisable as JSON');
  }
  if (text === undefined || text.charCodeAt(0) !== 123 /* { */) return undefined;
  const parsed = JSON.parse(text) as JsonObject;
  texts.set(parsed, { text, vouched: true });
  return parsed;
}

/** The text `jsonObjectForm` made `data` from, once (the first check after it); `undefined` otherwise. */
export function takeVouchedText(data: object): string | undefined {
  const entry = texts.get(data);
  if (entry === undefined || !entry.vouched) return undefined;
  entry.vouched = false;
  return entry.text;
}

/** What `checkData` asks of JSON text that `JSON.stringify` wrote, against a depth limit. */
export interface JsonTextVerdict {
  /** Whether it nests deeper than the limit. */
  readonly tooDeep: boolean;
  /** Whether a string in it holds a lone surrogate. */
  readonly loneSurrogate: boolean;
  /** Its size in UTF-8 bytes. */
  readonly bytes: number;
}

/**
 * {@link jsonTextFacts} against `maxDepth`, without the character-by-character scan where two
 * searches settle it (a framework session's usual text): text with at most `maxDepth` brackets
 * in all nests no deeper, and text without `\ud` holds no lone surrogate (`JSON.stringify`
 * escapes exactly those, as `\udXXX` in lower case). Anything else is scanned.
 */
export function jsonTextVerdict(text: string, maxDepth: number): JsonTextVerdict {
  if (!text.includes('\\ud') && bracketsAtMost(text, maxDepth)) return { tooDeep: false, loneSurrogate: false, bytes: textByteLength(text) };
  const facts = jsonTextFacts(text);
  return { tooDeep: facts.depth > maxDepth, loneSurrogate: facts.loneSurrogate, bytes: facts.bytes };
}

const OPENING_BRACKETS = ['{', '['] as const;

/** Whether `text` holds at most `most` of `{` and `[` together (in strings too: an upper bound on its depth). */
function bracketsAtMost(text: string, most: number): boolean {
  let count = 0;
  for (const open of OPENING_BRACKETS) {
    for (let at = text.indexOf(open); at !== -1; at = text.indexOf(open, at + 1)) if (++count > most) return false;
  }
  return true;
}

/** What a check needs to know of JSON text that `JSON.stringify` wrote. */
export interface JsonTextFacts {
  /** How deeply it nests (`{}` is 1), as `jsonDepth` counts. */
  readonly depth: number;
  /** Whether a string in it holds a lone surrogate (`JSON.stringify` escapes exactly those as `\udXXX`). */
  readonly loneSurrogate: boolean;
  /** Its size in UTF-8 bytes. */
  readonly bytes: number;
}

/**
 * One pass over JSON text as `JSON.stringify` writes it (so well-formed: a paired surrogate is
 * kept raw, a lone one escaped): its depth, lone surrogates and UTF-8 size.
 */
export function jsonTextFacts(text: string): JsonTextFacts {
  let depth = 0;
  let deepest = 0;
  let bytes = 0;
  let inString = false;
  let loneSurrogate = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4; // a pair: its low half is part of this character
      i++;
      continue;
    } else bytes += 3;
    if (inString) {
      if (c === 34 /* " */) inString = false;
      else if (c === 92 /* \ */) {
        // An escape: `\udXXX` with X from 8 to f is a surrogate, which stringify escapes only when lone.
        if (text.charCodeAt(i + 1) === 117 /* u */ && text.charCodeAt(i + 2) === 100 /* d */) {
          const h = text.charCodeAt(i + 3);
          if ((h >= 56 /* 8 */ && h <= 57) || (h >= 97 /* a */ && h <= 102)) loneSurrogate = true;
        }
        bytes += 1; // the escaped character is ASCII
        i++;
      }
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) deepest = Math.max(deepest, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return { depth: deepest, loneSurrogate, bytes };
}
