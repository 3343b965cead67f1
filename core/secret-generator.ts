import { randomSecret } from './session-handle.js';

/** Makes the secret part of issued tokens. The default draws 256 bits from the platform's CSPRNG. */
export interface SecretGenerator {
  /** A new, unguessable secret: 43 characters of `[A-Za-z0-9_-]`. */
  next(): string;
}

/** 256 bits from `crypto.getRandomValues`, the Web Crypto CSPRNG. */
export const randomSecretGenerator: SecretGenerator = { next: randomSecret };
