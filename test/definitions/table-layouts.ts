import type { SessionTableLayout } from '../../adapters/dynamodb/table-layout.js';

/**
 * Each deployment variant's table declaration read back into the shape of `sessionTableLayout`,
 * so a test can hold it equal to the one constant the DynamoDB store uses. Reading back (instead
 * of generating the manifests from the constant) is the point: the manifests are written by
 * hand, and a change to the layout must show up as a failing test, not as silent drift.
 * Anything beyond the layout (any index, a disabled TTL) is kept so the comparison fails.
 */

type Json = Record<string, any>;
type Layout = Record<string, unknown>;

// The layout has no secondary index, so a declared one (even an empty list, which a provider
// may send on as given) is drift and stays in the result to make the comparison fail.
function indexes(declared: Json[] | undefined, read: (i: Json) => unknown): Layout {
  return declared === undefined ? {} : { indexes: declared.map(read) };
}

function ttl(attributeName: unknown, enabled: unknown): Layout {
  return enabled === true ? { ttlAttribute: attributeName } : { ttlAttribute: attributeName, ttlEnabled: enabled };
}

/** The layout of an ACK Table's spec (or of a DynamoDBRequest / aws-dynamodb-kratix properties, same field names). */
export function tableLayoutOfAck(table: Json): SessionTableLayout | Layout {
  const spec = (table['spec'] ?? table) as Json;
  const key = (k: Json) => ({ AttributeName: k['attributeName'], KeyType: k['keyType'] });
  return {
    attributeDefinitions: (spec['attributeDefinitions'] as Json[]).map((a) => ({ AttributeName: a['attributeName'], AttributeType: a['attributeType'] })),
    keySchema: (spec['keySchema'] as Json[]).map(key),
    ...indexes(spec['globalSecondaryIndexes'] as Json[] | undefined, (i) => ({
      IndexName: i['indexName'],
      KeySchema: (i['keySchema'] as Json[]).map(key),
      Projection: { ProjectionType: i['projection']?.['projectionType'] },
    })),
    ...ttl(spec['timeToLive']?.['attributeName'], spec['timeToLive']?.['enabled']),
  };
}

/** The layout of an Upbound provider-upjet-aws Table's `spec.forProvider` (the namespaced `.m.` group, whose `ttl` is one object). */
export function tableLayoutOfUpbound(table: Json): SessionTableLayout | Layout {
  const p = table['spec']['forProvider'] as Json;
  const keys = (hash: unknown, range: unknown) => [
    { AttributeName: hash, KeyType: 'HASH' },
    ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' }]),
  ];
  return {
    attributeDefinitions: (p['attribute'] as Json[]).map((a) => ({ AttributeName: a['name'], AttributeType: a['type'] })),
    keySchema: keys(p['hashKey'], p['rangeKey']),
    ...indexes(p['globalSecondaryIndex'] as Json[] | undefined, (i) => ({
      IndexName: i['name'],
      KeySchema: keys(i['hashKey'], i['rangeKey']),
      Projection: { ProjectionType: i['projectionType'] },
    })),
    ...ttl(p['ttl']?.['attributeName'], p['ttl']?.['enabled']),
  };
}
