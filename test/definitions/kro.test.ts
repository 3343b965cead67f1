import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { allowedRegions } from '../../definitions/promises/aws-dynamodb/pipeline/table-request.js';
import { expressionsIn, instanceValidator, renderInstance, simpleSchemaToOpenApi } from './kro.js';
import { loadDefinition, loadKubernetesManifests } from './manifests.js';
import { ackTableValidator, kubernetesValidators, readYamlDocuments, upstream, upstreamCrdValidator, type Validator } from './schema-validation.js';
import { envValue, serviceContainer, serviceSettings } from './service-settings.js';
import { tableLayoutOfAck } from './table-layouts.js';
import { parse } from 'yaml';

/** The KRO variant: definitions/kro/session-app.yaml and its example instance. */

type Json = Record<string, any>;
let rgd: Json;
let instance: Json;
let rendered: Record<string, Json>;
let k8s: Readonly<Record<string, Validator>>;
let validateAckTable: Validator;

beforeAll(async () => {
  rgd = await loadDefinition('kro/session-app.yaml');
  instance = await loadDefinition('examples/session-app-kro.yaml');
  rendered = renderInstance(rgd, instance);
  k8s = await kubernetesValidators();
  validateAckTable = await ackTableValidator();
});

/** Does a structural schema declare this dotted path? */
function declares(schema: Json, path: string[]): boolean {
  let node: Json | undefined = schema;
  for (const part of path) node = node?.['properties']?.[part] as Json | undefined;
  return node !== undefined;
}

describe('the ResourceGraphDefinition', () => {
  it("validates against KRO's CRD (v0.9.3, strict), and a broken one is refused", async () => {
    const validate = await upstreamCrdValidator('kro/kro.run_resourcegraphdefinitions.yaml', 'v1alpha1');
    expect(validate(rgd)).toEqual([]);
    const broken = structuredClone(rgd);
    broken['spec']['resources'][2]['externalRef'] = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } };
    delete broken['spec']['resources'][1]['id'];
    expect(validate(broken)).toEqual([
      expect.stringContaining("/spec/resources/1 must have required property 'id'"),
      expect.stringContaining('/spec/resources/2: exactly one of template or externalRef must be provided'),
    ]);
  });

  it('is read the same way as the upstream example RGD (which templates an ACK Table too)', async () => {
    const example = parse(await readFile(upstream('kro/example-serverless-microservice-rgd.yaml'), 'utf8')) as Json;
    expect((await upstreamCrdValidator('kro/kro.run_resourcegraphdefinitions.yaml', 'v1alpha1'))(example)).toEqual([]);
    expect(simpleSchemaToOpenApi(example['spec']['schema']['spec'] as Json)['required']).toEqual(['region']);
    const table = example['spec']['resources'].find((r: Json) => r['template']?.['kind'] === 'Table');
    expect(table['template']['apiVersion']).toBe(rgd['spec']['resources'][0]['template']['apiVersion']);
  });

  it('allows the regions the platform allows (the same list as the Kratix pipeline and Promise)', () => {
    const spec = simpleSchemaToOpenApi(rgd['spec']['schema']['spec'] as Json);
    expect(spec['properties']['region']['enum']).toEqual([...allowedRegions]);
    expect(spec['required']).toEqual(['tableName', 'region']);
  });

  it("reads status and readiness only from fields the ACK and Kubernetes schemas declare", async () => {
    const [ackCrd] = await readYamlDocuments(upstream('ack/dynamodb.services.k8s.aws_tables.yaml'));
    const schemas: Record<string, Json> = {
      table: ackCrd?.['spec']['versions'][0]['schema']['openAPIV3Schema'] as Json,
      deployment: JSON.parse(await readFile(upstream('kubernetes/v1.36-standalone-strict/deployment-apps-v1.json'), 'utf8')) as Json,
    };
    const read = [
      ...expressionsIn(rgd['spec']['schema']['status']),
      ...(rgd['spec']['resources'] as Json[]).flatMap((r) => expressionsIn(r['readyWhen'] ?? [])),
    ];
    expect(read.length).toBeGreaterThan(0);
    for (const { expression } of read) {
      for (const [, id, path] of expression.matchAll(/\b(table|deployment)\.((?:status|spec)(?:\.\w+)+)/g)) {
        expect(declares(schemas[id ?? ''] ?? {}, (path ?? '').split('.')), `${id}.${path}`).toBe(true);
      }
    }
  });
});

describe('the example SessionApp', () => {
  it('validates against the CRD KRO generates from the SimpleSchema, and broken ones are refused', async () => {
    const validate = await instanceValidator(rgd);
    expect(validate(instance)).toEqual([]);
    const broken = structuredClone(instance);
    broken['spec']['region'] = 'mars-north-1';
    broken['spec']['replicas'] = 'two';
    broken['spec']['tablename'] = 'typo';
    expect(validate(broken)).toEqual([
      expect.stringContaining('/spec must NOT have additional properties {"additionalProperty":"tablename"}'),
      expect.stringContaining('/spec/region must be equal to one of the allowed values'),
      expect.stringContaining('/spec/replicas must be integer'),
    ]);
  });

  it('renders an ACK Table that validates against the ACK CRD and has the store\'s layout', () => {
    const table = rendered['table'] as Json;
    expect(validateAckTable(table)).toEqual([]);
    expect(tableLayoutOfAck(table)).toEqual(sessionTableLayout);
    // The layout has no index, so any declared one (an empty list too) is drift the reader keeps.
    for (const declared of [[{ indexName: 'by-id', keySchema: [{ attributeName: 'id', keyType: 'HASH' }], projection: { projectionType: 'ALL' } }], []]) {
      const indexed = structuredClone(table);
      indexed['spec']['globalSecondaryIndexes'] = declared;
      expect(tableLayoutOfAck(indexed)).not.toEqual(sessionTableLayout);
    }
    expect(table['spec']['tableName']).toBe(instance['spec']['tableName']);
    expect(table['metadata']['annotations']).toEqual({ 'services.k8s.aws/region': instance['spec']['region'] });
  });

  it('renders a Deployment and a Service that validate against the Kubernetes schemas', () => {
    expect(k8s['apps/v1/Deployment']?.(rendered['deployment'])).toEqual([]);
    expect(k8s['v1/Service']?.(rendered['service'])).toEqual([]);
    // Defaults applied: the replica count is an integer, not the text of an expression.
    expect(rendered['deployment']?.['spec']['replicas']).toBe(2);
  });

  it('points the service at its table, and has the same settings and probes as the plain Deployment', async () => {
    const container = serviceContainer(rendered['deployment'] as Json);
    expect(envValue(container, 'DYNAMODB_TABLE_NAME')).toBe(instance['spec']['tableName']);
    expect(envValue(container, 'AWS_REGION')).toBe(instance['spec']['region']);
    const plain = await loadKubernetesManifests();
    expect(serviceSettings(rendered['deployment'] as Json, rendered['service'] as Json)).toEqual(
      serviceSettings(plain['Deployment'] as Json, plain['Service'] as Json),
    );
    // And the same security context and shutdown timing, which KRO's full templates can carry.
    const podSpec = (d: Json) => ({ ...d['spec']['template']['spec'], containers: undefined, serviceAccountName: undefined, automountServiceAccountToken: undefined });
    expect(podSpec(rendered['deployment'] as Json)).toEqual(podSpec(plain['Deployment'] as Json));
    expect(container['securityContext']).toEqual(serviceContainer(plain['Deployment'] as Json)['securityContext']);
    expect(container['lifecycle']).toEqual(serviceContainer(plain['Deployment'] as Json)['lifecycle']);
  });
});
