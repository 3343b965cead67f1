import type { DestinationStream } from 'pino';

/**
 * Log lines for people (LOG_FORMAT=pretty): pino-pretty, in this process and synchronously, so a
 * fatal line is written before the process exits and the secret scrubber still sees every line
 * first. pino-pretty is an optional peer dependency: a missing one is reported by the caller.
 */
export async function openPrettyLogStream(): Promise<DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    destination: 1,
    sync: true,
    colorize: process.stdout.isTTY === true,
    singleLine: true,
    translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'service',
  });
}
