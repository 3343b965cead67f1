import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Where the DynamoDB client connects. */
export interface DynamoDocumentClientOptions {
  readonly region: string;
  /** A local endpoint (dynalite, DynamoDB Local); absent for AWS itself. */
  readonly endpoint?: string | undefined;
  /** Fixed credentials (tests, local endpoints); absent to use the SDK's default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/** Three attempts in the SDK's standard retry mode: throttling and 5xx are retried with backoff. */
export const DYNAMODB_MAX_ATTEMPTS = 3;
/** A dead endpoint fails each attempt after this long, so a request gives up in a few seconds. */
export const DYNAMODB_CONNECTION_TIMEOUT_MS = 1000;
/**
 * Longest a single attempt may take. DynamoDB answers in milliseconds (a full 1 MB Scan page in
 * well under a second), so with three attempts a silent endpoint fails in about three seconds.
 */
export const DYNAMODB_REQUEST_TIMEOUT_MS = 1000;

/**
 * The document client the service hands its DynamoDB store, for library users too: standard
 * retries (3 attempts) and a 1 s connection and request timeout per attempt, so a dead or silent
 * endpoint fails a call within seconds instead of the SDK's default of waiting on. Close it with
 * {@link closeDynamoDocumentClient}: the document client's own `destroy()` does nothing.
 */
export function createDynamoDocumentClient(options: DynamoDocumentClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    retryMode: 'standard',
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: DYNAMODB_CONNECTION_TIMEOUT_MS,
      requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS,
      // Without it a request past its timeout only logs a warning and waits on.
      throwOnRequestTimeout: true,
    },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Closes the connections of a client made by {@link createDynamoDocumentClient}. */
export function closeDynamoDocumentClient(client: DynamoDBDocumentClient): void {
  // The document client shares its config, and so its HTTP handler, with the client it wraps.
  client.config.requestHandler.destroy?.();
}
