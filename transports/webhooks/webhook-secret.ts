/** What a Standard Webhooks symmetric secret looks like as text: `whsec_` then base64 of the key. */
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The specification's bounds on an HMAC key: at least 24 bytes (192 bits), at most 64. */
const KEY_MIN_BYTES = 24;
const KEY_MAX_BYTES = 64;

/**
 * The HMAC key of a Standard Webhooks secret (`whsec_<base64>`): the bytes after the prefix,
 * base64-decoded. Throws, without quoting the value (it is a secret), when the text is not one.
 */
export function webhookSigningKey(secret: string): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : undefined;
  if (encoded === undefined || !BASE64.test(encoded)) {
    throw new Error(`a webhook secret is ${SECRET_PREFIX} followed by base64 (Standard Webhooks)`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < KEY_MIN_BYTES || key.length > KEY_MAX_BYTES) {
    throw new Error(`a webhook secret's key is ${KEY_MIN_BYTES} to ${KEY_MAX_BYTES} bytes (Standard Webhooks); this one has ${key.length}`);
  }
  return key;
}

/** Whether `text` is a Standard Webhooks secret `webhookSigningKey` accepts (for validating a setting). */
export function isWebhookSecret(text: string): boolean {
  try {
    webhookSigningKey(text);
    return true;
  } catch {
    return false;
  }
}
