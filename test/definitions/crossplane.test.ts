import { beforeAll, describe, expect, it } from 'vitest';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { allowedRegions } from '../../definitions/promises/aws-dynamodb/pipeline/table-request.js';
import { compose, compositeValidator, fieldPath, withSchemaDefaults } from './crossplane.js';
import { loadDefinition, loadKubernetesManifests } from './manifests.js';
import { kubernetesValidators, readYamlDocuments, upstream, upstreamCrdValidator, type Validator } from './schema-validation.js';
import { envValue, serviceContainer, serviceSettings } from './service-settings.js';
import { tableLayoutOfUpbound } from './table-layouts.js';

/** The Crossplane v2 variant: definitions/crossplane/ and its example SessionApp. */

type Json = Record<string, any>;
const tableCrd = 'provider-upjet-aws/dynamodb.aws.m.upbound.io_tables.yaml';

let xrd: Json;
let composition: Json;
let xr: Json;
let input: Json;
let byName: Record<string, Json>;
let toComposite: Json[];
let k8s: Readonly<Record<string, Validator>>;

beforeAll(async () => {
  xrd = await loadDefinition('crossplane/definition.yaml');
  composition = await loadDefinition('crossplane/composition.yaml');
  xr = await loadDefinition('examples/session-app-crossplane.yaml');
  input = composition['spec']['pipeline'][0]['input'] as Json;
  const result = compose(input, withSchemaDefaults(xrd, 'v1alpha1', xr));
  byName = Object.fromEntries(result.composed.map((c) => [c.name, c.resource]));
  toComposite = result.toComposite;
  k8s = await kubernetesValidators();
});

/** Does a structural schema declare this field path? */
function declares(schema: Json, path: string): boolean {
  let node: Json | undefined = schema;
  for (const segment of fieldPath(path)) node = typeof segment === 'number' ? node?.['items'] : node?.['properties']?.[segment];
  return node !== undefined;
}

const xrSchema = () => xrd['spec']['versions'][0]['schema']['openAPIV3Schema'] as Json;

describe('the CompositeResourceDefinition', () => {
  it("validates against Crossplane's XRD CRD (v2.3.4, apiextensions.crossplane.io/v2, strict), and a broken one is refused", async () => {
    const validate = await upstreamCrdValidator('crossplane/apiextensions.crossplane.io_compositeresourcedefinitions.yaml', 'v2');
    expect(validate(xrd)).toEqual([]);
    const broken = structuredClone(xrd);
    broken['spec']['names']['plural'] = 'SessionApps';
    broken['spec']['claimNames'] = { kind: 'SessionAppClaim', plural: 'sessionappclaims' };
    delete broken['spec']['versions'][0]['referenceable'];
    expect(validate(broken)).toEqual([
      expect.stringContaining("/spec/versions/0 must have required property 'referenceable'"),
      expect.stringContaining("/spec: Claims aren't supported in apiextensions.crossplane.io/v2"),
      expect.stringContaining('/spec/names: Plural name must be lowercase'),
    ]);
  });

  it('allows the regions the platform allows (the same list as the Kratix pipeline and Promise)', () => {
    expect(xrSchema()['properties']['spec']['properties']['region']['enum']).toEqual([...allowedRegions]);
  });
});

describe('the Composition', () => {
  it("validates against Crossplane's Composition CRD (strict), and a broken one is refused", async () => {
    const validate = await upstreamCrdValidator('crossplane/apiextensions.crossplane.io_compositions.yaml', 'v1');
    expect(validate(composition)).toEqual([]);
    const broken = structuredClone(composition);
    broken['spec']['pipeline'] = undefined;
    delete broken['spec']['pipeline'];
    broken['spec']['compositeTypeRef'] = { kind: 'SessionApp' };
    expect(validate(broken)).toEqual([
      expect.stringContaining("/spec/compositeTypeRef must have required property 'apiVersion'"),
      expect.stringContaining('/spec: an array of pipeline steps is required in Pipeline mode'),
    ]);
  });

  it('composes the XRD\'s kind, with function-patch-and-transform then function-auto-ready', () => {
    expect(composition['spec']['compositeTypeRef']).toEqual({ apiVersion: `${xrd['spec']['group']}/v1alpha1`, kind: xrd['spec']['names']['kind'] });
    expect((composition['spec']['pipeline'] as Json[]).map((s) => s['functionRef']['name'])).toEqual(['function-patch-and-transform', 'function-auto-ready']);
  });

  it("has an input that validates against function-patch-and-transform's input CRD (v0.10.8, strict), and a broken one is refused", async () => {
    const validate = await upstreamCrdValidator('function-patch-and-transform/pt.fn.crossplane.io_resources.yaml', 'v1beta1', { apiObject: false });
    expect(validate(input)).toEqual([]);
    const broken = structuredClone(input);
    broken['resources'][0]['patches'][0]['type'] = 'FromCompositeField';
    broken['resources'][1]['patch'] = [];
    expect(validate(broken)).toEqual([
      expect.stringContaining('/resources/0/patches/0/type must be equal to one of the allowed values'),
      expect.stringContaining('/resources/1 must NOT have additional properties {"additionalProperty":"patch"}'),
    ]);
  });

  it('patches only from fields the XRD declares, and writes status from fields the provider declares', async () => {
    const [provider] = await readYamlDocuments(upstream(tableCrd));
    const tableSchema = provider?.['spec']['versions'][0]['schema']['openAPIV3Schema'] as Json;
    for (const resource of input['resources'] as Json[]) {
      for (const patch of resource['patches'] as Json[]) {
        if (patch['type'] === 'FromCompositeFieldPath') {
          expect(patch['fromFieldPath'] === 'metadata.name' || declares(xrSchema(), patch['fromFieldPath'] as string), patch['fromFieldPath']).toBe(true);
        } else {
          expect(resource['name']).toBe('table');
          expect(declares(tableSchema, patch['fromFieldPath'] as string), patch['fromFieldPath']).toBe(true);
          expect(declares(xrSchema(), patch['toFieldPath'] as string), patch['toFieldPath']).toBe(true);
        }
      }
    }
    expect(toComposite.map((p) => p['toFieldPath'])).toEqual(['status.tableArn']);
  });
});

