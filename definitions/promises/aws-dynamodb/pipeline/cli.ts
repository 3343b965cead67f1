import { kratixPaths, runWorkflow, type WorkflowAction, type WorkflowPaths } from './workflow.js';

/** Somewhere to write a line (stdout, stderr, or a test's buffer). */
export type LineSink = (line: string) => void;

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The pipeline's command line. Kratix sets `KRATIX_WORKFLOW_ACTION`; paths default to the
 * Kratix mounts and can be moved with `--input-dir=` / `--output-dir=` / `--metadata-dir=`
 * or `KRATIX_INPUT_DIR` / `KRATIX_OUTPUT_DIR` / `KRATIX_METADATA_DIR`. Returns the exit code:
 * 0 for an accepted and for a refused request (the refusal suspends the workflow, see
 * workflow.ts), 1 only when the pipeline itself broke (unreadable input, unwritable output),
 * 2 for a wrong invocation.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: LineSink,
  err: LineSink,
): Promise<number> {
  const action = flag(argv, 'action') ?? env['KRATIX_WORKFLOW_ACTION'] ?? 'configure';
  if (action !== 'configure' && action !== 'delete') {
    err(`unknown workflow action ${JSON.stringify(action)}: expected configure or delete`);
    return 2;
  }
  const paths: WorkflowPaths = {
    inputDir: flag(argv, 'input-dir') ?? env['KRATIX_INPUT_DIR'] ?? kratixPaths.inputDir,
    outputDir: flag(argv, 'output-dir') ?? env['KRATIX_OUTPUT_DIR'] ?? kratixPaths.outputDir,
    metadataDir: flag(argv, 'metadata-dir') ?? env['KRATIX_METADATA_DIR'] ?? kratixPaths.metadataDir,
  };
  try {
    const report = await runWorkflow(action satisfies WorkflowAction, paths);
    if (report.problems.length > 0) {
      err(`DynamoDBRequest refused, workflow suspended:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
    } else {
      out(report.message);
    }
    for (const file of report.written) out(`wrote ${file}`);
    return 0;
  } catch (error) {
    err(`pipeline failed: ${String(error)}`);
    return 1;
  }
}
