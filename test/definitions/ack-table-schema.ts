/**
 * The part of ACK's `tables.dynamodb.services.k8s.aws` (v1alpha1) schema the pipeline writes,
 * restated from aws-controllers-k8s/dynamodb-controller `config/crd/bases/
 * dynamodb.services.k8s.aws_tables.yaml`. Unknown fields are refused so a misspelt field, which
 * the API server would prune silently, fails here.
 */

const keySchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    properties: { attributeName: { type: 'string' }, keyType: { type: 'string' } },
  },
} as const;

const throughput = {
  type: 'object',
  additionalProperties: false,
  properties: { readCapacityUnits: { type: 'integer' }, writeCapacityUnits: { type: 'integer' } },
} as const;

/** An ACK DynamoDB Table manifest. */
export const ackTableSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'dynamodb.services.k8s.aws/v1alpha1' },
    kind: { const: 'Table' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['attributeDefinitions', 'keySchema', 'tableName'],
      properties: {
        tableName: { type: 'string' },
        billingMode: { type: 'string' },
        attributeDefinitions: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { attributeName: { type: 'string' }, attributeType: { type: 'string' } },
          },
        },
        keySchema,
        provisionedThroughput: throughput,
        globalSecondaryIndexes: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              indexName: { type: 'string' },
              keySchema,
              projection: {
                type: 'object',
                additionalProperties: false,
                properties: { projectionType: { type: 'string' }, nonKeyAttributes: { type: 'array', items: { type: 'string' } } },
              },
              provisionedThroughput: throughput,
            },
          },
        },
        timeToLive: {
          type: 'object',
          additionalProperties: false,
          properties: { attributeName: { type: 'string' }, enabled: { type: 'boolean' } },
        },
        tags: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' }, value: { type: 'string' } } },
        },
      },
    },
  },
} as const;
