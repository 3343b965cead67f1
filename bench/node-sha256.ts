import { createHash } from 'node:crypto';
import type { Sha256 } from '../core/index.js';

/** Node's synchronous SHA-256, as the server injects it: the bench makes handles by the million. */
export const nodeSha256: Sha256 = (text) => createHash('sha256').update(text).digest();
