// The last year `toISOString` writes with four digits: 9999-12-31T23:59:59.999Z.
const FOUR_DIGIT_YEARS_END = 253_402_300_800_000;
const SLOTS = 256;
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));
const seconds = new Float64Array(SLOTS).fill(-1);
const prefixes = new Array<string>(SLOTS).fill('');

/**
 * `new Date(ms).toISOString()`, without a `Date` per call: the text up to the seconds
 * (`2026-01-01T00:00:00.`) is kept for recently seen seconds, in a small table indexed by the
 * second. A session's times, and the sessions of one moment, share seconds, so most calls only
 * append the milliseconds. Instants outside years 0000-9999, and fractions, take the slow way.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= FOUR_DIGIT_YEARS_END) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  const slot = second % SLOTS;
  if (seconds[slot] !== second) {
    seconds[slot] = second;
    prefixes[slot] = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${prefixes[slot]}${MILLIS[ms - second * 1000]}Z`;
}
