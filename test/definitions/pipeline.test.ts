import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { runCli } from '../../definitions/promises/aws-dynamodb/pipeline/cli.js';
import { configure, RequestRefusedError, tableManifestName } from '../../definitions/promises/aws-dynamodb/pipeline/workflow.js';
import { ackTableSchema } from './ack-table-schema.js';
import { invalidTables, sessionTable, validTables, type TableProperties } from './table-configs.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const validateAckTable = new Ajv({ allErrors: true, strict: true }).compile(ackTableSchema);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kratix-pipeline-'));
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
    expect(validateAckTable(table), JSON.stringify(validateAckTable.errors)).toBe(true);
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
          { attributeName: 'id', attributeType: 'S' },
          { attributeName: 'userId', attributeType: 'S' },
        ],
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        globalSecondaryIndexes: [
          {
            indexName: 'userId-id-index',
            keySchema: [
              { attributeName: 'userId', keyType: 'HASH' },
              { attributeName: 'id', keyType: 'RANGE' },
            ],
            projection: { projectionType: 'ALL' },
          },
        ],
        timeToLive: { attributeName: 'expiresAtSeconds', enabled: true },
      },
    });
    // The ACK Table is the adapter's layout, field for field.
    expect(table['spec']['keySchema']).toEqual(
      sessionTableLayout.keySchema.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType })),
    );
    expect(table['spec']['globalSecondaryIndexes'][0]['indexName']).toBe(sessionTableLayout.userIndex.IndexName);
    expect(table['spec']['timeToLive']['attributeName']).toBe(sessionTableLayout.ttlAttribute);

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
      expect(validateAckTable(table), JSON.stringify(validateAckTable.errors)).toBe(true);
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

  for (const [name, { properties, message }] of Object.entries(invalidTables)) {
    it(`refuses ${name}, scheduling nothing`, async () => {
      const kratix = await kratixWith(request(properties));
      const { code, err } = await cli('configure', kratix);
      expect(code).toBe(1);
      expect(err).toContain('DynamoDBRequest refused:');
      expect(err).toContain(message);
      expect(await readdir(kratix.outputDir)).toEqual([]);
      const status = parse(await readFile(join(kratix.metadataDir, 'status.yaml'), 'utf8')) as Record<string, unknown>;
      expect(status['valid']).toBe(false);
      expect(status['message']).toContain(message);
    });
  }

  it('throws a RequestRefusedError listing every problem when called directly', async () => {
    const kratix = await kratixWith(request({ ...sessionTable, region: 'nowhere-1', billingMode: 'FREE' }));
    const refusal = await configure(kratix).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RequestRefusedError);
    expect((refusal as RequestRefusedError).problems).toEqual([
      expect.stringContaining('region "nowhere-1"'),
      expect.stringContaining('billingMode "FREE"'),
    ]);
  });

  it('refuses input that is no DynamoDBRequest at all', async () => {
    const kratix = await kratixWith('just: text\n');
    const { code, err } = await cli('configure', kratix);
    expect(code).toBe(1);
    expect(err).toContain('the request has no spec');
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

  it('exits 0 on a valid request and non-zero, with the reasons on stderr, on an invalid one', async () => {
    const good = await kratixWith(request(sessionTable));
    const ok = await run('node', [join(built, 'main.js'), ...good.args], { env: { ...process.env, KRATIX_WORKFLOW_ACTION: 'configure' } });
    expect(ok.stdout).toContain('requested in us-west-2');

    const bad = await kratixWith(request(invalidTables['two HASH keys (the design document: id and userId both HASH)']?.properties ?? {}));
    const failed = await run('node', [join(built, 'main.js'), ...bad.args], { env: { ...process.env, KRATIX_WORKFLOW_ACTION: 'configure' } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('keySchema must have exactly one HASH key, found 2');
  });
});
