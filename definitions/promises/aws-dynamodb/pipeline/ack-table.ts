import type { TableRequest } from './table-request.js';

/** The ACK DynamoDB Table manifest the configure pipeline schedules, as plain data. */
export interface AckTable {
  readonly apiVersion: 'dynamodb.services.k8s.aws/v1alpha1';
  readonly kind: 'Table';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

/**
 * Translate a validated request into an ACK `Table`. The region travels as ACK's
 * `services.k8s.aws/region` annotation (it is not part of the Table's spec), and tags become
 * ACK's list of key/value pairs.
 */
export function toAckTable(request: TableRequest): AckTable {
  const { spec } = request;
  return {
    apiVersion: 'dynamodb.services.k8s.aws/v1alpha1',
    kind: 'Table',
    metadata: {
      name: request.name,
      namespace: request.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'kratix',
        'dynamodb.kratix.io/request-name': request.name,
        'dynamodb.kratix.io/request-namespace': request.namespace,
      },
      annotations: { 'services.k8s.aws/region': spec.region },
    },
    spec: {
      tableName: spec.tableName,
      billingMode: spec.billingMode,
      attributeDefinitions: spec.attributeDefinitions.map((a) => ({ ...a })),
      keySchema: spec.keySchema.map((k) => ({ ...k })),
      ...(spec.provisionedThroughput === undefined ? {} : { provisionedThroughput: { ...spec.provisionedThroughput } }),
      ...(spec.globalSecondaryIndexes === undefined
        ? {}
        : {
            globalSecondaryIndexes: spec.globalSecondaryIndexes.map((i) => ({
              indexName: i.indexName,
              keySchema: i.keySchema.map((k) => ({ ...k })),
              projection: { ...i.projection },
              ...(i.provisionedThroughput === undefined ? {} : { provisionedThroughput: { ...i.provisionedThroughput } }),
            })),
          }),
      ...(spec.timeToLive === undefined ? {} : { timeToLive: { ...spec.timeToLive } }),
      ...(spec.tags === undefined
        ? {}
        : { tags: Object.entries(spec.tags).map(([key, value]) => ({ key, value })) }),
    },
  };
}
