import { SessionError, StoreUnavailableError } from '../../core/index.js';

/** DynamoDB refused a write because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

// A request DynamoDB found malformed is a bug here, not an outage: it must surface as such.
const OUR_BUGS = new Set(['ValidationException', 'SerializationException']);

/**
 * What to throw for an error the SDK gave up on (after its own retries). Network failures,
 * timeouts, throttling, 5xx, a missing table or refused credentials all mean the store cannot
 * answer now: `StoreUnavailableError`, with the SDK's error as its cause.
 */
export function toStoreError(error: unknown, operation: string): unknown {
  if (error instanceof SessionError) return error;
  if (error instanceof Error && OUR_BUGS.has(error.name)) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreUnavailableError(`DynamoDB ${operation} failed: ${reason}`, { cause: error });
}

/**
 * What a failed condition returned of the item (ReturnValuesOnConditionCheckFailure): its
 * deadline, and `aliasOf` for an alias item; undefined when none came back. The document client
 * does not unmarshall errors, so the item arrives as raw attribute values (`{ N: '...' }`).
 */
export function conditionFailureImage(error: unknown): { expiresAtMs: number; aliasOf?: string } | undefined {
  const item = (error as { Item?: Record<string, { N?: string; S?: string } | undefined> }).Item;
  const expiresAtMs = item?.['expiresAtMs']?.N;
  const aliasOf = item?.['aliasOf']?.S;
  return expiresAtMs === undefined ? undefined : { expiresAtMs: Number(expiresAtMs), ...(aliasOf !== undefined && { aliasOf }) };
}
