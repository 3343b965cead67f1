/**
 * CRDs' Kubernetes-only validation, checked offline: there is no CEL evaluator here, so each
 * `x-kubernetes-validations` rule is MIRRORED by a hand-written predicate keyed by the rule's
 * exact text: our Promise's rules and those of the upstream CRDs our manifests are validated
 * against. A rule without a mirror fails the check, so a new upstream rule cannot pass unseen.
 * Transition rules (those that read `oldSelf`) only run on updates, so a create never meets
 * them. `x-kubernetes-list-type: map` (unique keys) is checked the same way.
 */

type Json = unknown;
type Item = Record<string, Json>;

const list = (v: Json): Item[] => (Array.isArray(v) ? (v as Item[]) : []);
const has = (o: Json, field: string): boolean => typeof o === 'object' && o !== null && field in o;
const keysOf = (o: Json): Item[] => list((o as Item)['keySchema']);
const definesAll = (spec: Item, keys: Item[]): boolean =>
  keys.every((k) => list(spec['attributeDefinitions']).some((a) => a['attributeName'] === k['attributeName']));

const lower = (v: Json): boolean => typeof v === 'string' && v === v.toLowerCase();

/** Each CEL rule our manifests meet, as a predicate on `self`. */
export const celMirror: Readonly<Record<string, (self: Json) => boolean>> = {
  // KRO ResourceGraphDefinition (kro.run/v1alpha1).
  '(has(self.name) && !has(self.selector)) || (!has(self.name) && has(self.selector))': (self) =>
    has(self, 'name') !== has(self, 'selector'),
  '(has(self.template) && !has(self.externalRef)) || (!has(self.template) && has(self.externalRef))': (self) =>
    has(self, 'template') !== has(self, 'externalRef'),
  // Crossplane CompositeResourceDefinition and Composition (apiextensions.crossplane.io).
  'self.plural == self.plural.lowerAscii()': (self) => lower((self as Item)['plural']),
  "!has(self.singular) || self.singular == self.singular.lowerAscii()": (self) => !has(self, 'singular') || lower((self as Item)['singular']),
  // v2 XRDs offer no claims and no connection secrets.
  '!has(self.claimNames)': (self) => !has(self, 'claimNames'),
  '!has(self.connectionSecretKeys)': (self) => !has(self, 'connectionSecretKeys'),
  "self.source == 'Secret' && has(self.secretRef)": (self) => (self as Item)['source'] === 'Secret' && has(self, 'secretRef'),
  '!(has(self.name) && has(self.matchLabels))': (self) => !(has(self, 'name') && has(self, 'matchLabels')),
  "self.mode == 'Pipeline' && has(self.pipeline)": (self) => (self as Item)['mode'] === 'Pipeline' && has(self, 'pipeline'),
  // The aws-dynamodb Promise's DynamoDBRequest.
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

/** The parts of a structural schema the rules live in. */
export interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

/** A transition rule: Kubernetes evaluates it only on update, against the old object. */
export const isTransitionRule = (rule: string): boolean => /\boldSelf\b/.test(rule);

const childSchemas = (schema: SchemaNode): SchemaNode[] => [
  ...Object.values(schema.properties ?? {}),
  ...(schema.items ? [schema.items] : []),
  ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
];

/** Every CEL rule text in a schema that applies on create, to prove each one has a mirror. */
export function celRules(schema: SchemaNode): string[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((v) => v.rule).filter((r) => !isTransitionRule(r));
  return [...own, ...childSchemas(schema).flatMap(celRules)];
}

/** Apply the mirrored CEL rules and list-map uniqueness to a value; returns the failures. */
export function kubernetesRuleFailures(schema: SchemaNode, value: Json, path = ''): string[] {
  if (value === undefined || value === null) return [];
  const failures: string[] = [];
  for (const { rule, message } of schema['x-kubernetes-validations'] ?? []) {
    if (isTransitionRule(rule)) continue;
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
  const extra = schema.additionalProperties;
  if (typeof extra === 'object' && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, child] of Object.entries(value as Item)) {
      if (schema.properties?.[name] === undefined) failures.push(...kubernetesRuleFailures(extra, child, `${path}/${name}`));
    }
  }
  return failures;
}
