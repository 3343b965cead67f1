/**
 * The Promise CRD's Kubernetes-only validation, checked offline: there is no CEL evaluator
 * here, so each `x-kubernetes-validations` rule is MIRRORED by a hand-written predicate keyed
 * by the rule's exact text. A rule without a mirror fails the check, so the two cannot drift
 * silently. `x-kubernetes-list-type: map` (unique keys) is checked the same way.
 */

type Json = unknown;
type Item = Record<string, Json>;

const list = (v: Json): Item[] => (Array.isArray(v) ? (v as Item[]) : []);
const has = (o: Json, field: string): boolean => typeof o === 'object' && o !== null && field in o;
const keysOf = (o: Json): Item[] => list((o as Item)['keySchema']);
const definesAll = (spec: Item, keys: Item[]): boolean =>
  keys.every((k) => list(spec['attributeDefinitions']).some((a) => a['attributeName'] === k['attributeName']));

/** Each CEL rule in the Promise, as a predicate on `self`. */
export const celMirror: Readonly<Record<string, (self: Json) => boolean>> = {
  "self.filter(k, k.keyType == 'HASH').size() == 1": (self) => list(self).filter((k) => k['keyType'] === 'HASH').length === 1,
  "self.filter(k, k.keyType == 'RANGE').size() <= 1": (self) => list(self).filter((k) => k['keyType'] === 'RANGE').length <= 1,
  "self[0].keyType == 'HASH'": (self) => list(self)[0]?.['keyType'] === 'HASH',
  'self.keySchema.all(k, self.attributeDefinitions.exists(a, a.attributeName == k.attributeName))': (self) =>
    definesAll(self as Item, keysOf(self)),
  '!has(self.globalSecondaryIndexes) || self.globalSecondaryIndexes.all(i, i.keySchema.all(k, self.attributeDefinitions.exists(a, a.attributeName == k.attributeName)))':
    (self) => list((self as Item)['globalSecondaryIndexes']).every((i) => definesAll(self as Item, keysOf(i))),
  'self.attributeDefinitions.all(a, self.keySchema.exists(k, k.attributeName == a.attributeName) || (has(self.globalSecondaryIndexes) && self.globalSecondaryIndexes.exists(i, i.keySchema.exists(k, k.attributeName == a.attributeName))))':
    (self) => {
      const spec = self as Item;
      const used = [...keysOf(spec), ...list(spec['globalSecondaryIndexes']).flatMap(keysOf)].map((k) => k['attributeName']);
      return list(spec['attributeDefinitions']).every((a) => used.includes(a['attributeName']));
    },
  "self.billingMode == 'PROVISIONED' ? has(self.provisionedThroughput) : !has(self.provisionedThroughput)": (self) =>
    (self as Item)['billingMode'] === 'PROVISIONED' ? has(self, 'provisionedThroughput') : !has(self, 'provisionedThroughput'),
  "!has(self.globalSecondaryIndexes) || self.globalSecondaryIndexes.all(i, self.billingMode == 'PROVISIONED' ? has(i.provisionedThroughput) : !has(i.provisionedThroughput))":
    (self) =>
      list((self as Item)['globalSecondaryIndexes']).every((i) =>
        (self as Item)['billingMode'] === 'PROVISIONED' ? has(i, 'provisionedThroughput') : !has(i, 'provisionedThroughput'),
      ),
};

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

/** Every CEL rule text in a schema, to prove each one has a mirror. */
export function celRules(schema: SchemaNode): string[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((v) => v.rule);
  const children = [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : [])];
  return [...own, ...children.flatMap(celRules)];
}

/** Apply the mirrored CEL rules and list-map uniqueness to a value; returns the failures. */
export function kubernetesRuleFailures(schema: SchemaNode, value: Json, path = ''): string[] {
  if (value === undefined || value === null) return [];
  const failures: string[] = [];
  for (const { rule, message } of schema['x-kubernetes-validations'] ?? []) {
    const mirror = celMirror[rule];
    if (mirror === undefined) throw new Error(`no mirror for CEL rule at ${path || '/'}: ${rule}`);
    if (!mirror(value)) failures.push(`${path || '/'}: ${message ?? rule}`);
  }
  if (schema['x-kubernetes-list-type'] === 'map' && Array.isArray(value)) {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    for (const item of value as Item[]) {
      const key = JSON.stringify(keys.map((k) => item[k]));
      if (seen.has(key)) failures.push(`${path}: duplicate entry ${key}`);
      seen.add(key);
    }
  }
  if (schema.properties && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      failures.push(...kubernetesRuleFailures(child, (value as Item)[name], `${path}/${name}`));
    }
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((item, i) => failures.push(...kubernetesRuleFailures(schema.items as SchemaNode, item, `${path}/${i}`)));
  }
  return failures;
}
