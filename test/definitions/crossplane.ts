import { crdValidator, type Validator } from './schema-validation.js';

/**
 * Crossplane offline: the CRD Crossplane generates from an XRD (for the XR's own fields), and
 * function-patch-and-transform's FromCompositeFieldPath patches applied to the bases, which is
 * all our Composition uses. Any other patch type or a transform is refused here, so nothing
 * passes unchecked.
 */

type Json = Record<string, any>;

/** A validator for composite resources of an XRD's served version. */
export async function compositeValidator(xrd: Json, version: string): Promise<Validator> {
  return crdValidator({
    metadata: { name: xrd['metadata']['name'] },
    spec: {
      group: xrd['spec']['group'],
      names: xrd['spec']['names'],
      versions: (xrd['spec']['versions'] as Json[]).map((v) => ({ name: v['name'], served: v['served'], storage: v['name'] === version, schema: v['schema'] })),
    },
  }, version);
}

/** A field path as function-patch-and-transform reads it: `a.b[0].c`, `metadata.labels[app.kubernetes.io/name]`. */
export function fieldPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const [, name, bracket] of path.matchAll(/([^.[\]]+)|\[([^\]]+)\]/g)) {
    if (name !== undefined) segments.push(name);
    else segments.push(/^\d+$/.test(bracket ?? '') ? Number(bracket) : (bracket ?? ''));
  }
  return segments;
}

/** The value at a field path, or undefined. */
export function getPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const segment of fieldPath(path)) value = (value as Json | undefined)?.[segment];
  return value;
}

/** Set a field path, creating objects on the way; a list index must exist already. */
function setPath(object: Json, path: string, value: unknown): void {
  const segments = fieldPath(path);
  let node: Json = object;
  segments.slice(0, -1).forEach((segment, i) => {
    if (typeof segment === 'number' && !(Array.isArray(node) && segment < node.length)) {
      throw new Error(`${path}: there is no element ${segment} at ${segments.slice(0, i).join('.')}`);
    }
    node[segment] ??= {};
    node = node[segment] as Json;
  });
  node[segments.at(-1) as string | number] = value;
}

/** A composed resource: its name in the Composition and what is sent to the API server. */
export interface Composed {
  readonly name: string;
  readonly resource: Json;
}

/**
 * The resources the Composition's patch-and-transform step composes for an XR (defaults
 * applied): each base with its FromCompositeFieldPath patches. ToCompositeFieldPath patches
 * write the XR's status from observed resources; they are returned for the caller to check.
 */
export function compose(input: Json, xr: Json): { composed: Composed[]; toComposite: Json[] } {
  const composed: Composed[] = [];
  const toComposite: Json[] = [];
  for (const resource of input['resources'] as Json[]) {
    const base = structuredClone(resource['base']) as Json;
    for (const patch of (resource['patches'] ?? []) as Json[]) {
      if (patch['transforms'] !== undefined) throw new Error(`${resource['name']}: transforms are not rendered offline`);
      if (patch['type'] === 'ToCompositeFieldPath') {
        toComposite.push({ resource: resource['name'], ...patch });
        continue;
      }
      if (patch['type'] !== 'FromCompositeFieldPath') throw new Error(`${resource['name']}: patch type ${patch['type']} is not rendered offline`);
      const value = getPath(xr, patch['fromFieldPath'] as string);
      // Like the function: a missing source field leaves the base as it is (policy Optional).
      if (value !== undefined) setPath(base, patch['toFieldPath'] as string, structuredClone(value));
    }
    // Crossplane v2 puts a namespaced XR's composed resources in its namespace.
    base['metadata'] = { ...(base['metadata'] ?? {}), namespace: xr['metadata']['namespace'] };
    composed.push({ name: resource['name'] as string, resource: base });
  }
  return { composed, toComposite };
}

/** The XR with the XRD's schema defaults applied (the API server's defaulting). */
export function withSchemaDefaults(xrd: Json, version: string, xr: Json): Json {
  const served = (xrd['spec']['versions'] as Json[]).find((v) => v['name'] === version) as Json;
  const fill = (schema: Json, value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const out: Json = { ...(value as Json) };
    for (const [name, child] of Object.entries((schema['properties'] ?? {}) as Json)) {
      if (out[name] === undefined && (child as Json)['default'] !== undefined) out[name] = structuredClone((child as Json)['default']);
      else if (out[name] !== undefined) out[name] = fill(child as Json, out[name]);
    }
    return out;
  };
  return fill(served['schema']['openAPIV3Schema'] as Json, xr) as Json;
}
