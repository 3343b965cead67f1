/** URL-safe base64 without padding (RFC 4648 §5): the alphabet of tokens, handles and cursors. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The base64url alphabet: each character's index is the 6 bits it spells. */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The first `length` characters of `toBase64Url(bytes)`, encoding only the bytes they need: a
 * handle takes 22 characters of a 32-byte hash and a home 4, on every create and resolve.
 */
export function base64UrlPrefix(bytes: Uint8Array, length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    text += BASE64URL_ALPHABET.charAt(a >> 2) + BASE64URL_ALPHABET.charAt(((a & 3) << 4) | (b >> 4)) + BASE64URL_ALPHABET.charAt(((b & 15) << 2) | (c >> 6)) + BASE64URL_ALPHABET.charAt(c & 63);
  }
  return text.slice(0, length);
}

/** The bytes of URL-safe base64 text; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
