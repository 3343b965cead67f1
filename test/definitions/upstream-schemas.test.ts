import { describe, expect, it } from 'vitest';
import { celMirror, celRules, type SchemaNode } from './crd-rules.js';
import { loadPromise, requestSchema } from './promise-crd.js';
import { readYamlDocuments, upstream, upstreamCrdValidator } from './schema-validation.js';

/**
 * The validators themselves: every upstream CRD our manifests are checked against compiles in
 * ajv strict mode, each of its create-time CEL rules has a mirror, and no mirror is left over.
 */

/** Every upstream CRD file and version a test validates against. */
export const upstreamCrds: readonly (readonly [string, string])[] = [
  ['kratix/platform.kratix.io_promises.yaml', 'v1alpha1'],
  ['ack/dynamodb.services.k8s.aws_tables.yaml', 'v1alpha1'],
  ['kubevela/core.oam.dev_applications.yaml', 'v1beta1'],
  ['kubevela/core.oam.dev_componentdefinitions.yaml', 'v1beta1'],
  ['kro/kro.run_resourcegraphdefinitions.yaml', 'v1alpha1'],
  ['crossplane/apiextensions.crossplane.io_compositeresourcedefinitions.yaml', 'v2'],
  ['crossplane/apiextensions.crossplane.io_compositions.yaml', 'v1'],
  ['function-patch-and-transform/pt.fn.crossplane.io_resources.yaml', 'v1beta1'],
  ['provider-upjet-aws/dynamodb.aws.m.upbound.io_tables.yaml', 'v1beta1'],
];

async function versionSchema(path: string, version: string): Promise<SchemaNode> {
  const [crd] = await readYamlDocuments(upstream(path));
  const served = (crd?.['spec']['versions'] as Record<string, any>[]).find((v) => v['name'] === version);
  return served?.['schema']['openAPIV3Schema'] as SchemaNode;
}

describe('the upstream CRDs compile as strict validators', () => {
  for (const [path, version] of upstreamCrds) {
    it(`${path} ${version}`, async () => {
      const validate = await upstreamCrdValidator(path, version);
      // A wrong apiVersion, no metadata, an unknown top-level field: always refused.
      expect(validate({ apiVersion: 'example.com/v1', kind: 'Nothing', bogus: true }).length).toBeGreaterThanOrEqual(3);
    });
  }
});

describe('CEL rules', () => {
  it('every create-time rule of every CRD we validate against is mirrored, and every mirror is used', async () => {
    const rules = new Set<string>(celRules(requestSchema(await loadPromise()) as SchemaNode));
    for (const [path, version] of upstreamCrds) for (const rule of celRules(await versionSchema(path, version))) rules.add(rule);
    expect([...rules].sort()).toEqual(Object.keys(celMirror).sort());
  });
});
