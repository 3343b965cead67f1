import type { KeyElement, TableSpec } from './table-request.js';

/**
 * The rules DynamoDB's CreateTable enforces across fields, checked before anything is
 * scheduled: a refusal here is a clear message in the request's status instead of an ACK
 * Table stuck in a terminal condition on some destination.
 */

function keyProblems(keys: readonly KeyElement[], where: string): string[] {
  const problems: string[] = [];
  const hashes = keys.filter((k) => k.keyType === 'HASH').length;
  const ranges = keys.filter((k) => k.keyType === 'RANGE').length;
  if (hashes !== 1) problems.push(`${where} must have exactly one HASH key, found ${hashes}`);
  if (ranges > 1) problems.push(`${where} may have at most one RANGE key, found ${ranges}`);
  if (keys.length > 0 && keys[0]?.keyType !== 'HASH') problems.push(`${where} must list its HASH key first`);
  return problems;
}

/** Every cross-field rule a table spec breaks, in words a developer can act on; empty when valid. */
export function tableProblems(spec: TableSpec): string[] {
  const indexes = spec.globalSecondaryIndexes ?? [];
  const problems = keyProblems(spec.keySchema, 'keySchema');
  for (const index of indexes) problems.push(...keyProblems(index.keySchema, `index ${index.indexName}`));

  const defined = spec.attributeDefinitions.map((a) => a.attributeName);
  const used = [...spec.keySchema, ...indexes.flatMap((i) => i.keySchema)].map((k) => k.attributeName);
  for (const name of new Set(defined)) {
    if (defined.filter((d) => d === name).length > 1) problems.push(`attribute ${name} is defined more than once`);
    if (!used.includes(name)) {
      problems.push(`attribute ${name} is defined but no key or index uses it (DynamoDB rejects unused attribute definitions)`);
    }
  }
  for (const name of new Set(used)) {
    if (!defined.includes(name)) problems.push(`key attribute ${name} has no attribute definition`);
  }

  const indexNames = indexes.map((i) => i.indexName);
  for (const name of new Set(indexNames)) {
    if (indexNames.filter((n) => n === name).length > 1) problems.push(`index ${name} is declared more than once`);
  }

  const provisioned = spec.billingMode === 'PROVISIONED';
  if (provisioned && spec.provisionedThroughput === undefined) {
    problems.push('billingMode PROVISIONED requires provisionedThroughput');
  }
  if (!provisioned && spec.provisionedThroughput !== undefined) {
    problems.push('provisionedThroughput is only allowed with billingMode PROVISIONED');
  }
  for (const index of indexes) {
    if (provisioned && index.provisionedThroughput === undefined) {
      problems.push(`index ${index.indexName}: billingMode PROVISIONED requires provisionedThroughput on every index`);
    }
    if (!provisioned && index.provisionedThroughput !== undefined) {
      problems.push(`index ${index.indexName}: provisionedThroughput is only allowed with billingMode PROVISIONED`);
    }
  }
  return problems;
}
