import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import {
  kubernetesQuantity,
  resourceParameters,
  scalerParameters,
  webserviceParameters,
} from './kubevela-parameters.js';
import { componentContext, readDefinition, renderTemplate } from './kubevela-render.js';
import { loadPromise, requestValidator } from './promise-crd.js';
import { sessionTable } from './table-configs.js';

const exampleFile = new URL('../../definitions/examples/session-management-app-kratix.yaml', import.meta.url);
const definitionFile = new URL('../../definitions/components/aws-dynamodb-kratix.cue', import.meta.url).pathname;

type Node = Record<string, any>;
let app: Node;
let table: Node;
let service: Node;

// Union types: the resource trait takes cpu as a number or a string.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
function problems(schema: object, value: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
const env = (name: string): Node | undefined => (service['properties']['env'] as Node[]).find((e) => e['name'] === name);
const trait = (type: string): Node => (service['traits'] as Node[]).find((t) => t['type'] === type) as Node;

beforeAll(async () => {
  app = parse(await readFile(exampleFile, 'utf8')) as Node;
  const components = app['spec']['components'] as Node[];
  table = components.find((c) => c['name'] === 'user-sessions-table-kratix') as Node;
  service = components.find((c) => c['name'] === 'session-api-kratix') as Node;
});

describe('the example Application', () => {
  it('is the KubeVela Application session-api-app-kratix with the two components', () => {
    expect(app['apiVersion']).toBe('core.oam.dev/v1beta1');
    expect(app['kind']).toBe('Application');
    expect(app['metadata']['name']).toBe('session-api-app-kratix');
    expect((app['spec']['components'] as Node[]).map((c) => [c['name'], c['type']])).toEqual([
      ['user-sessions-table-kratix', 'aws-dynamodb-kratix'],
      ['session-api-kratix', 'webservice'],
    ]);
  });

  describe('its table', () => {
    it('is user-sessions-kratix in us-west-2, on demand', () => {
      expect(table['properties']).toMatchObject({ tableName: 'user-sessions-kratix', region: 'us-west-2', billingMode: 'PAY_PER_REQUEST' });
    });

    it('follows the DynamoDB store\'s layout constant exactly', () => {
      expect(table['properties']).toEqual(sessionTable);
      const keys = table['properties']['keySchema'] as Node[];
      expect(keys).toEqual([{ attributeName: 'id', keyType: 'HASH' }]);
      // The TTL attribute is no key, so DynamoDB forbids defining it.
      const defined = (table['properties']['attributeDefinitions'] as Node[]).map((a) => a['attributeName']);
      expect(defined).not.toContain(sessionTableLayout.ttlAttribute);
      expect(table['properties']['timeToLive']).toEqual({ attributeName: sessionTableLayout.ttlAttribute, enabled: true });
    });

    it('renders through the component definition into a request the Promise accepts', async () => {
      const parts = await readDefinition(definitionFile);
      const rendered = await renderTemplate(parts, componentContext(table['name'] as string, 'session-api-app-kratix'), table['properties'] as Node);
      if (!rendered.ok) throw new Error(rendered.error);
      expect((await requestValidator(await loadPromise()))(rendered.value['output'])).toEqual([]);
    });
  });

  describe('its session API', () => {
    it('fits the webservice parameters: probe ports present, env values strings, ports numbers', () => {
      expect(problems(webserviceParameters, service['properties'])).toEqual([]);
    });

    it('runs session-api:latest, exposing 8080, probing /health and /ready there', () => {
      const properties = service['properties'];
      expect(properties['image']).toBe('session-api:latest');
      expect(properties['ports']).toEqual([{ port: 8080, expose: true }]);
      expect(env('PORT')?.['value']).toBe('8080');
      expect(properties['livenessProbe']['httpGet']).toEqual({ path: '/health', port: 8080 });
      expect(properties['readinessProbe']['httpGet']).toEqual({ path: '/ready', port: 8080 });
    });

    it('points at the table the other component asks for', () => {
      expect(env('SESSION_STORE')?.['value']).toBe('dynamodb');
      expect(env('DYNAMODB_TABLE_NAME')?.['value']).toBe(table['properties']['tableName']);
      expect(env('AWS_REGION')?.['value']).toBe(table['properties']['region']);
      expect(env('SESSION_TTL_HOURS')?.['value']).toBe('24');
    });

    it('takes its API tokens from a Secret, never from the file', () => {
      expect(env('API_TOKENS')).toEqual({
        name: 'API_TOKENS',
        valueFrom: { secretKeyRef: { name: 'session-api-tokens', key: 'API_TOKENS' } },
      });
    });

    it('scales to one replica with requests 100m/128Mi and limits 500m/512Mi', () => {
      expect(problems(scalerParameters, trait('scaler')['properties'])).toEqual([]);
      expect(trait('scaler')['properties']).toEqual({ replicas: 1 });
      const resource = trait('resource')['properties'];
      expect(problems(resourceParameters, resource)).toEqual([]);
      expect(resource).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
      for (const quantity of [resource.requests.cpu, resource.requests.memory, resource.limits.cpu, resource.limits.memory]) {
        expect(quantity).toMatch(kubernetesQuantity);
      }
    });
  });

  it('starts the service only after the table is healthy', () => {
    expect(service['dependsOn']).toEqual(['user-sessions-table-kratix']);
    const steps = app['spec']['workflow']['steps'] as Node[];
    expect(steps.map((s) => [s['type'], s['properties']['component']])).toEqual([
      ['apply-component', 'user-sessions-table-kratix'],
      ['apply-component', 'session-api-kratix'],
    ]);
    expect(steps[1]?.['dependsOn']).toEqual([steps[0]?.['name']]);
  });

  it('would be caught by these checks if it broke the definitions\' rules', () => {
    const properties = structuredClone(service['properties']) as Node;
    properties['env'][0]['value'] = 8080;
    delete properties['livenessProbe']['httpGet']['port'];
    expect(problems(webserviceParameters, properties)).toEqual([
      '/env/0/value must be string',
      "/livenessProbe/httpGet must have required property 'port'",
    ]);
    expect(problems(resourceParameters, { requests: { cpu: '100m', memory: '128MB' } })).toHaveLength(1);
    expect('128MB').not.toMatch(kubernetesQuantity);
  });
});
