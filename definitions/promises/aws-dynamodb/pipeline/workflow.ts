import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { toAckTable } from './ack-table.js';
import { tableProblems } from './table-rules.js';
import { readTableRequest } from './table-request.js';

/** Where Kratix mounts a pipeline's files; configurable so tests run in temporary directories. */
export interface WorkflowPaths {
  readonly inputDir: string;
  readonly outputDir: string;
  readonly metadataDir: string;
}

/** The Kratix defaults: `/kratix/input`, `/kratix/output`, `/kratix/metadata`. */
export const kratixPaths: WorkflowPaths = {
  inputDir: '/kratix/input',
  outputDir: '/kratix/output',
  metadataDir: '/kratix/metadata',
};

/** The workflow Kratix is running, from its `KRATIX_WORKFLOW_ACTION`. */
export type WorkflowAction = 'configure' | 'delete';

/** What a finished workflow did, for the log. */
export interface WorkflowReport {
  readonly action: WorkflowAction;
  readonly message: string;
  readonly written: readonly string[];
  /** Every rule the request breaks, one sentence each; empty when it was accepted. */
  readonly problems: readonly string[];
}

/** The name of the manifest the configure workflow schedules. */
export const tableManifestName = 'dynamodb-table.yaml';

/**
 * The file through which a pipeline controls its workflow (Kratix SDK contract, `WriteSuspend`):
 * `suspend: true` stops the workflow, schedules nothing, and Kratix surfaces `message` in
 * `status.kratix.workflows.pipelines[].message`.
 */
export const workflowControlName = 'workflow-control.yaml';

async function readObject(paths: WorkflowPaths): Promise<unknown> {
  return parse(await readFile(join(paths.inputDir, 'object.yaml'), 'utf8'));
}

async function writeStatus(paths: WorkflowPaths, status: Record<string, unknown>): Promise<string> {
  await mkdir(paths.metadataDir, { recursive: true });
  const file = join(paths.metadataDir, 'status.yaml');
  await writeFile(file, stringify(status));
  return file;
}

/**
 * Configure: validate the request and write the ACK Table for Kratix to schedule, plus a
 * status for the requester.
 *
 * A refused request suspends the workflow and exits normally, as the SDK contract says. It
 * must not fail the container: Kratix runs pipeline containers as init containers with its
 * status writer after them, so a failing container stops the pod before `status.yaml` is
 * merged, and the requester would see a generic failure instead of the reasons.
 */
export async function configure(paths: WorkflowPaths): Promise<WorkflowReport> {
  const read = readTableRequest(await readObject(paths));
  const problems = read.ok ? tableProblems(read.request.spec) : read.problems;
  if (!read.ok || problems.length > 0) {
    const message = `Refused: ${problems.join('; ')}`;
    const status = await writeStatus(paths, { message, valid: false });
    const control = join(paths.metadataDir, workflowControlName);
    await writeFile(control, stringify({ suspend: true, message }));
    return { action: 'configure', message, written: [status, control], problems };
  }
  const { request } = read;
  const table = toAckTable(request);
  await mkdir(paths.outputDir, { recursive: true });
  const manifest = join(paths.outputDir, tableManifestName);
  await writeFile(manifest, stringify(table));
  const message = `Table ${request.spec.tableName} requested in ${request.spec.region}`;
  const status = await writeStatus(paths, {
    message,
    valid: true,
    tableName: request.spec.tableName,
    region: request.spec.region,
    billingMode: request.spec.billingMode,
    ackTable: { apiVersion: table.apiVersion, kind: table.kind, name: table.metadata.name, namespace: table.metadata.namespace },
  });
  return { action: 'configure', message, written: [manifest, status], problems: [] };
}

/**
 * Delete: Kratix itself withdraws what the configure workflow scheduled, so the ACK Table
 * disappears from the destination and the ACK controller deletes the DynamoDB table. This
 * workflow schedules nothing (Kratix ignores a delete workflow's output) and never refuses:
 * a request that was invalid must still be deletable, or its finalizer would hang forever.
 */
export async function release(paths: WorkflowPaths): Promise<WorkflowReport> {
  let described = 'the requested table';
  try {
    const document = await readObject(paths);
    const spec = (document as { spec?: { tableName?: unknown; region?: unknown } } | null)?.spec;
    if (typeof spec?.tableName === 'string') described = `table ${spec.tableName} in ${String(spec.region)}`;
  } catch {
    // Unreadable input changes nothing: Kratix removes the scheduled Table regardless.
  }
  return {
    action: 'delete',
    message: `Releasing ${described}: Kratix withdraws the scheduled ACK Table and the ACK controller deletes it`,
    written: [],
    problems: [],
  };
}

/** Run the workflow Kratix asked for. */
export async function runWorkflow(action: WorkflowAction, paths: WorkflowPaths): Promise<WorkflowReport> {
  return action === 'configure' ? configure(paths) : release(paths);
}
