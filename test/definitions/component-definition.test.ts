import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { allowedRegions } from '../../definitions/promises/aws-dynamodb/pipeline/table-request.js';
import { invalidTables, validTables } from './table-configs.js';
import { upstreamCrdValidator } from './schema-validation.js';
import {
  componentContext,
  componentDefinitionManifest,
  evaluateStatus,
  readDefinition,
  renderHeader,
  renderTemplate,
  type DefinitionParts,
} from './kubevela-render.js';
import { loadPromise, requestValidator } from './promise-crd.js';

const definitionFile = new URL('../../definitions/components/aws-dynamodb-kratix.cue', import.meta.url).pathname;
const context = componentContext('user-sessions-table-kratix', 'session-api-app-kratix');

let parts: DefinitionParts;
let validateRequest: (object: unknown) => string[];
let header: Record<string, any>;

beforeAll(async () => {
  parts = await readDefinition(definitionFile);
  // Unknown fields refused: a property the CUE sends and the CRD would prune is a bug.
  validateRequest = await requestValidator(await loadPromise());
  const rendered = await renderHeader(parts);
  if (!rendered.ok) throw new Error(rendered.error);
  header = rendered.value['aws-dynamodb-kratix'] as Record<string, any>;
});

describe('aws-dynamodb-kratix header', () => {
  it('is a component whose workload is the Promise\'s DynamoDBRequest', () => {
    expect(header['type']).toBe('component');
    expect(header['attributes']['workload']).toEqual({
      definition: { apiVersion: 'dynamodb.kratix.io/v1alpha1', kind: 'DynamoDBRequest' },
      type: 'dynamodbrequests.dynamodb.kratix.io',
    });
  });
});

describe('aws-dynamodb-kratix as the ComponentDefinition vela def apply makes of it', () => {
  it('validates against KubeVela\'s ComponentDefinition CRD (strict), and a broken one is refused', async () => {
    const validate = await upstreamCrdValidator('kubevela/core.oam.dev_componentdefinitions.yaml', 'v1beta1');
    const manifest = componentDefinitionManifest('aws-dynamodb-kratix', header, parts) as Record<string, any>;
    expect(validate(manifest)).toEqual([]);
    manifest['spec']['status']['healthPolicies'] = manifest['spec']['status']['healthPolicy'];
    manifest['spec']['workload']['definition'] = { apiVersion: 'dynamodb.kratix.io/v1alpha1' };
    expect(validate(manifest)).toEqual([
      expect.stringContaining('/spec/status must NOT have additional properties {"additionalProperty":"healthPolicies"}'),
      expect.stringContaining("/spec/workload/definition must have required property 'kind'"),
    ]);
  });
});

describe('aws-dynamodb-kratix parameters', () => {
  it('allow the same regions as the Promise\'s pipeline (and, by promise-crd.test, its CRD)', async () => {
    const source = await readFile(definitionFile, 'utf8');
    const declared = /\bregion: ((?:"[a-z0-9-]+"(?: \| )?)+)/.exec(source)?.[1] ?? '';
    expect(declared.split(' | ').map((r) => JSON.parse(r) as string)).toEqual([...allowedRegions]);
  });
});

describe('aws-dynamodb-kratix renders valid tables into requests the CRD accepts', () => {
  for (const [name, properties] of Object.entries(validTables)) {
    it(name, async () => {
      const rendered = await renderTemplate(parts, context, properties);
      if (!rendered.ok) throw new Error(rendered.error);
      expect(rendered.value['errs']).toEqual([]);
      const output = rendered.value['output'] as Record<string, any>;
      expect(output['apiVersion']).toBe('dynamodb.kratix.io/v1alpha1');
      expect(output['kind']).toBe('DynamoDBRequest');
      expect(output['metadata']).toEqual({ name: 'user-sessions-table-kratix' });
      // Everything the developer asked for reaches the request, defaults filled in.
      expect(output['spec']).toMatchObject(properties);
      expect(validateRequest(output)).toEqual([]);
    });
  }
});

describe('invalid tables are refused by the CUE definition and by the CRD schema', () => {
  for (const [name, { properties, message, crdMessage }] of Object.entries(invalidTables)) {
    it(name, async () => {
      const rendered = await renderTemplate(parts, context, properties);
      expect(rendered.ok).toBe(false);
      if (!rendered.ok) expect(rendered.error).toContain(message);

      const request = { apiVersion: 'dynamodb.kratix.io/v1alpha1', kind: 'DynamoDBRequest', metadata: { name: 't' }, spec: properties };
      expect(validateRequest(request).join('\n')).toContain(crdMessage);
    });
  }
});

