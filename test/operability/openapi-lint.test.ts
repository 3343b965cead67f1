import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../transports/http/index.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const root = fileURLToPath(new URL('../../', import.meta.url));

type Json = Record<string, any>;

const pointer = (...parts: (string | number)[]): string => `#/${parts.map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

/** Where every schema of the document is: components, parameters, headers, bodies and responses. */
function schemasOf(document: Json): string[] {
  const found = Object.keys(document.components.schemas as Json).map((name) => pointer('components', 'schemas', name));
  for (const [path, item] of Object.entries(document.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      (operation.parameters ?? []).forEach((_: unknown, i: number) => found.push(pointer('paths', path, method, 'parameters', i, 'schema')));
      for (const type of Object.keys(operation.requestBody?.content ?? {})) found.push(pointer('paths', path, method, 'requestBody', 'content', type, 'schema'));
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        for (const type of Object.keys(response.content ?? {})) found.push(pointer('paths', path, method, 'responses', status, 'content', type, 'schema'));
        for (const name of Object.keys(response.headers ?? {})) found.push(pointer('paths', path, method, 'responses', status, 'headers', name, 'schema'));
      }
    }
  }
  return found;
}

describe('the OpenAPI document, as tools read it', () => {
  it('lints clean under spectral:oas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(openApiDocument()));
      const spectral = join(root, 'node_modules/.bin/spectral');
      const ruleset = join(root, 'test/operability/spectral-ruleset.yaml');
      const { stdout } = await promisify(execFile)(spectral, ['lint', file, '--ruleset', ruleset, '--format', 'json', '--fail-severity', 'hint', '--quiet'], {
        cwd: dir,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
      const findings = (stdout.trim() === '' ? [] : JSON.parse(stdout)) as { code: string; message: string; path: string[] }[];
      expect(findings.map((f) => `${f.code}: ${f.message} at ${f.path.join('.')}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('holds only schemas that compile under ajv in strict mode', () => {
    const document = openApiDocument() as Json;
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv);
    for (const field of Object.keys(document)) ajv.addKeyword(field);
    ajv.addSchema({ ...document, $id: 'openapi.json' });
    const where = schemasOf(document);
    expect(where.length).toBeGreaterThan(50);
    for (const at of where) expect(() => ajv.compile({ $ref: `openapi.json${at}` }), at).not.toThrow();
  });

  it('gives no schema an $id (Swagger UI then shows "string" for every example)', () => {
    expect(JSON.stringify(openApiDocument())).not.toContain('"$id"');
  });
});
