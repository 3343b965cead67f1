import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { runCli } from '../../definitions/promises/aws-dynamodb/pipeline/cli.js';
import { configure, tableManifestName, workflowControlName } from '../../definitions/promises/aws-dynamodb/pipeline/workflow.js';
import { ackTableValidator, type Validator } from './schema-validation.js';
import { invalidTables, sessionTable, validTables, type TableProperties } from './table-configs.js';
import { tableLayoutOfAck } from './table-layouts.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

let scratch: string;
// The ACK dynamodb-controller's own Table CRD (v1.9.2), strict: unknown fields refused.
let validateAckTable: Validator;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kratix-pipeline-'));
  validateAckTable = await ackTableValidator();
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Kratix {
  readonly inputDir: string;
  readonly outputDir: string;
  readonly metadataDir: string;
  readonly args: string[];
}

/** A fresh /kratix tree holding one request, the way Kratix mounts it. */
async function kratixWith(object: unknown): Promise<Kratix> {
  const base = await mkdtemp(join(scratch, 'run-'));
  const dirs = { inputDir: join(base, 'input'), outputDir: join(base, 'output'), metadataDir: join(base, 'metadata') };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d)));
  if (object !== undefined) await writeFile(join(dirs.inputDir, 'object.yaml'), typeof object === 'string' ? object : stringify(object));
  return {
    ...dirs,
    args: [`--input-dir=${dirs.inputDir}`, `--output-dir=${dirs.outputDir}`, `--metadata-dir=${dirs.metadataDir}`],
  };
}

const request = (spec: TableProperties, name = 'user-sessions-table-kratix') => ({
  apiVersion: 'dynamodb.kratix.io/v1alpha1',
  kind: 'DynamoDBRequest',
  metadata: { name, namespace: 'team-a' },
  spec,
});

