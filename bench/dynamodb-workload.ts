import type { BenchOptions } from './bench-options.js';
import { startDynalite } from './dynalite-process.js';
import { dynamoContenders } from './dynamodb-contenders.js';
import { measureStores } from './measure-stores.js';
import type { ResultRow } from './result-row.js';

/** Operations per store operation when `--ops` is not given: dynalite answers in milliseconds. */
export const DYNAMODB_DEFAULT_OPS = 600;

/** Store level over dynalite, started in this process for the part and stopped after it. */
export async function runDynamoWorkload(options: BenchOptions, progress: (line: string) => void): Promise<ResultRow[]> {
  const dynalite = await startDynalite();
  try {
    const contenders = await dynamoContenders(dynalite.endpoint);
    try {
      return await measureStores(contenders, {
        part: 'dynamodb',
        ops: options.ops ?? DYNAMODB_DEFAULT_OPS,
        concurrencies: options.concurrencies,
        rounds: options.rounds,
        progress,
      });
    } finally {
      for (const contender of contenders) await contender.close();
    }
  } finally {
    await dynalite.stop();
  }
}
