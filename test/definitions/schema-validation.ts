import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { kubernetesRuleFailures, type SchemaNode } from './crd-rules.js';

/**
 * Validators built from upstream schemas, in ajv strict mode: the CRDs and the Kubernetes JSON
 * schemas under /work/shared/upstream (see its README for where each file comes from), and the
 * CRD our own Promise embeds. Every validator refuses unknown fields where the API server would
 * prune them: a misspelt field that the cluster drops silently is a bug here.
 */

type Schema = Record<string, unknown>;
type Json = Record<string, any>;

/**
 * Where the upstream schemas live (shared data, not part of this repository): `shared/upstream`
 * beside the checkout, as CI lays it out, else the team's copy.
 */
const besideCheckout = fileURLToPath(new URL('../../../shared/upstream', import.meta.url));
export const upstreamDir =
  process.env['SESSION_API_UPSTREAM_DIR'] ?? (existsSync(besideCheckout) ? besideCheckout : '/work/shared/upstream');

/** A file under {@link upstreamDir}. */
export const upstream = (path: string): string => `${upstreamDir}/${path}`;

/** Every YAML document in a file, parsed. */
export async function readYamlDocuments(file: string | URL): Promise<Json[]> {
  const text = await readFile(file, 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Json | null)
    .filter((d): d is Json => d !== null);
}

/** ajv in strict mode, with the OpenAPI formats and the Kubernetes extensions it must know. */
function strictAjv(): Ajv {
  // Union types are how the Kubernetes JSON schemas say "or null".
  // Defaults applied as the API server applies them before it validates.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true });
  addFormats.default(ajv);
  const int = (bits: number) => (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: int(32) });
  ajv.addFormat('int64', { type: 'number', validate: int(64) });
  // Annotations for clients (patch strategy, list and map semantics, GVK): no validation of their
  // own. The list-map and CEL extensions of CRDs are checked by crd-rules.ts.
  for (const keyword of [
    'x-kubernetes-group-version-kind',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-list-type',
    'x-kubernetes-map-type',
    'x-kubernetes-patch-merge-key',
    'x-kubernetes-patch-strategy',
    'x-kubernetes-unions',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword(keyword);
  }
  return ajv;
}

const ajv = strictAjv();

/** ajv's errors as lines: `path message {params}`. */
function errorLines(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/**
 * A CRD's structural schema as ajv input: objects that declare properties and do not preserve
 * unknown fields refuse others (the API server would prune them), and int-or-string is spelt
 * out. The `x-kubernetes-*` annotations stay; ajv knows them as keywords without validation.
 */
export function structuralToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structuralToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Schema;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    // `properties` maps names to schemas: convert each schema, never the map itself.
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([n, s]) => [n, structuralToJsonSchema(s)]))
        : structuralToJsonSchema(value);
  }
  if (source['x-kubernetes-int-or-string'] === true) {
    delete converted['x-kubernetes-int-or-string'];
    converted['type'] = ['integer', 'string'];
  }
  const preserves = source['x-kubernetes-preserve-unknown-fields'] === true;
  if (source['properties'] !== undefined && source['additionalProperties'] === undefined && !preserves) {
    converted['additionalProperties'] = false;
  }
  return converted;
}

/** Kubernetes' ObjectMeta, from the upstream Deployment schema (the same in every kind). */
async function objectMetaSchema(): Promise<Schema> {
  const deployment = JSON.parse(await readFile(upstream('kubernetes/v1.36-standalone-strict/deployment-apps-v1.json'), 'utf8')) as Json;
  return deployment['properties']['metadata'] as Schema;
}

/** A validator: the reasons an object would be refused (or pruned), none when it is accepted. */
export type Validator = (object: unknown) => string[];

/**
 * A validator for one served version of a CRD: the version's openAPIV3Schema in strict mode, the
 * CRD's apiVersion and kind, Kubernetes' ObjectMeta for `metadata`, then the CEL rules and
 * list-map keys (crd-rules.ts mirrors each CEL rule; an unmirrored rule is an error).
 */
