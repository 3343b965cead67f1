import { closeDynamoDocumentClient, createDynamoDocumentClient, createSessionTable } from '../adapters/dynamodb/index.js';
import { ConfigError, loadConfig } from './config.js';
import { withoutCredentials } from './url-credentials.js';

/** What `session-api create-table` reads and where it writes its one line. */
export interface CreateTableCommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const processIo: CreateTableCommandIo = {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `session-api create-table`: creates the session table named by DYNAMODB_TABLE_NAME (keyed
 * home and id, with TTL where the endpoint supports it) in AWS_REGION at DYNAMODB_ENDPOINT (AWS
 * itself when unset), prints one line and returns the exit code: 0 done, 1 failed, 2 bad
 * configuration. Running it again on an existing table is harmless.
 */
export async function runCreateTableCommand(io: CreateTableCommandIo = processIo): Promise<number> {
  let store;
  try {
    store = loadConfig(io.env).store;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`session-api create-table: ${error.message}`);
    return 2;
  }
  if (store.kind !== 'dynamodb') {
    io.stderr('session-api create-table: set DYNAMODB_TABLE_NAME and AWS_REGION (the DynamoDB store)');
    return 2;
  }
  const client = createDynamoDocumentClient({ region: store.region, endpoint: store.endpoint });
  const where = store.endpoint === undefined ? `AWS ${store.region}` : withoutCredentials(store.endpoint);
  try {
    const result = await createSessionTable(client, store.tableName);
    const ttl = result.timeToLive === 'enabled' ? 'TTL enabled' : 'TTL not supported by this endpoint';
    io.stdout(`session-api create-table: table ${store.tableName} ${result.table} at ${where}, ${ttl}`);
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`session-api create-table: table ${store.tableName} at ${where} failed: ${reason}`);
    return 1;
  } finally {
    closeDynamoDocumentClient(client);
  }
}
