import { isSessionHandle, placeToken, randomSecretGenerator, userHome } from '../core/index.js';
import { nodeSha256 } from './node-sha256.js';

/**
 * The handle the service would give a new session of `userId` (anonymous when absent): a fresh
 * issued token, placed as `SessionService.create` places it, so stores see handles of the real
 * shape and home (a user's sessions share one).
 */
export async function benchHandle(userId?: string): Promise<string> {
  const home = userId === undefined ? undefined : await userHome(userId, nodeSha256);
  const secret = randomSecretGenerator.next();
  // An issued token is `<home>.<secret>`; an anonymous one's home is a hash of its secret in the
  // core, and any 4 characters of the secret spread just as well.
  const token = `${home ?? secret.slice(0, 4)}.${secret}`;
  const { handle } = await placeToken(token, home, nodeSha256);
  if (!isSessionHandle(handle)) throw new Error(`not a handle: ${handle}`);
  return handle;
}

/** `count` handles, one user each (`<prefix><i>`), the worst case for a store's per-user index. */
export async function benchHandles(count: number, userOf: (index: number) => string | undefined): Promise<string[]> {
  const handles: string[] = [];
  for (let i = 0; i < count; i++) handles.push(await benchHandle(userOf(i)));
  return handles;
}