async function cli(action: string, kratix: Kratix) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(kratix.args, { KRATIX_WORKFLOW_ACTION: action }, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('configure', () => {
  it('turns the session table request into the ACK Table and a status', async () => {
    const kratix = await kratixWith(request(sessionTable));
    const { code, out } = await cli('configure', kratix);
    expect(code).toBe(0);
    expect(out).toContain('Table user-sessions-kratix requested in us-west-2');
    expect(await readdir(kratix.outputDir)).toEqual([tableManifestName]);

    const table = parse(await readFile(join(kratix.outputDir, tableManifestName), 'utf8')) as Record<string, any>;
    expect(validateAckTable(table)).toEqual([]);
    expect(table).toEqual({
      apiVersion: 'dynamodb.services.k8s.aws/v1alpha1',
      kind: 'Table',
      metadata: {
        name: 'user-sessions-table-kratix',
        namespace: 'team-a',
        labels: {
          'app.kubernetes.io/managed-by': 'kratix',
          'dynamodb.kratix.io/request-name': 'user-sessions-table-kratix',
          'dynamodb.kratix.io/request-namespace': 'team-a',
        },
        annotations: { 'services.k8s.aws/region': 'us-west-2' },
      },
      spec: {
        tableName: 'user-sessions-kratix',
        billingMode: 'PAY_PER_REQUEST',
        attributeDefinitions: [
          { attributeName: 'home', attributeType: 'S' },
          { attributeName: 'id', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'home', keyType: 'HASH' },
          { attributeName: 'id', keyType: 'RANGE' },
        ],
        timeToLive: { attributeName: 'expiresAtSeconds', enabled: true },
      },
    });
    // The ACK Table is the adapter's layout, field for field.
    expect(tableLayoutOfAck(table)).toEqual(sessionTableLayout);

    const status = parse(await readFile(join(kratix.metadataDir, 'status.yaml'), 'utf8'));
    expect(status).toEqual({
      message: 'Table user-sessions-kratix requested in us-west-2',
      valid: true,
      tableName: 'user-sessions-kratix',
      region: 'us-west-2',
      billingMode: 'PAY_PER_REQUEST',
      ackTable: { apiVersion: 'dynamodb.services.k8s.aws/v1alpha1', kind: 'Table', name: 'user-sessions-table-kratix', namespace: 'team-a' },
    });
  });

  for (const [name, spec] of Object.entries(validTables)) {
    it(`writes a valid ACK Table for ${name}`, async () => {
      const kratix = await kratixWith(request(spec, 'some-table'));
      expect((await cli('configure', kratix)).code).toBe(0);
      const table = parse(await readFile(join(kratix.outputDir, tableManifestName), 'utf8')) as Record<string, any>;
      expect(validateAckTable(table)).toEqual([]);
      expect(table['spec']['tableName']).toBe(spec['tableName']);
      expect(table['spec']['provisionedThroughput']).toEqual(spec['provisionedThroughput']);
      const tags = spec['tags'] as Record<string, string> | undefined;
      expect(table['spec']['tags']).toEqual(tags && Object.entries(tags).map(([key, value]) => ({ key, value })));
    });
  }

  it('is idempotent: a second run writes the same files', async () => {
    const kratix = await kratixWith(request(sessionTable));
    await cli('configure', kratix);
    const first = await readFile(join(kratix.outputDir, tableManifestName), 'utf8');
    await cli('configure', kratix);
    expect(await readFile(join(kratix.outputDir, tableManifestName), 'utf8')).toBe(first);
    expect(await readdir(kratix.outputDir)).toEqual([tableManifestName]);
  });

  it('writes an ACK Table the upstream CRD would refuse, were a field misspelt (the check is real)', async () => {
    const kratix = await kratixWith(request(sessionTable));
    await cli('configure', kratix);
    const table = parse(await readFile(join(kratix.outputDir, tableManifestName), 'utf8')) as Record<string, any>;
    table['spec']['timeToLive']['attribute'] = table['spec']['timeToLive']['attributeName'];
    table['spec']['keySchema'][0]['keyType'] = 7;
    expect(validateAckTable(table)).toEqual([
      expect.stringContaining('/spec/keySchema/0/keyType must be string'),
      expect.stringContaining('/spec/timeToLive must NOT have additional properties {"additionalProperty":"attribute"}'),
    ]);
  });

  for (const [name, { properties, message }] of Object.entries(invalidTables)) {
    it(`refuses ${name}: schedules nothing, suspends the workflow with the reasons, exits 0`, async () => {
      const kratix = await kratixWith(request(properties));
      const { code, err } = await cli('configure', kratix);
      // Exit 0: Kratix's status writer runs after the pipeline containers and must get to merge
      // the status; a failing container would stop the pod first.
      expect(code).toBe(0);
      expect(err).toContain('DynamoDBRequest refused, workflow suspended:');
      expect(err).toContain(message);
      expect(await readdir(kratix.outputDir)).toEqual([]);
      const status = parse(await readFile(join(kratix.metadataDir, 'status.yaml'), 'utf8')) as Record<string, unknown>;
      expect(status['valid']).toBe(false);
      expect(status['message']).toContain(message);
      const control = parse(await readFile(join(kratix.metadataDir, workflowControlName), 'utf8')) as Record<string, unknown>;
      expect(control).toEqual({ suspend: true, message: status['message'] });
    });
  }

  it('writes no workflow control for an accepted request, so its workflow runs to completion', async () => {
    const kratix = await kratixWith(request(sessionTable));
    await cli('configure', kratix);
    expect((await readdir(kratix.metadataDir)).sort()).toEqual(['status.yaml']);
  });

  it('reports every problem when called directly', async () => {
    const kratix = await kratixWith(request({ ...sessionTable, region: 'nowhere-1', billingMode: 'FREE' }));
    const report = await configure(kratix);
    expect(report.problems).toEqual([
      expect.stringContaining('region "nowhere-1"'),
      expect.stringContaining('billingMode "FREE"'),
    ]);
  });

  it('refuses input that is no DynamoDBRequest at all, the same way', async () => {
    const kratix = await kratixWith('just: text\n');
    const { code, err } = await cli('configure', kratix);
    expect(code).toBe(0);
    expect(err).toContain('the request has no spec');
    expect(await readdir(kratix.metadataDir)).toContain(workflowControlName);
  });

  it('fails (exit 1) only when the pipeline itself cannot work: no input to read', async () => {
    const kratix = await kratixWith(undefined);
    const { code, err } = await cli('configure', kratix);
    expect(code).toBe(1);
    expect(err).toContain('pipeline failed:');
  });

  it('takes its directories from KRATIX_*_DIR as well', async () => {
    const kratix = await kratixWith(request(sessionTable));
    const code = await runCli(
      [],
      {
        KRATIX_WORKFLOW_ACTION: 'configure',
        KRATIX_INPUT_DIR: kratix.inputDir,
        KRATIX_OUTPUT_DIR: kratix.outputDir,
        KRATIX_METADATA_DIR: kratix.metadataDir,
      },
      () => undefined,
      () => undefined,
    );
    expect(code).toBe(0);
    expect(await readdir(kratix.outputDir)).toEqual([tableManifestName]);
  });
});

describe('delete', () => {
  it('schedules nothing and writes no status: Kratix withdraws the configured Table itself', async () => {
    const kratix = await kratixWith(request(sessionTable));
    const { code, out } = await cli('delete', kratix);
    expect(code).toBe(0);
    expect(out).toContain('Releasing table user-sessions-kratix in us-west-2');
    expect(await readdir(kratix.outputDir)).toEqual([]);
    expect(await readdir(kratix.metadataDir)).toEqual([]);
  });

  it('never refuses, so an invalid or unreadable request can still be deleted', async () => {
    for (const object of [request(invalidTables['a bad billing mode']?.properties ?? {}), ': not yaml :', undefined]) {
      const kratix = await kratixWith(object);
      expect((await cli('delete', kratix)).code).toBe(0);
      expect(await readdir(kratix.outputDir)).toEqual([]);
    }
  });
});

it('rejects an unknown workflow action', async () => {
  const kratix = await kratixWith(request(sessionTable));
  const { code, err } = await cli('update', kratix);
  expect(code).toBe(2);
  expect(err).toContain('unknown workflow action "update"');
});

describe('the built entry point (as the pipeline image runs it)', () => {
  let built: string;
  beforeAll(async () => {
    // Inside the repository, so the compiled code resolves `yaml` as the image does.
    await mkdir(join(root, 'test-output'), { recursive: true });
    built = await mkdtemp(join(root, 'test-output', 'pipeline-'));
    await run('npx', ['tsc', '-p', 'definitions/promises/aws-dynamodb/pipeline/tsconfig.json', '--outDir', built], { cwd: root });
    await writeFile(join(built, 'package.json'), '{"type":"module","private":true}\n');
  }, 60_000);
  afterAll(async () => {
    await rm(built, { recursive: true, force: true });
  });

  it('exits 0 on a valid request, and on an invalid one too, with the reasons on stderr and in workflow-control.yaml', async () => {
    const good = await kratixWith(request(sessionTable));
    const ok = await run('node', [join(built, 'main.js'), ...good.args], { env: { ...process.env, KRATIX_WORKFLOW_ACTION: 'configure' } });
    expect(ok.stdout).toContain('requested in us-west-2');

    const bad = await kratixWith(request(invalidTables['two HASH keys (home and id both HASH, where id is the sort key)']?.properties ?? {}));
    const refused = await run('node', [join(built, 'main.js'), ...bad.args], { env: { ...process.env, KRATIX_WORKFLOW_ACTION: 'configure' } });
    expect(refused.stderr).toContain('keySchema must have exactly one HASH key, found 2');
    const control = parse(await readFile(join(bad.metadataDir, workflowControlName), 'utf8')) as Record<string, unknown>;
    expect(control['suspend']).toBe(true);
  });
});
