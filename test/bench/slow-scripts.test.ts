import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisCounterReader } from '../../bench/redis-counters.js';
import { describeSlowest, describeSlowestCommand, SlowScriptWatch } from '../../bench/slow-scripts.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

// The watch reports, beside each phase's slowest script, the slowest command a script called (a
// one-key command there running long is Redis stalled by the machine) and Redis's preemptions.

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

// A command slow by its own work, called by a script: reading back a long list.
const LIST_LENGTH = 300_000;
const READ_LIST = `return #redis.call('LRANGE', KEYS[1], 0, -1)`;

test('a phase reports the slowest command a script called and how often Redis was preempted', async () => {
  const reader = new RedisCounterReader(redis.url);
  const client = new Redis(redis.url, { lazyConnect: false });
  try {
    const watch = new SlowScriptWatch(reader);
    await watch.start();
    await client.ping();
    for (let from = 0; from < LIST_LENGTH; from += 10_000) {
      await client.rpush('bench-list', ...Array.from({ length: 10_000 }, (_, i) => String(from + i)));
    }
    expect(await client.eval(READ_LIST, 1, 'bench-list')).toBe(LIST_LENGTH);

    const slowest = await watch.take();
    expect(slowest.slowestCalled?.name).toBe('LRANGE');
    // Logged (over 200 µs), and inside the script's own time; the RPUSHes are other commands.
    expect(slowest.slowestCalled?.micros).toBeGreaterThan(200);
    expect(slowest.micros).toBeGreaterThanOrEqual(slowest.slowestCalled?.micros ?? Infinity);
    expect(slowest.scripts).toBe(1);
    // Sent as EVAL, as ioredis sends a script's first call: its text, cut by SLOWLOG, names no script of the store.
    expect(slowest.script).toBe("a script's first call on a connection (EVAL)");
    if (process.platform === 'linux') expect(slowest.preemptions).toBeGreaterThanOrEqual(0);
    expect(describeSlowest(slowest)).toMatch(/slowest command a script called LRANGE \d+ µs/);

    // The next phase starts afresh: the same read as a plain command is that phase's slowest.
    expect(await client.llen('bench-list')).toBe(LIST_LENGTH);
    await client.lrange('bench-list', 0, -1);
    const next = await watch.take();
    expect(next).toMatchObject({ micros: 0, scripts: 0, slowestCalled: undefined, slowestCommand: { name: 'LRANGE' } });
    expect(describeSlowestCommand(next)).toMatch(/^slowest LRANGE \d+ µs; \d+ commands over 1 ms/);
  } finally {
    client.disconnect();
    await reader.close();
  }
});
