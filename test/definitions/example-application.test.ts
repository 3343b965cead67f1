import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, tableManifestName } from '../../definitions/promises/aws-dynamodb/pipeline/workflow.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { loadKubernetesManifests } from './manifests.js';
import { componentContext, readDefinition, renderShippedComponent, renderTemplate, type VelaComponent } from './kubevela-render.js';
import { ackTableValidator, kubernetesValidators, upstreamCrdValidator, type Validator } from './schema-validation.js';
import { envValue, serviceContainer, serviceSettings } from './service-settings.js';
import { loadPromise, requestValidator } from './promise-crd.js';
import { sessionTable } from './table-configs.js';
import { tableLayoutOfAck } from './table-layouts.js';

const exampleFile = new URL('../../definitions/examples/session-management-app-kratix.yaml', import.meta.url);
const definitionFile = new URL('../../definitions/components/aws-dynamodb-kratix.cue', import.meta.url).pathname;

type Node = Record<string, any>;
let app: Node;
let table: Node;
let service: Node;

let k8s: Readonly<Record<string, Validator>>;

beforeAll(async () => {
  app = parse(await readFile(exampleFile, 'utf8')) as Node;
  const components = app['spec']['components'] as Node[];
  table = components.find((c) => c['name'] === 'user-sessions-table-kratix') as Node;
  service = components.find((c) => c['name'] === 'session-api-kratix') as Node;
  k8s = await kubernetesValidators();
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
      expect(tableLayoutOfAck(table['properties'] as Node)).toEqual(sessionTableLayout);
      expect(table['properties']).toEqual(sessionTable);
      const keys = table['properties']['keySchema'] as Node[];
      expect(keys).toEqual([
        { attributeName: 'home', keyType: 'HASH' },
        { attributeName: 'id', keyType: 'RANGE' },
      ]);
      expect(table['properties']).not.toHaveProperty('globalSecondaryIndexes');
      // The TTL attribute is no key, so DynamoDB forbids defining it.
      const defined = (table['properties']['attributeDefinitions'] as Node[]).map((a) => a['attributeName']);
      expect(defined).not.toContain(sessionTableLayout.ttlAttribute);
      expect(table['properties']['timeToLive']).toEqual({ attributeName: sessionTableLayout.ttlAttribute, enabled: true });
    });

    it('renders through the component definition into a request the Promise accepts, which the pipeline turns into an ACK Table with the store\'s layout', async () => {
      const parts = await readDefinition(definitionFile);
      const rendered = await renderTemplate(parts, componentContext(table['name'] as string, 'session-api-app-kratix'), table['properties'] as Node);
      if (!rendered.ok) throw new Error(rendered.error);
      const request = rendered.value['output'] as Node;
      expect((await requestValidator(await loadPromise()))(request)).toEqual([]);
      // The whole Kratix path, offline: the request as Kratix mounts it, the pipeline's output.
      const kratix = await mkdtemp(join(tmpdir(), 'kratix-example-'));
      try {
        const paths = { inputDir: join(kratix, 'input'), outputDir: join(kratix, 'output'), metadataDir: join(kratix, 'metadata') };
        await mkdir(paths.inputDir);
        await writeFile(join(paths.inputDir, 'object.yaml'), stringify({ ...request, metadata: { ...request['metadata'], namespace: 'default' } }));
        expect((await configure(paths)).problems).toEqual([]);
        const ackTable = parse(await readFile(join(paths.outputDir, tableManifestName), 'utf8')) as Node;
        expect((await ackTableValidator())(ackTable)).toEqual([]);
        expect(tableLayoutOfAck(ackTable)).toEqual(sessionTableLayout);
      } finally {
        await rm(kratix, { recursive: true, force: true });
      }
    });
  });

  describe('its session API, rendered through KubeVela\'s shipped webservice, scaler and resource definitions', () => {
    let deployment: Node;
    let serviceObject: Node;
    beforeAll(async () => {
      const rendered = await renderShippedComponent(service as VelaComponent, app['metadata']['name'] as string);
      deployment = rendered.output;
      serviceObject = rendered.outputs['webserviceExpose'] as Node;
    });

    it('renders a Deployment and a Service that validate against the Kubernetes 1.36 schemas', () => {
      expect(k8s['apps/v1/Deployment']?.(deployment)).toEqual([]);
      expect(k8s['v1/Service']?.(serviceObject)).toEqual([]);
    });

    it('runs session-api:latest, exposing 8080, probing /health and /ready there', () => {
      const container = serviceContainer(deployment);
      expect(container['image']).toBe('session-api:latest');
      expect(container['ports']).toEqual([{ containerPort: 8080, protocol: 'TCP', name: 'port-8080' }]);
      expect(envValue(container, 'PORT')).toBe('8080');
      expect(container['livenessProbe']['httpGet']).toEqual({ path: '/health', port: 8080 });
      expect(container['readinessProbe']['httpGet']).toEqual({ path: '/ready', port: 8080 });
      expect(serviceObject['spec']['ports']).toEqual([{ port: 8080, targetPort: 8080, protocol: 'TCP', name: 'port-8080' }]);
    });

    it('points at the table the other component asks for', () => {
      const container = serviceContainer(deployment);
      expect(envValue(container, 'SESSION_STORE')).toBe('dynamodb');
      expect(envValue(container, 'DYNAMODB_TABLE_NAME')).toBe(table['properties']['tableName']);
      expect(envValue(container, 'AWS_REGION')).toBe(table['properties']['region']);
    });

    it('takes its API tokens from a Secret, never from the file', () => {
      expect(envValue(serviceContainer(deployment), 'API_TOKENS')).toEqual({ secretKeyRef: { name: 'session-api-tokens', key: 'API_TOKENS' } });
    });

    it('scales to one replica with requests 100m/128Mi and limits 500m/512Mi (the traits\' patches applied)', () => {
      expect(deployment['spec']['replicas']).toBe(1);
      expect(serviceContainer(deployment)['resources']).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    });

    it('has the same service settings and probes as the plain Kubernetes Deployment', async () => {
      const plain = await loadKubernetesManifests();
      expect(serviceSettings(deployment, serviceObject)).toEqual(serviceSettings(plain['Deployment'] as Node, plain['Service'] as Node));
    });

    it('would be refused if it broke the definitions: by the webservice template, and by the Kubernetes schema', async () => {
      const broken = structuredClone(service) as Node;
      broken['properties']['env'][0]['value'] = 8080;
      await expect(renderShippedComponent(broken as VelaComponent, 'app')).rejects.toThrow(/env\.0\.value|conflicting values/);
      const resourceTrait = structuredClone(service) as Node;
      (resourceTrait['traits'] as Node[])[1]!['properties']['requests']['memory'] = '128MB';
      await expect(renderShippedComponent(resourceTrait as VelaComponent, 'app')).rejects.toThrow(/memory/);
      const manifest = structuredClone(deployment);
      manifest['spec']['template']['spec']['containers'][0]['ports'][0]['containerPort'] = '8080';
      expect(k8s['apps/v1/Deployment']?.(manifest)).toEqual([expect.stringContaining('/spec/template/spec/containers/0/ports/0/containerPort must be integer')]);
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

  it('is a valid KubeVela Application (upstream CRD, strict), and a broken one is refused', async () => {
    const validate = await upstreamCrdValidator('kubevela/core.oam.dev_applications.yaml', 'v1beta1');
    expect(validate(app)).toEqual([]);
    const broken = structuredClone(app);
    broken['spec']['components'][0]['trait'] = broken['spec']['components'][0]['traits'];
    delete broken['spec']['components'][0]['type'];
    expect(validate(broken)).toEqual([
      expect.stringContaining("/spec/components/0 must have required property 'type'"),
      expect.stringContaining('/spec/components/0 must NOT have additional properties {"additionalProperty":"trait"}'),
    ]);
  });
});