describe('health: only once Kratix reports the configure workflow completed', () => {
  const live = (conditions: object[] | undefined) => ({
    apiVersion: 'dynamodb.kratix.io/v1alpha1',
    kind: 'DynamoDBRequest',
    metadata: { name: 'user-sessions-table-kratix', generation: 1 },
    spec: validTables['the session table'],
    ...(conditions === undefined ? {} : { status: { conditions } }),
  });
  const cases: [string, object[] | undefined, boolean][] = [
    ['no status yet', undefined, false],
    ['workflow still running', [{ type: 'ConfigureWorkflowCompleted', status: 'False', reason: 'PipelinesInProgress' }], false],
    ['workflow completed', [{ type: 'ConfigureWorkflowCompleted', status: 'True' }], true],
    [
      'workflow completed, work not yet reconciled',
      [
        { type: 'ConfigureWorkflowCompleted', status: 'True' },
        { type: 'Reconciled', status: 'Unknown' },
      ],
      false,
    ],
    [
      'workflow completed and reconciled',
      [
        { type: 'ConfigureWorkflowCompleted', status: 'True' },
        { type: 'Reconciled', status: 'True' },
      ],
      true,
    ],
  ];
  for (const [name, conditions, healthy] of cases) {
    it(name, async () => {
      const result = await evaluateStatus(header['attributes']['status']['healthPolicy'] as string, live(conditions));
      if (!result.ok) throw new Error(result.error);
      expect(result.value['isHealth']).toBe(healthy);
    });
  }

  // The shapes Kratix writes: ConfigureWorkflowCompleted False/PipelinesInProgress at the start of
  // every run, True/PipelinesExecutedSuccessfully at the end, False/ConfigureWorkflowFailed when a
  // container fails; a suspended pipeline in status.kratix.workflows.pipelines.
  const condition = (status: string, reason: string) => ({ type: 'ConfigureWorkflowCompleted', status, reason, message: '', lastTransitionTime: '2026-01-01T00:00:00Z' });
  const refusal = 'Refused: keySchema must have exactly one HASH key, found 2';
  const statuses: [string, object | undefined, string][] = [
    ['no status yet', undefined, 'waiting for the Kratix configure workflow: table user-sessions-kratix in us-west-2'],
    [
      'a run in progress (every run starts so) is no failure',
      { conditions: [condition('False', 'PipelinesInProgress')] },
      'Kratix workflow in progress: table user-sessions-kratix in us-west-2',
    ],
    [
      'completed',
      { conditions: [condition('True', 'PipelinesExecutedSuccessfully')] },
      'Kratix workflow completed: table user-sessions-kratix in us-west-2',
    ],
    [
      'failed',
      { conditions: [condition('False', 'ConfigureWorkflowFailed')] },
      'Kratix workflow failed: table user-sessions-kratix in us-west-2',
    ],
    [
      'refused by the pipeline: suspended, with the reasons',
      {
        message: refusal,
        conditions: [condition('False', 'PipelinesInProgress')],
        kratix: { workflows: { suspendedGeneration: 1, pipelines: [{ name: 'configure-table', phase: 'Suspended', message: refusal }] } },
      },
      `Kratix workflow suspended (table user-sessions-kratix in us-west-2): ${refusal}`,
    ],
    [
      'running again after a suspension was cleared',
      {
        conditions: [condition('False', 'PipelinesInProgress')],
        kratix: { workflows: { pipelines: [{ name: 'configure-table', phase: 'Running' }] } },
      },
      'Kratix workflow in progress: table user-sessions-kratix in us-west-2',
    ],
  ];
  for (const [name, status, message] of statuses) {
    it(`custom status: ${name}`, async () => {
      const object = { ...live(undefined), ...(status === undefined ? {} : { status }) };
      const result = await evaluateStatus(header['attributes']['status']['customStatus'] as string, object);
      if (!result.ok) throw new Error(result.error);
      expect(result.value['message']).toBe(message);
      const health = await evaluateStatus(header['attributes']['status']['healthPolicy'] as string, object);
      if (!health.ok) throw new Error(health.error);
      expect(health.value['isHealth']).toBe(name === 'completed');
    });
  }
});