describe('the example SessionApp', () => {
  it('validates against the CRD Crossplane generates from the XRD, and broken ones are refused', async () => {
    const validate = await compositeValidator(xrd, 'v1alpha1');
    expect(validate(xr)).toEqual([]);
    const broken = structuredClone(xr);
    broken['spec']['region'] = 'mars-north-1';
    broken['spec']['tableName'] = 'x';
    expect(validate(broken)).toEqual([
      expect.stringContaining('/spec/tableName must match pattern'),
      expect.stringContaining('/spec/region must be equal to one of the allowed values'),
    ]);
  });

  it("composes a Table that validates against the Upbound provider's namespaced Table CRD (v2.6.0) and has the store's layout", async () => {
    const table = byName['table'] as Json;
    expect((await upstreamCrdValidator(tableCrd, 'v1beta1'))(table)).toEqual([]);
    expect(tableLayoutOfUpbound(table)).toEqual(sessionTableLayout);
    // The layout has no index, so any declared one (an empty list too) is drift the reader keeps.
    for (const declared of [[{ name: 'by-id', hashKey: 'id', projectionType: 'ALL' }], []]) {
      const indexed = structuredClone(table);
      indexed['spec']['forProvider']['globalSecondaryIndex'] = declared;
      expect(tableLayoutOfUpbound(indexed)).not.toEqual(sessionTableLayout);
    }
    expect(table['metadata']['annotations']).toEqual({ 'crossplane.io/external-name': xr['spec']['tableName'] });
    expect(table['spec']['forProvider']['region']).toBe(xr['spec']['region']);
  });

  it('composes a Deployment and a Service that validate against the Kubernetes schemas', () => {
    expect(k8s['apps/v1/Deployment']?.(byName['deployment'])).toEqual([]);
    expect(k8s['v1/Service']?.(byName['service'])).toEqual([]);
    const deployment = byName['deployment'] as Json;
    expect(deployment['metadata']).toEqual({ name: xr['metadata']['name'], namespace: xr['metadata']['namespace'] });
    expect(deployment['spec']['replicas']).toBe(2);
    expect(byName['service']?.['spec']['selector']).toEqual(deployment['spec']['template']['metadata']['labels']);
    expect(deployment['spec']['selector']['matchLabels']).toEqual(deployment['spec']['template']['metadata']['labels']);
  });

  it('points the service at its table, and has the same settings and probes as the plain Deployment', async () => {
    const container = serviceContainer(byName['deployment'] as Json);
    expect(envValue(container, 'DYNAMODB_TABLE_NAME')).toBe(xr['spec']['tableName']);
    expect(envValue(container, 'AWS_REGION')).toBe(xr['spec']['region']);
    expect(envValue(container, 'API_TOKENS')).toEqual({ secretKeyRef: { name: 'session-api-tokens', key: 'API_TOKENS' } });
    const plain = await loadKubernetesManifests();
    expect(serviceSettings(byName['deployment'] as Json, byName['service'] as Json)).toEqual(
      serviceSettings(plain['Deployment'] as Json, plain['Service'] as Json),
    );
    expect(container['securityContext']).toEqual(serviceContainer(plain['Deployment'] as Json)['securityContext']);
    expect(container['lifecycle']).toEqual(serviceContainer(plain['Deployment'] as Json)['lifecycle']);
  });
});
