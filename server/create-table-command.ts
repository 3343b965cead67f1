import { createSessionTable } from '../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient, createDynamoDocumentClient } from './dynamodb-client.js';

/** Where `session-api create-table` writes its one line. */
export interface CreateTableCommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const processIo: CreateTableCommandIo = {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `session-api create-table`: creates the session table (with its user index, and TTL where the
 * endpoint supports it) named by DYNAMODB_TABLE_NAME in AWS_REGION at DYNAMODB_ENDPOINT (AWS
 * itself when unset), prints one line and returns the exit code. Running it twice is harmless.
 */
export async function runCreateTableCommand(io: CreateTableCommandIo = processIo): Promise<number> {
  const tableName = io.env['DYNAMODB_TABLE_NAME'];
  const region = io.env['AWS_REGION'];
  const endpoint = io.env['DYNAMODB_ENDPOINT'] || undefined;
  if (!tableName || !region) {
    io.stderr('create-table: DYNAMODB_TABLE_NAME and AWS_REGION must be set');
    return 2;
  }
  const client = createDynamoDocumentClient({ region, endpoint });
  const where = endpoint ?? `AWS ${region}`;
  try {
    const result = await createSessionTable(client, tableName);
    const ttl = result.timeToLive === 'enabled' ? 'TTL enabled' : 'TTL not supported by this endpoint';
    io.stdout(`create-table: table ${tableName} ${result.table} at ${where}, ${ttl}`);
    return 0;
  } catch (error) {
    io.stderr(`create-table: table ${tableName} at ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    closeDynamoDocumentClient(client);
  }
}
