import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../transports/http/index.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, any>;

/**
 * Checks a response against the OpenAPI document: the operation must exist (or the answer be a
 * problem), the status must be documented (or fall under `default`), and the body must match the
 * documented media type and schema. Returns the reasons it does not, empty when it does.
 */
export function createOpenApiResponseCheck(document: Json = openApiDocument()) {
  // Strict: a keyword JSON Schema 2020-12 does not know (`example`, a stray `$id`) is an error,
  // not something ajv or Swagger UI silently reads its own way. Only the document's own
  // top-level fields, which hold the schemas, are declared as known.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const field of Object.keys(document)) ajv.addKeyword(field);
  ajv.addSchema({ ...document, $id: 'openapi.json' });
  const operations = Object.entries(document.paths as Json).map(([template, item]) => ({
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
    template,
    item: item as Json,
  }))
    // The router takes the template with fewer parameters (`/sessions/current` over `/sessions/{id}`): so does the check.
    .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  const problemSchema = { $ref: '#/components/schemas/Problem' };
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (schema: Json) => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) validators.set(key, (validate = ajv.compile(schema.$ref ? { $ref: `openapi.json${schema.$ref}` } : schema)));
    return validate;
  };

  return (method: string, path: string, status: number, contentType: string | null, body: unknown): string[] => {
    const pathname = new URL(path, 'http://x').pathname;
    const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
    if (method === 'HEAD' || status === 304) return [];
    const operation = operations
      .filter((op) => op.pattern.test(pathname))
      .map((op) => op.item[method.toLowerCase()] as Json | undefined)
      .find((op) => op !== undefined);
    if (!operation) {
      if (status < 400) return [`${method} ${pathname} answered ${status} but is not in the document`];
      if (mediaType !== 'application/problem+json') return [`${method} ${pathname} ${status}: ${mediaType} is not a problem`];
      return validatorFor(problemSchema)(body) ? [] : [`${method} ${pathname} ${status}: ${ajv.errorsText(validatorFor(problemSchema).errors)}`];
    }
    const response = (operation.responses[String(status)] ?? (status >= 400 ? operation.responses.default : undefined)) as Json | undefined;
    if (!response) return [`${method} ${pathname}: status ${status} is not documented`];
    const media = response.content?.[mediaType] as Json | undefined;
    if (!media) return [`${method} ${pathname} ${status}: media type ${mediaType} is not documented`];
    const validate = validatorFor(media.schema);
    if (media.schema.type === 'string') return typeof body === 'string' ? [] : [`${method} ${pathname}: expected text`];
    return validate(body) ? [] : [`${method} ${pathname} ${status}: ${ajv.errorsText(validate.errors)}`];
  };
}