export async function crdValidator(crd: Json, versionName?: string, options: { readonly apiObject?: boolean } = {}): Promise<Validator> {
  // A function's input (Crossplane) is shaped like an object but never stored: no metadata needed.
  const apiObject = options.apiObject ?? true;
  const versions = crd['spec']['versions'] as Json[];
  const version = versionName === undefined ? versions.find((v) => v['storage'] === true) : versions.find((v) => v['name'] === versionName);
  if (version === undefined) throw new Error(`${crd['metadata']['name']} serves no version ${versionName ?? '(storage)'}`);
  if (version['served'] !== true) throw new Error(`${crd['metadata']['name']} does not serve ${version['name']}`);
  const structural = version['schema']['openAPIV3Schema'] as SchemaNode;
  const root = structuralToJsonSchema(structural) as Schema;
  const properties = { ...(root['properties'] as Schema) };
  properties['apiVersion'] = { const: `${crd['spec']['group']}/${version['name']}` };
  properties['kind'] = { const: crd['spec']['names']['kind'] };
  properties['metadata'] = await objectMetaSchema();
  const required = [...new Set([...((root['required'] as string[]) ?? []), 'apiVersion', 'kind', ...(apiObject ? ['metadata'] : [])])];
  const validate = ajv.compile({ ...root, type: 'object', properties, required });
  return (object) => {
    const copy = structuredClone(object);
    const schemaErrors = validate(copy) ? [] : errorLines(validate);
    return [...schemaErrors, ...kubernetesRuleFailures(structural, copy)];
  };
}

/** A validator from an upstream CRD file (its first document). */
export async function upstreamCrdValidator(path: string, versionName?: string, options: { readonly apiObject?: boolean } = {}): Promise<Validator> {
  const [crd] = await readYamlDocuments(upstream(path));
  if (crd === undefined) throw new Error(`${path} holds no CRD`);
  return crdValidator(crd, versionName, options);
}

/** A validator from one of the upstream Kubernetes JSON schemas (standalone, strict). */
export async function kubernetesValidator(file: string): Promise<Validator> {
  const schema = JSON.parse(await readFile(upstream(`kubernetes/v1.36-standalone-strict/${file}`), 'utf8')) as Schema;
  // "http://json-schema.org/schema#" names no particular draft; the files are draft-07 compatible.
  delete schema['$schema'];
  const validate = ajv.compile(schema);
  return (object) => (validate(structuredClone(object)) ? [] : errorLines(validate));
}

/** A validator for one Kubernetes container (core/v1 Container), from the upstream Deployment schema. */
export async function containerValidator(): Promise<Validator> {
  const deployment = JSON.parse(await readFile(upstream('kubernetes/v1.36-standalone-strict/deployment-apps-v1.json'), 'utf8')) as Json;
  const container = deployment['properties']['spec']['properties']['template']['properties']['spec']['properties']['containers']['items'] as Schema;
  const validate = ajv.compile(container);
  return (object) => (validate(structuredClone(object)) ? [] : errorLines(validate));
}

/** The Kubernetes validators by `apiVersion/kind`. */
export async function kubernetesValidators(): Promise<Readonly<Record<string, Validator>>> {
  return {
    'apps/v1/Deployment': await kubernetesValidator('deployment-apps-v1.json'),
    'v1/Service': await kubernetesValidator('service-v1.json'),
    'autoscaling/v2/HorizontalPodAutoscaler': await kubernetesValidator('horizontalpodautoscaler-autoscaling-v2.json'),
    'policy/v1/PodDisruptionBudget': await kubernetesValidator('poddisruptionbudget-policy-v1.json'),
    'v1/ServiceAccount': await kubernetesValidator('serviceaccount-v1.json'),
  };
}

/** The ACK DynamoDB Table (dynamodb.services.k8s.aws/v1alpha1). */
export const ackTableValidator = () => upstreamCrdValidator('ack/dynamodb.services.k8s.aws_tables.yaml', 'v1alpha1');
