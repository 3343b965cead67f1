import { conditionFailureImage, isConditionalCheckFailed, toStoreError } from './store-error.js';

/** A write whose condition did not hold, with what the endpoint returned of the item that failed it (see `conditionFailureImage`). */
export interface ConditionFailed {
  readonly conditionFailed: true;
  readonly image: { expiresAtMs: number; aliasOf?: string } | undefined;
}

/**
 * Sends one request of the store: what the SDK gives up on (after its own retries) becomes the
 * store's error (see `toStoreError`), named by the DynamoDB operation.
 */
export async function request<Output>(operation: string, send: () => Promise<Output>): Promise<Output> {
  try {
    return await send();
  } catch (error) {
    throw toStoreError(error, operation);
  }
}

/** {@link request} for a conditional write: a failed condition is an answer, not an error. */
export async function conditionalRequest<Output>(operation: string, send: () => Promise<Output>): Promise<Output | ConditionFailed> {
  try {
    return await send();
  } catch (error) {
    if (isConditionalCheckFailed(error)) return { conditionFailed: true, image: conditionFailureImage(error) };
    throw toStoreError(error, operation);
  }
}

/** True for the answer of a write whose condition failed. */
export function isConditionFailed(answer: unknown): answer is ConditionFailed {
  return typeof answer === 'object' && answer !== null && (answer as Partial<ConditionFailed>).conditionFailed === true;
}
