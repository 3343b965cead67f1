import type * as z from 'zod';
import { HttpProblem } from './problem.js';

/** Parses `value` with `schema`, or throws a 400 problem naming each offending field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      const keys = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
      return path ? `${path}: ${keys}` : keys;
    })
    .join('; ');
  throw new HttpProblem('invalid-input', `${what}: ${detail}`);
}

/** How {@link validator} reads one field of an object schema. */
interface FieldPlan {
  readonly name: string;
  /** A `z.string()` without checks (optional or not): any string passes as it is. */
  readonly plainString: boolean;
  readonly optional: boolean;
}

/**
 * `validate` for one schema, made once. An object schema of plain strings (path parameters,
 * headers) and optional fields is checked here without zod for the input that passes, and
 * gives the same object zod would (the fields present, in the schema's order); anything
 * else, any input this cannot decide, and every failure go to zod, so what passes, what is
 * refused and every problem's detail stay zod's.
 */
export function validator<T extends z.ZodType>(schema: T, what: string): (value: unknown) => z.output<T> {
  const slow = (value: unknown): z.output<T> => validate(schema, value, what);
  const plan = objectPlan(schema);
  if (plan === undefined) return slow;
  const { fields, strict } = plan;
  const known = new Set(fields.map((field) => field.name));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return slow(value);
    const input = value as Record<string, unknown>;
    if (strict) for (const key of Object.keys(input)) if (!known.has(key)) return slow(value);
    const output: Record<string, unknown> = {};
    for (const field of fields) {
      if (!Object.hasOwn(input, field.name)) {
        if (!field.optional) return slow(value);
        continue;
      }
      const sent = input[field.name];
      if (!field.plainString || typeof sent !== 'string') return slow(value);
      output[field.name] = sent;
    }
    return output as z.output<T>;
  };
}

// The parts of zod's definitions read here (zod 4's `_zod.def`).
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, { readonly _zod: { readonly def: Def } }>>;
  readonly catchall?: { readonly _zod: { readonly def: Def } };
  readonly innerType?: { readonly _zod: { readonly def: Def } };
  readonly checks?: readonly unknown[];
  readonly coerce?: boolean;
}

/** The fields of an object schema this can check, or `undefined` when it cannot. */
function objectPlan(schema: z.ZodType): { fields: FieldPlan[]; strict: boolean } | undefined {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.type !== 'object' || def.shape === undefined || (def.checks?.length ?? 0) > 0) return undefined;
  // No catchall strips unknown keys; `never` refuses them (strictObject); any other takes them in.
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never') return undefined;
  const fields = Object.entries(def.shape).map(([name, field]): FieldPlan => {
    const outer = field._zod.def;
    const optional = outer.type === 'optional';
    const inner = optional ? outer.innerType?._zod.def : outer;
    const plainString = inner?.type === 'string' && (inner.checks?.length ?? 0) === 0 && inner.coerce !== true;
    return { name, plainString, optional };
  });
  return { fields, strict: catchall === 'never' };
}
