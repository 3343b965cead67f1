import { createHmac } from 'node:crypto';

/**
 * The `webhook-signature` header of one attempt (Standard Webhooks, symmetric scheme): `v1,` and
 * the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under each key, space-separated, so that a
 * receiver keeps verifying while the secret is rotated (it checks each until one matches).
 */
export function webhookSignature(keys: readonly Uint8Array[], id: string, timestampSeconds: number, body: string): string {
  const signed = `${id}.${timestampSeconds}.${body}`;
  return keys.map((key) => `v1,${createHmac('sha256', key).update(signed).digest('base64')}`).join(' ');
}
