/** The base64url alphabet: each character's index is the 6 bits it spells. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The two characters of every 12 bits. */
const PAIRS = Array.from({ length: 4096 }, (_, bits) => BASE64URL_ALPHABET.charAt(bits >>> 6) + BASE64URL_ALPHABET.charAt(bits & 63));

/**
 * URL-safe base64 without padding (RFC 4648 §5): the alphabet of tokens, handles and cursors.
 * Written from a table three bytes at a time: every create and resolve encodes a hash, and
 * `btoa` of a binary string, then three replacements, cost about twice as much.
 */
export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const bits = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    text += PAIRS[bits >>> 12]! + PAIRS[bits & 4095]!;
  }
  if (bytes.length - whole === 1) {
    text += PAIRS[bytes[whole]! << 4]!;
  } else if (bytes.length - whole === 2) {
    const bits = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    text += PAIRS[bits >>> 12]! + BASE64URL_ALPHABET.charAt((bits >>> 6) & 63);
  }
  return text;
}

/** The bytes of URL-safe base64 text; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
