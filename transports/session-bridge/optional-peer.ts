/**
 * Loads a framework a shell is for (an optional peer dependency of session-api), so that importing
 * the shell where it is not installed fails at once with what to install, instead of a resolution
 * error from deep inside the package or an app that starts and never stores a session.
 * `load` is the shell's own dynamic import of the package, so bundlers and type checkers still see it.
 */
export async function loadOptionalPeer<T>(name: string, entry: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, name)) {
      throw new Error(`${entry} needs ${name}, an optional peer dependency of session-api: npm i ${name}`, { cause: error });
    }
    throw error;
  }
}

/** Whether `error` says the package `name` itself could not be found (not one of its own imports). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${name}'`);
}
