import { StoreUnavailableError } from '../../core/index.js';

// Replies that mean "not now" rather than "wrong": the cluster is re-sharding or failing
// over, the server is loading its data set, out of memory, or busy with a long script.
const TRANSIENT_REPLIES = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|BUSY|READONLY|OOM|NOREPLICAS|MISCONF)\b/;

/**
 * Maps a failed Redis call onto the port's errors: anything that means Redis could not answer
 * (no connection, a timeout, the offline queue refusing, a cluster that is down or moving)
 * becomes `StoreUnavailableError` with the original as its cause. Any other error reply means a
 * bug (in a script, or a key of the wrong type) and is rethrown unchanged, so it is never
 * mistaken for an outage.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (isErrorReply(error) && !TRANSIENT_REPLIES.test(error.message.replace(/^ERR Error running script.*?: /, ''))) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`redis is unavailable: ${reason}`, { cause: error });
}

function isErrorReply(error: unknown): error is Error {
  // ioredis rejects with redis-errors' ReplyError for every error reply from the server.
  return error instanceof Error && error.name === 'ReplyError';
}
