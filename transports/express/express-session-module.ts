import type expressSession from 'express-session';

/**
 * express-session, an optional peer dependency: loaded here, once, so that importing
 * `session-api/express` without it installed fails with one error that says what to install
 * instead of a resolution error from deep inside the package.
 */
export const expressSessionModule: typeof expressSession = await loadExpressSession();

async function loadExpressSession(): Promise<typeof expressSession> {
  try {
    return (await import('express-session')).default;
  } catch (error) {
    if (isMissing(error, 'express-session')) {
      throw new Error('session-api/express needs express-session, an optional peer dependency of session-api: npm i express-session', {
        cause: error,
      });
    }
    throw error;
  }
}

/** Whether `error` says the package `name` itself could not be found (not one of its own imports). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${name}'`);
}
