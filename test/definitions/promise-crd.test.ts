import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedRegions, billingModes } from '../../definitions/promises/aws-dynamodb/pipeline/table-request.js';
import { celMirror, celRules } from './crd-rules.js';
import { loadPromise, promiseValidator, requestSchema } from './promise-crd.js';
import { containerValidator } from './schema-validation.js';

let promise: Record<string, any>;
beforeAll(async () => {
  promise = await loadPromise();
});

type Node = Record<string, any>;

/** Every schema node below the root, with its path. */
function nodes(node: Node, path = ''): [string, Node][] {
  const children: [string, Node][] = [
    ...Object.entries((node['properties'] ?? {}) as Record<string, Node>).map(([k, v]): [string, Node] => [`${path}.${k}`, v]),
    ...(node['items'] ? [[`${path}[]`, node['items'] as Node] as [string, Node]] : []),
    ...(typeof node['additionalProperties'] === 'object' ? [[`${path}{}`, node['additionalProperties'] as Node] as [string, Node]] : []),
  ];
  return children.flatMap(([p, child]) => [[p, child] as [string, Node], ...nodes(child, p)]);
}

describe('the aws-dynamodb Promise', () => {
  it('is a Kratix Promise whose api is the DynamoDBRequest CRD the component renders', () => {
    expect(promise['apiVersion']).toBe('platform.kratix.io/v1alpha1');
    expect(promise['kind']).toBe('Promise');
    const crd = promise['spec']['api'];
    expect(crd['apiVersion']).toBe('apiextensions.k8s.io/v1');
    expect(crd['kind']).toBe('CustomResourceDefinition');
    // The component definition's workload type is `<plural>.<group>`.
    expect(`${crd['spec']['names']['plural']}.${crd['spec']['group']}`).toBe('dynamodbrequests.dynamodb.kratix.io');
    expect(crd['metadata']['name']).toBe('dynamodbrequests.dynamodb.kratix.io');
    expect(crd['spec']['names']['kind']).toBe('DynamoDBRequest');
    expect(crd['spec']['versions'].map((v: Node) => [v['name'], v['served'], v['storage']])).toEqual([['v1alpha1', true, true]]);
    // Kratix reports conditions (which the component's health policy reads) through status.
    expect(crd['spec']['versions'][0]['subresources']).toEqual({ status: {} });
  });

  it('has a resource configure and a resource delete pipeline, each a Kratix Pipeline with named containers', () => {
    const resource = promise['spec']['workflows']['resource'];
    for (const action of ['configure', 'delete']) {
      const pipelines = resource[action] as Node[];
      expect(pipelines.length, action).toBeGreaterThan(0);
      for (const pipeline of pipelines) {
        expect(pipeline['apiVersion']).toBe('platform.kratix.io/v1alpha1');
        expect(pipeline['kind']).toBe('Pipeline');
        expect(pipeline['metadata']['name']).toMatch(/^[a-z0-9-]+$/);
        for (const container of pipeline['spec']['containers'] as Node[]) {
          expect(container['name']).toMatch(/^[a-z0-9-]+$/);
          expect(container['image']).toMatch(/^[\w./-]+:[\w.-]+$/);
        }
      }
    }
  });

  it("runs pipeline containers that are valid Kubernetes containers (Kratix's Pipeline spec holds core/v1 Containers)", async () => {
    const validate = await containerValidator();
    const resource = promise['spec']['workflows']['resource'];
    const containers = [...resource['configure'], ...resource['delete']].flatMap((p: Node) => p['spec']['containers'] as Node[]);
    for (const container of containers) expect(validate(container)).toEqual([]);
    expect(validate({ name: 'x', image: 'y', command: 'node' })).toEqual([expect.stringContaining('/command must be array')]);
  });

  it('has a structural schema: every field typed, list-map keys required', () => {
    const schema = requestSchema(promise) as Node;
    for (const [path, node] of nodes(schema)) {
      if (node['x-kubernetes-preserve-unknown-fields'] === true && node['type'] === undefined) continue;
      expect(node['type'], path).toMatch(/^(object|array|string|integer|number|boolean)$/);
      if (node['x-kubernetes-list-type'] === 'map') {
        for (const key of node['x-kubernetes-list-map-keys'] as string[]) expect(node['items']['required'], path).toContain(key);
      }
    }
  });

  it('mirrors every CEL rule in the offline checker (upstream-schemas.test holds the whole set)', () => {
    for (const rule of celRules(requestSchema(promise) as never)) expect(celMirror, rule).toHaveProperty([rule]);
  });

  it('is a valid Kratix Promise (upstream CRD, strict), and a broken one is refused', async () => {
    const validate = await promiseValidator();
    expect(validate(promise)).toEqual([]);
    const broken = structuredClone(promise);
    broken['spec']['destinationSelectors'] = [{ matchLabels: { environment: 1 } }];
    broken['spec']['workflow'] = broken['spec']['workflows'];
    expect(validate(broken)).toEqual([
      expect.stringContaining('/spec must NOT have additional properties {"additionalProperty":"workflow"}'),
      expect.stringContaining('/spec/destinationSelectors/0/matchLabels/environment must be string'),
    ]);
  });

  it('schedules its ACK Tables only to destinations carrying its label, which the guide tells the platform team to set', async () => {
    const selectors = promise['spec']['destinationSelectors'] as Node[];
    expect(selectors).toHaveLength(1);
    const labels = Object.entries(selectors[0]?.['matchLabels'] as Record<string, string>);
    expect(labels.length).toBeGreaterThan(0);
    const guide = await readFile(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    for (const [key, value] of labels) expect(guide).toContain(`kubectl label destinations <destination> ${key}=${value}`);
  });

  it('allows the same regions and billing modes as the pipeline', () => {
    const spec = (requestSchema(promise) as Node)['properties']['spec']['properties'];
    expect(spec['region']['enum']).toEqual([...allowedRegions]);
    expect(spec['billingMode']['enum']).toEqual([...billingModes]);
  });
});
