import { crdValidator, type Validator } from './schema-validation.js';

/**
 * KRO offline: its SimpleSchema turned into the CRD KRO would generate (for the markers our RGD
 * uses), and an instance's resources rendered the way KRO renders them, for field references.
 * Any other CEL expression in a template is refused here, so nothing goes unchecked quietly.
 */

type Json = Record<string, any>;

const markerPattern = /(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g;

/** One SimpleSchema field (`integer | default=2 minimum=1`) as an OpenAPI schema, and whether it is required. */
function simpleField(text: string): { schema: Json; required: boolean } {
  const [type = '', markers = ''] = text.split('|').map((t) => t.trim());
  const types: Record<string, Json> = { string: { type: 'string' }, integer: { type: 'integer' }, boolean: { type: 'boolean' }, float: { type: 'number' } };
  const base = types[type];
  if (base === undefined) throw new Error(`SimpleSchema type ${JSON.stringify(type)} is not one these tests know`);
  const schema: Json = { ...base };
  let required = false;
  for (const [, key, raw = ''] of markers.matchAll(markerPattern)) {
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    const typed = (v: string): unknown => (schema['type'] === 'string' ? v : JSON.parse(v));
    if (key === 'required') required = value === 'true';
    else if (key === 'description') schema['description'] = value;
    else if (key === 'default') schema['default'] = typed(value);
    else if (key === 'enum') schema['enum'] = value.split(',').map(typed);
    else if (key === 'minimum' || key === 'maximum') schema[key] = Number(value);
    else throw new Error(`SimpleSchema marker ${key} is not one these tests know`);
  }
  return { schema, required };
}

/** A SimpleSchema object (nested fields allowed) as an OpenAPI object schema. */
export function simpleSchemaToOpenApi(fields: Json): Json {
  const properties: Json = {};
  const required: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') {
      const field = simpleField(value);
      properties[name] = field.schema;
      if (field.required) required.push(name);
    } else {
      properties[name] = simpleSchemaToOpenApi(value as Json);
    }
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** A validator for instances of the API an RGD defines (the CRD KRO generates, group kro.run). */
export async function instanceValidator(rgd: Json): Promise<Validator> {
  const schema = rgd['spec']['schema'] as Json;
  const kind = schema['kind'] as string;
  return crdValidator({
    metadata: { name: `${kind.toLowerCase()}s.kro.run` },
    spec: {
      group: schema['group'] ?? 'kro.run',
      names: { kind },
      versions: [
        {
          name: schema['apiVersion'],
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: simpleSchemaToOpenApi(schema['spec'] as Json), status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          },
        },
      ],
    },
  });
}

/** The instance with SimpleSchema defaults filled in, as the API server defaults it. */
export function withDefaults(rgd: Json, instance: Json): Json {
  const fill = (fields: Json, value: Json): Json => {
    const out: Json = { ...value };
    for (const [name, field] of Object.entries(fields)) {
      if (typeof field === 'string') {
        const d = simpleField(field).schema['default'];
        if (out[name] === undefined && d !== undefined) out[name] = d;
      } else if (out[name] !== undefined) {
        out[name] = fill(field as Json, out[name] as Json);
      }
    }
    return out;
  };
  return { ...instance, spec: fill(rgd['spec']['schema']['spec'] as Json, (instance['spec'] ?? {}) as Json) };
}

const reference = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/;
const expressionPattern = /\$\{([^}]*)\}/g;

/** Every `${...}` expression in a value, with its JSON path. */
export function expressionsIn(value: unknown, path = ''): { path: string; expression: string }[] {
  if (typeof value === 'string') return [...value.matchAll(expressionPattern)].map((m) => ({ path, expression: (m[1] ?? '').trim() }));
  if (Array.isArray(value)) return value.flatMap((v, i) => expressionsIn(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, `${path}.${k}`));
  return [];
}

function lookup(scope: Json, dotted: string): unknown {
  let value: unknown = scope;
  for (const part of dotted.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) throw new Error(`\${${dotted}} names nothing`);
    value = (value as Json)[part];
  }
  return value;
}

function render(value: unknown, scope: Json): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]*)\}$/.exec(value);
    const resolve = (expression: string): unknown => {
      const e = expression.trim();
      if (!reference.test(e)) throw new Error(`\${${e}}: only field references are rendered offline`);
      return lookup(scope, e);
    };
    // A whole-string expression keeps its type (an integer stays an integer); inside a string it is text.
    if (whole) return resolve(whole[1] ?? '');
    return value.replace(expressionPattern, (_, e: string) => String(resolve(e)));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, scope));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, scope)]));
  return value;
}

/**
 * The resources KRO creates for an instance, by id, in the RGD's order: `${schema.…}` is the
 * instance (defaults applied), `${<id>.…}` a resource rendered before it. Namespaced resources
 * land in the instance's namespace.
 */
export function renderInstance(rgd: Json, instance: Json): Record<string, Json> {
  const scope: Json = { schema: withDefaults(rgd, instance) };
  const rendered: Record<string, Json> = {};
  for (const resource of rgd['spec']['resources'] as Json[]) {
    const object = render(resource['template'], scope) as Json;
    rendered[resource['id'] as string] = object;
    scope[resource['id'] as string] = object;
  }
  return rendered;
}
