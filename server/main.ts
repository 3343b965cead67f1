#!/usr/bin/env node
import { secretScrubber } from './secret-scrubber.js';
import { missingPackageReason } from './start-up-failure.js';
import { VERSION } from './version.js';

// The bin. Configuration comes from the environment only; `--help` lists it.
const scrub = secretScrubber(process.env);
const [command, ...extra] = process.argv.slice(2);
const say = (line: string): void => {
  process.stderr.write(`${scrub(`session-api: ${line}`)}\n`);
};
const refuse = (line: string): never => {
  say(line);
  process.exit(2);
};
/** A missing optional package is the operator's to fix (exit 2); any other failed import is a bug. */
const refuseMissing = (prefix: string) => (error: unknown): never => {
  const reason = missingPackageReason(error);
  if (reason === undefined) throw error;
  return refuse(`${prefix}${reason}`);
};
// A crash is a bug; its stack still goes through the scrubber, like every other line.
process.on('uncaughtException', (error) => {
  say(`crashed: ${error.stack ?? String(error)}`);
  process.exit(1);
});

if (extra.length > 0) refuse(`unexpected argument "${extra[0]}"; see session-api --help`);
switch (command) {
  case '--help':
  case '-h':
  case 'help': {
    // Imported here: it reads the settings' declarations, which the other commands load themselves.
    const { helpText } = await import('./help-text.js');
    process.stdout.write(helpText());
    break;
  }
  case '--version':
  case '-v':
    process.stdout.write(`${VERSION}\n`);
    break;
  case 'create-table': {
    // Imported only here: the AWS SDK is an optional dependency.
    const { runCreateTableCommand } = await import('./create-table-command.js').catch(refuseMissing('create-table: '));
    process.exit(
      await runCreateTableCommand({
        env: process.env,
        stdout: (line) => process.stdout.write(`${scrub(line)}\n`),
        stderr: (line) => process.stderr.write(`${scrub(line)}\n`),
      }),
    );
    break;
  }
  case undefined:
  case 'serve': {
    const { runServeCommand } = await import('./serve-command.js');
    await runServeCommand(scrub);
    break;
  }
  default:
    refuse(`unknown command "${command}"; see session-api --help`);
}
