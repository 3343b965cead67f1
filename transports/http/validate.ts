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
