import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { kubernetesRuleFailures } from './crd-rules.js';

/**
 * The aws-dynamodb Promise's CRD schema as a validator: ajv for the OpenAPI part (after the
 * `x-kubernetes-*` extensions are stripped), then the mirrored CEL rules and list-map keys.
 */

/** Where the Promise lives. */
export const promiseFile = new URL('../../definitions/promises/aws-dynamodb/promise.yaml', import.meta.url);

type Schema = Record<string, unknown>;

/** The Promise, parsed. */
export async function loadPromise(): Promise<Record<string, any>> {
  return parse(await readFile(promiseFile, 'utf8')) as Record<string, any>;
}

/** The DynamoDBRequest version's openAPIV3Schema. */
export function requestSchema(promise: Record<string, any>): Schema {
  return promise['spec']['api']['spec']['versions'][0]['schema']['openAPIV3Schema'] as Schema;
}

/**
 * Convert a structural schema to plain JSON Schema. With `rejectUnknown`, objects that do not
 * preserve unknown fields refuse them: the API server would silently prune such a field, which
 * for a rendered request means a property the CUE definition sent was lost on the way.
 */
export function toJsonSchema(node: unknown, rejectUnknown: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, rejectUnknown));
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Schema;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-')) continue;
    // `properties` maps names to schemas: convert each schema, never the map itself.
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([n, s]) => [n, toJsonSchema(s, rejectUnknown)]))
        : toJsonSchema(value, rejectUnknown);
  }
  const preserves = source['x-kubernetes-preserve-unknown-fields'] === true;
  if (rejectUnknown && source['properties'] !== undefined && source['additionalProperties'] === undefined && !preserves) {
    converted['additionalProperties'] = false;
  }
  return converted;
}

/** A validator for DynamoDBRequest objects: every reason the API server would refuse (or prune). */
export function requestValidator(promise: Record<string, any>, options: { rejectUnknown: boolean }) {
  const schema = requestSchema(promise);
  const root = toJsonSchema(schema, options.rejectUnknown) as Schema;
  // Every object has these; the API server validates them itself.
  root['properties'] = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    ...(root['properties'] as Schema),
  };
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true });
  const validate = ajv.compile(root);
  return (object: unknown): string[] => {
    const copy = structuredClone(object);
    const schemaErrors = validate(copy)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return [...schemaErrors, ...kubernetesRuleFailures(schema, copy)];
  };
}
