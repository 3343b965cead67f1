import { runCli } from './cli.js';

// The container's entry point: everything testable lives in cli.ts.
process.exitCode = await runCli(
  process.argv.slice(2),
  process.env,
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
