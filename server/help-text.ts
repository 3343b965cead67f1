import { SETTINGS } from './config.js';
import { VERSION } from './version.js';

/** The commands of the bin, in the order `--help` lists them. */
export const COMMANDS = [
  ['serve', 'serve the HTTP API (the default when no command is given)'],
  ['create-table', 'create the DynamoDB table named by DYNAMODB_TABLE_NAME (harmless if it exists)'],
  ['--help, -h', 'show this help'],
  ['--version, -v', 'print the version'],
] as const;

/** `session-api --help`: the commands, then every setting with its default, from the declarations `loadConfig` reads. */
export function helpText(): string {
  const width = (rows: readonly (readonly string[])[]): number => Math.max(...rows.map(([name]) => name?.length ?? 0)) + 2;
  const commandWidth = width(COMMANDS);
  const settings = Object.values(SETTINGS).map((setting) => [setting.name, setting.defaultText ?? '(unset)', setting.meaning] as const);
  const nameWidth = width(settings);
  const defaultWidth = Math.max(...settings.map(([, fallback]) => fallback.length)) + 2;
  return [
    `session-api ${VERSION}: session management over HTTP`,
    '',
    'Usage: session-api [command]',
    '',
    'Commands:',
    ...COMMANDS.map(([name, meaning]) => `  ${name.padEnd(commandWidth)}${meaning}`),
    '',
    'Settings (environment variables; a bad value stops start-up with one line naming it, exit code 2):',
    `  ${'name'.padEnd(nameWidth)}${'default'.padEnd(defaultWidth)}meaning`,
    ...settings.map(([name, fallback, meaning]) => `  ${name.padEnd(nameWidth)}${fallback.padEnd(defaultWidth)}${meaning}`),
    '',
    'AWS credentials come from the AWS SDK\'s usual chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, roles).',
    'Logs are JSON lines on stdout; LOG_FORMAT=pretty (or piping them to `npx pino-pretty`) makes them readable.',
    '',
  ].join('\n');
}
