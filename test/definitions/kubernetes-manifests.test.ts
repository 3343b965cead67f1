import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { kubernetesDir as dir, loadKubernetesManifests } from './manifests.js';
import { kubernetesValidators, readYamlDocuments, type Validator } from './schema-validation.js';
import { serviceContainer } from './service-settings.js';

/** The plain Kubernetes manifests (definitions/kubernetes), against the Kubernetes 1.36 schemas. */

type Json = Record<string, any>;

let validators: Readonly<Record<string, Validator>>;
let kustomization: Json;
const manifests: Record<string, Json> = {};

beforeAll(async () => {
  validators = await kubernetesValidators();
  [kustomization = {}] = await readYamlDocuments(new URL('kustomization.yaml', dir));
  Object.assign(manifests, await loadKubernetesManifests());
});

const deployment = () => manifests['Deployment'] as Json;
const podSpec = () => deployment()['spec']['template']['spec'] as Json;
const container = () => serviceContainer(deployment());

describe('the kustomization', () => {
  it('lists every manifest in the folder, each once', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...(kustomization['resources'] as string[])].sort()).toEqual(files.sort());
  });

  it('holds one Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and ServiceAccount', () => {
    expect(Object.keys(manifests).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });
});

describe('every manifest validates against its Kubernetes 1.36 schema (strict)', () => {
  for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']) {
    it(kind, () => {
      const manifest = manifests[kind] as Json;
      const validate = validators[`${manifest['apiVersion']}/${kind}`];
      expect(validate, `no schema for ${manifest['apiVersion']}/${kind}`).toBeDefined();
      expect(validate?.(manifest)).toEqual([]);
    });
  }

  it('and the schemas refuse broken ones: a quoted user id, a misspelt field, a string replica count', () => {
    const broken = structuredClone(deployment());
    broken['spec']['template']['spec']['securityContext']['runAsUser'] = '1000';
    broken['spec']['template']['spec']['containers'][0]['readinessprobe'] = {};
    expect(validators['apps/v1/Deployment']?.(broken)).toEqual([
      expect.stringContaining('/spec/template/spec/containers/0 must NOT have additional properties {"additionalProperty":"readinessprobe"}'),
      expect.stringContaining('/spec/template/spec/securityContext/runAsUser must be integer'),
    ]);
    const hpa = structuredClone(manifests['HorizontalPodAutoscaler'] as Json);
    hpa['spec']['minReplicas'] = 'two';
    expect(validators['autoscaling/v2/HorizontalPodAutoscaler']?.(hpa)).toEqual([expect.stringContaining('/spec/minReplicas must be integer')]);
  });
});

describe('the Deployment', () => {
  it('runs restricted: non-root by number, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(podSpec()['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container()['securityContext']).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSpec()['automountServiceAccountToken']).toBe(false);
    expect(podSpec()['serviceAccountName']).toBe((manifests['ServiceAccount'] as Json)['metadata']['name']);
  });

  it("has an environment the service's own configuration loader accepts", () => {
    const env = Object.fromEntries((container()['env'] as Json[]).map((e) => [e['name'], e['value'] ?? 'from-a-secret-0123456789']));
    expect(() => loadConfig(env)).not.toThrow();
    expect(container()['env']).toContainEqual({ name: 'API_TOKENS', valueFrom: { secretKeyRef: { name: 'session-api-tokens', key: 'API_TOKENS' } } });
  });

  it('gives the service time to drain: grace period > preStop + SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS', () => {
    const env = Object.fromEntries((container()['env'] as Json[]).map((e) => [e['name'], e['value'] ?? 'from-a-secret-0123456789']));
    // Read through the service's own loader, so the figures are the ones it will use.
    const { shutdownDelayMs, shutdownTimeoutMs } = loadConfig(env);
    const preStop = container()['lifecycle']['preStop']['sleep']['seconds'] as number;
    const grace = podSpec()['terminationGracePeriodSeconds'] as number;
    expect(preStop).toBeGreaterThan(0);
    // At least 2 s beyond the drain for closing the store's client.
    expect(grace).toBeGreaterThanOrEqual(preStop + (shutdownDelayMs + shutdownTimeoutMs) / 1000 + 2);
  });

  it('probes /health for liveness and /ready for readiness on its container port, and asks for resources', () => {
    const port = container()['ports'][0]['containerPort'];
    expect(container()['livenessProbe']['httpGet']).toEqual({ path: '/health', port });
    expect(container()['readinessProbe']['httpGet']).toEqual({ path: '/ready', port });
    expect(container()['resources']).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });
});

describe('the other manifests point at the Deployment', () => {
  it('the Service selects its pods and targets its port', () => {
    const service = manifests['Service'] as Json;
    expect(service['spec']['selector']).toEqual(deployment()['spec']['template']['metadata']['labels']);
    expect(service['spec']['ports'][0]['targetPort']).toBe(container()['ports'][0]['containerPort']);
  });

  it('the HPA scales it from two replicas, the PDB keeps one of them', () => {
    const hpa = manifests['HorizontalPodAutoscaler'] as Json;
    expect(hpa['spec']['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment()['metadata']['name'] });
    expect(hpa['spec']['minReplicas']).toBeGreaterThanOrEqual(2);
    // The HPA owns the replica count.
    expect(deployment()['spec']).not.toHaveProperty('replicas');
    const pdb = manifests['PodDisruptionBudget'] as Json;
    expect(pdb['spec']['selector']['matchLabels']).toEqual(deployment()['spec']['selector']['matchLabels']);
    expect(pdb['spec']['minAvailable']).toBeLessThan(hpa['spec']['minReplicas']);
  });
});
