import { ConfigError, type Config } from './config.js';

/** The optional packages, and what to run when one is missing. */
const OPTIONAL_PACKAGES: readonly { readonly test: RegExp; readonly needs: string; readonly install: string }[] = [
  { test: /^ioredis$/, needs: 'the Redis store needs ioredis', install: 'npm i ioredis' },
  {
    test: /^@aws-sdk\//,
    needs: 'the DynamoDB store and create-table need the AWS SDK',
    install: 'npm i @aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb',
  },
  { test: /^pino-pretty$/, needs: 'LOG_FORMAT=pretty needs pino-pretty', install: 'npm i pino-pretty' },
];

/** "the Redis store needs ioredis, which is not installed: npm i ioredis", for an import that failed on one. */
export function missingPackageReason(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const name = /Cannot find package '([^']+)'/.exec(error.message)?.[1];
  const known = name === undefined ? undefined : OPTIONAL_PACKAGES.find((candidate) => candidate.test.test(name));
  return known && `${known.needs}, which is not installed: ${known.install}`;
}

/** What the listener's errors mean for the person who set HOST and PORT. */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use (PORT)',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s (HOST)',
  EACCES: 'permission denied (ports below 1024 need privileges; PORT)',
  ENOTFOUND: 'the host name does not resolve (HOST)',
  EAI_AGAIN: 'the host name could not be resolved (HOST)',
  EAFNOSUPPORT: 'the address family is not supported here (HOST)',
};

/**
 * One line for a start-up failure that is the operator's to fix (a setting, an install), or
 * `undefined` for anything else, which is a bug or an outage and is logged with its stack. Like
 * a bad setting, these exit with code 2.
 */
export function startUpFailureLine(error: unknown, config: Pick<Config, 'host' | 'port'>): string | undefined {
  // A setting only the opened store could judge (EVENTS_ENABLED on a store that cannot record events).
  if (error instanceof ConfigError) return error.message;
  const missing = missingPackageReason(error);
  if (missing !== undefined) return missing;
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const listening = syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo';
  const reason = code === undefined ? undefined : LISTEN_ERRORS[code];
  return listening && reason !== undefined ? `cannot listen on ${config.host} port ${config.port}: ${reason}` : undefined;
}
