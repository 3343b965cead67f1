/**
 * The wait a `Retry-After` header asks for, in milliseconds (RFC 9110 §10.2.3): delay-seconds or
 * an HTTP date, measured from `now`. `undefined` when absent or not one of the two.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  // An IMF-fixdate always names the weekday and GMT; Date.parse would also take "5" or "tomorrow".
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
