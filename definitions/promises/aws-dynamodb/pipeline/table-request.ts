/**
 * The DynamoDBRequest as the pipeline reads it: parsed from untrusted YAML into typed data,
 * every problem collected, so a refusal lists all of them at once.
 */

/** The AWS regions the platform allows; the Promise's CRD and the CUE component list the same. */
export const allowedRegions = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2',
  'sa-east-1',
] as const;

/** The billing modes DynamoDB offers. */
export const billingModes = ['PAY_PER_REQUEST', 'PROVISIONED'] as const;

/** One element of a table's or an index's key. */
export interface KeyElement {
  readonly attributeName: string;
  readonly keyType: 'HASH' | 'RANGE';
}

/** An attribute a key or index uses, with its scalar type. */
export interface AttributeDefinition {
  readonly attributeName: string;
  readonly attributeType: 'S' | 'N' | 'B';
}

/** Read and write capacity units, for PROVISIONED tables and their indexes. */
export interface Throughput {
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

/** A global secondary index. */
export interface GlobalSecondaryIndex {
  readonly indexName: string;
  readonly keySchema: readonly KeyElement[];
  readonly projection: { readonly projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; readonly nonKeyAttributes?: readonly string[] };
  readonly provisionedThroughput?: Throughput;
}

/** The spec of a DynamoDBRequest. */
export interface TableSpec {
  readonly tableName: string;
  readonly region: (typeof allowedRegions)[number];
  readonly billingMode: (typeof billingModes)[number];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly keySchema: readonly KeyElement[];
  readonly provisionedThroughput?: Throughput;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  readonly timeToLive?: { readonly attributeName: string; readonly enabled: boolean };
  readonly tags?: Readonly<Record<string, string>>;
}

/** A DynamoDBRequest resource: who asked (name, namespace) and for what. */
export interface TableRequest {
  readonly name: string;
  readonly namespace: string;
  readonly spec: TableSpec;
}

/** The outcome of reading a request: the typed request, or every reason it was refused. */
export type ReadResult =
  | { readonly ok: true; readonly request: TableRequest }
  | { readonly ok: false; readonly problems: readonly string[] };

const namePattern = /^[a-zA-Z0-9_.-]{3,255}$/;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function attributeName(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 255;
}

function readKeySchema(value: unknown, where: string, problems: string[]): KeyElement[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where} must be a non-empty list`);
    return [];
  }
  const keys: KeyElement[] = [];
  value.forEach((raw: unknown, i) => {
    if (!isFields(raw) || !attributeName(raw['attributeName']) || !oneOf(raw['keyType'], ['HASH', 'RANGE'] as const)) {
      problems.push(`${where}[${i}] needs an attributeName and a keyType of HASH or RANGE`);
      return;
    }
    keys.push({ attributeName: raw['attributeName'], keyType: raw['keyType'] });
  });
  return keys;
}

function readThroughput(value: unknown, where: string, problems: string[]): Throughput | undefined {
  if (value === undefined) return undefined;
  const units = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
  if (!isFields(value) || !units(value['readCapacityUnits']) || !units(value['writeCapacityUnits'])) {
    problems.push(`${where} needs integer readCapacityUnits and writeCapacityUnits of at least 1`);
    return undefined;
  }
  return { readCapacityUnits: value['readCapacityUnits'], writeCapacityUnits: value['writeCapacityUnits'] };
}

function readIndex(raw: unknown, i: number, problems: string[]): GlobalSecondaryIndex | undefined {
  const where = `globalSecondaryIndexes[${i}]`;
  if (!isFields(raw)) {
    problems.push(`${where} must be an object`);
    return undefined;
  }
  const indexName = raw['indexName'];
  if (typeof indexName !== 'string' || !namePattern.test(indexName)) {
    problems.push(`${where}.indexName must be 3-255 characters of letters, digits, _ . -`);
  }
  const keySchema = readKeySchema(raw['keySchema'], `${where}.keySchema`, problems);
  const projection = isFields(raw['projection']) ? raw['projection'] : { projectionType: 'ALL' };
  const projectionType = projection['projectionType'] ?? 'ALL';
  if (!oneOf(projectionType, ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const)) {
    problems.push(`${where}.projection.projectionType must be ALL, KEYS_ONLY or INCLUDE`);
    return undefined;
  }
  const nonKey = projection['nonKeyAttributes'];
  if (nonKey !== undefined && (!Array.isArray(nonKey) || !nonKey.every(attributeName))) {
    problems.push(`${where}.projection.nonKeyAttributes must be a list of attribute names`);
    return undefined;
  }
  const throughput = readThroughput(raw['provisionedThroughput'], `${where}.provisionedThroughput`, problems);
  if (typeof indexName !== 'string') return undefined;
  return {
    indexName,
    keySchema,
    projection: nonKey === undefined ? { projectionType } : { projectionType, nonKeyAttributes: nonKey as string[] },
    ...(throughput === undefined ? {} : { provisionedThroughput: throughput }),
  };
}

/** Parse a DynamoDBRequest document into a typed request, or list why it cannot be one. */
export function readTableRequest(document: unknown): ReadResult {
  const problems: string[] = [];
  if (!isFields(document) || !isFields(document['spec'])) {
    return { ok: false, problems: ['the request has no spec'] };
  }
  const metadata = isFields(document['metadata']) ? document['metadata'] : {};
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
  const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
  if (name === '') problems.push('the request has no metadata.name');

  const spec = document['spec'];
  const tableName = spec['tableName'];
  if (typeof tableName !== 'string' || !namePattern.test(tableName)) {
    problems.push('tableName must be 3-255 characters of letters, digits, _ . -');
  }
  const region = spec['region'];
  if (!oneOf(region, allowedRegions)) {
    problems.push(`region ${JSON.stringify(region)} is not one the platform allows (${allowedRegions.join(', ')})`);
  }
  const billingMode = spec['billingMode'] ?? 'PAY_PER_REQUEST';
  if (!oneOf(billingMode, billingModes)) {
    problems.push(`billingMode ${JSON.stringify(billingMode)} must be PAY_PER_REQUEST or PROVISIONED`);
  }
  const attributeDefinitions: AttributeDefinition[] = [];
  const rawAttributes = spec['attributeDefinitions'];
  if (!Array.isArray(rawAttributes) || rawAttributes.length === 0) {
    problems.push('attributeDefinitions must be a non-empty list');
  } else {
    rawAttributes.forEach((raw: unknown, i) => {
      if (!isFields(raw) || !attributeName(raw['attributeName']) || !oneOf(raw['attributeType'], ['S', 'N', 'B'] as const)) {
        problems.push(`attributeDefinitions[${i}] needs an attributeName and an attributeType of S, N or B`);
        return;
      }
      attributeDefinitions.push({ attributeName: raw['attributeName'], attributeType: raw['attributeType'] });
    });
  }
  const keySchema = readKeySchema(spec['keySchema'], 'keySchema', problems);
  const provisionedThroughput = readThroughput(spec['provisionedThroughput'], 'provisionedThroughput', problems);

  let globalSecondaryIndexes: GlobalSecondaryIndex[] | undefined;
  const rawIndexes = spec['globalSecondaryIndexes'];
  if (rawIndexes !== undefined) {
    if (!Array.isArray(rawIndexes)) {
      problems.push('globalSecondaryIndexes must be a list');
    } else {
      globalSecondaryIndexes = rawIndexes.flatMap((raw: unknown, i) => readIndex(raw, i, problems) ?? []);
    }
  }

  let timeToLive: TableSpec['timeToLive'];
  const rawTtl = spec['timeToLive'];
  if (rawTtl !== undefined) {
    if (!isFields(rawTtl) || !attributeName(rawTtl['attributeName']) || !['boolean', 'undefined'].includes(typeof rawTtl['enabled'])) {
      problems.push('timeToLive needs an attributeName (and enabled, a boolean, if given)');
    } else {
      timeToLive = { attributeName: rawTtl['attributeName'], enabled: rawTtl['enabled'] !== false };
    }
  }

  let tags: Record<string, string> | undefined;
  const rawTags = spec['tags'];
  if (rawTags !== undefined) {
    if (!isFields(rawTags) || !Object.values(rawTags).every((v) => typeof v === 'string')) {
      problems.push('tags must map names to strings');
    } else {
      tags = rawTags as Record<string, string>;
    }
  }

  if (problems.length > 0 || !oneOf(region, allowedRegions) || !oneOf(billingMode, billingModes) || typeof tableName !== 'string') {
    return { ok: false, problems };
  }
  const tableSpec: TableSpec = {
    tableName,
    region,
    billingMode,
    attributeDefinitions,
    keySchema,
    ...(provisionedThroughput === undefined ? {} : { provisionedThroughput }),
    ...(globalSecondaryIndexes === undefined ? {} : { globalSecondaryIndexes }),
    ...(timeToLive === undefined ? {} : { timeToLive }),
    ...(tags === undefined ? {} : { tags }),
  };
  return { ok: true, request: { name, namespace, spec: tableSpec } };
}
