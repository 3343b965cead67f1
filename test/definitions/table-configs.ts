import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';

/**
 * Table configurations shared by the CUE, CRD and pipeline tests, so all three are held to
 * the same cases. Each invalid case names the words every layer must use to refuse it.
 */

/** The properties of an `aws-dynamodb-kratix` component (= the spec of a DynamoDBRequest). */
export type TableProperties = Record<string, unknown>;

/** The session table, built from the layout constant rather than retyped. */
export const sessionTable: TableProperties = {
  tableName: 'user-sessions-kratix',
  region: 'us-west-2',
  billingMode: 'PAY_PER_REQUEST',
  attributeDefinitions: sessionTableLayout.attributeDefinitions.map((a) => ({
    attributeName: a.AttributeName,
    attributeType: a.AttributeType,
  })),
  keySchema: sessionTableLayout.keySchema.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType })),
  timeToLive: { attributeName: sessionTableLayout.ttlAttribute, enabled: true },
};

/** Valid configurations beyond the session table: provisioned capacity, a RANGE key, tags. */
export const validTables: Record<string, TableProperties> = {
  'the session table': sessionTable,
  'a provisioned table with a sort key and an index': {
    tableName: 'orders',
    region: 'eu-west-1',
    billingMode: 'PROVISIONED',
    provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 },
    attributeDefinitions: [
      { attributeName: 'customerId', attributeType: 'S' },
      { attributeName: 'orderedAt', attributeType: 'N' },
      { attributeName: 'status', attributeType: 'S' },
    ],
    keySchema: [
      { attributeName: 'customerId', keyType: 'HASH' },
      { attributeName: 'orderedAt', keyType: 'RANGE' },
    ],
    globalSecondaryIndexes: [
      {
        indexName: 'status-index',
        keySchema: [{ attributeName: 'status', keyType: 'HASH' }],
        projection: { projectionType: 'KEYS_ONLY' },
        provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 },
      },
    ],
    tags: { team: 'identity' },
  },
  'a minimal on-demand table': {
    tableName: 'minimal',
    region: 'us-east-1',
    billingMode: 'PAY_PER_REQUEST',
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
  },
};

/** An invalid configuration and the words each layer must refuse it with. */
export interface InvalidTable {
  readonly properties: TableProperties;
  /** A fragment of the CUE definition's and the pipeline's message. */
  readonly message: string;
  /** A fragment of the CRD schema's (or a CEL rule's) message. */
  readonly crdMessage: string;
}

/** Invalid configurations, each breaking exactly one rule. */
export const invalidTables: Record<string, InvalidTable> = {
  'two HASH keys (home and id both HASH, where id is the sort key)': {
    properties: {
      ...sessionTable,
      keySchema: [
        { attributeName: 'home', keyType: 'HASH' },
        { attributeName: 'id', keyType: 'HASH' },
      ],
    },
    message: 'exactly one HASH key',
    crdMessage: 'keySchema must have exactly one HASH key',
  },
  'an attribute no key or index uses (the design document: createdAt)': {
    properties: {
      ...sessionTable,
      attributeDefinitions: [
        ...(sessionTable['attributeDefinitions'] as object[]),
        { attributeName: 'createdAt', attributeType: 'N' },
      ],
    },
    message: 'attribute createdAt is defined but no key or index uses it',
    crdMessage: 'every attribute definition must be used',
  },
  'a key attribute without a definition': {
    properties: { ...sessionTable, attributeDefinitions: (sessionTable['attributeDefinitions'] as object[]).slice(1) },
    message: 'key attribute home has no attribute definition',
    crdMessage: 'every keySchema attribute needs an attribute definition',
  },
  'two RANGE keys': {
    properties: {
      ...validTables['a minimal on-demand table'],
      attributeDefinitions: [
        { attributeName: 'pk', attributeType: 'S' },
        { attributeName: 'a', attributeType: 'S' },
        { attributeName: 'b', attributeType: 'S' },
      ],
      keySchema: [
        { attributeName: 'pk', keyType: 'HASH' },
        { attributeName: 'a', keyType: 'RANGE' },
        { attributeName: 'b', keyType: 'RANGE' },
      ],
    },
    message: 'at most one RANGE key',
    crdMessage: 'keySchema may have at most one RANGE key',
  },
  'a bad billing mode': {
    properties: { ...sessionTable, billingMode: 'ON_DEMAND' },
    message: 'ON_DEMAND',
    crdMessage: '/spec/billingMode must be equal to one of the allowed values',
  },
  'a region the platform does not allow': {
    properties: { ...sessionTable, region: 'mars-north-1' },
    message: 'mars-north-1',
    crdMessage: '/spec/region must be equal to one of the allowed values',
  },
  'provisioned throughput without PROVISIONED': {
    properties: { ...sessionTable, provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 } },
    message: 'provisionedThroughput is only allowed with billingMode PROVISIONED',
    crdMessage: 'provisionedThroughput is required with billingMode PROVISIONED and only allowed with it',
  },
  'PROVISIONED without throughput': {
    properties: { ...validTables['a minimal on-demand table'], billingMode: 'PROVISIONED' },
    message: 'billingMode PROVISIONED requires provisionedThroughput',
    crdMessage: 'provisionedThroughput is required with billingMode PROVISIONED and only allowed with it',
  },
  'a sort key listed before the partition key': {
    properties: {
      ...validTables['a provisioned table with a sort key and an index'],
      keySchema: [
        { attributeName: 'orderedAt', keyType: 'RANGE' },
        { attributeName: 'customerId', keyType: 'HASH' },
      ],
    },
    message: 'keySchema must list its HASH key first',
    crdMessage: 'keySchema must list its HASH key first',
  },
  'an index with two HASH keys': {
    properties: {
      ...sessionTable,
      globalSecondaryIndexes: [
        {
          indexName: 'by-id',
          keySchema: [
            { attributeName: 'id', keyType: 'HASH' },
            { attributeName: 'home', keyType: 'HASH' },
          ],
          projection: { projectionType: 'ALL' },
        },
      ],
    },
    message: 'index by-id must have exactly one HASH key',
    crdMessage: 'an index must have exactly one HASH key',
  },
  'an index with throughput on an on-demand table': {
    properties: {
      ...sessionTable,
      globalSecondaryIndexes: [
        {
          indexName: 'by-id',
          keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
          projection: { projectionType: 'ALL' },
          provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 },
        },
      ],
    },
    message: 'provisionedThroughput is only allowed with billingMode PROVISIONED',
    crdMessage: 'every index needs provisionedThroughput with billingMode PROVISIONED, and none without it',
  },
};
