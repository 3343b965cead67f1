import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { crdValidator, upstreamCrdValidator, type Validator } from './schema-validation.js';

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
 * A validator for DynamoDBRequest objects, from the CRD the Promise embeds: every reason the API
 * server would refuse a request (or prune a field of it), CEL rules included.
 */
export async function requestValidator(promise: Record<string, any>): Promise<Validator> {
  return crdValidator(promise['spec']['api']);
}

/** Kratix's Promise CRD (platform.kratix.io/v1alpha1), from upstream. */
export const promiseValidator = () => upstreamCrdValidator('kratix/platform.kratix.io_promises.yaml', 'v1alpha1');
