import { Redis } from 'ioredis';

/** What Redis has spent so far, as `INFO` reports it. */
export interface RedisCounters {
  /** Main-thread CPU (user + system), in µs; the whole process's where Redis does not split it (before 6.2). */
  readonly cpuMicros: number;
  /** Bytes the allocator holds for data, clients and scripts (`used_memory`). */
  readonly usedMemory: number;
  /** Per command: calls and server µs (`INFO commandstats`), since start. */
  readonly commands: ReadonlyMap<string, { readonly calls: number; readonly usec: number }>;
}

/** Commands that run a script: their server time includes the commands the script calls. */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/**
 * A connection of the benchmark's own that reads Redis's counters. Reading costs Redis a little
 * CPU; every measured phase reads the same way before and after as its idle twin does, so the
 * subtraction takes that out too.
 */
export class RedisCounterReader {
  readonly #client: Redis;

  constructor(url: string) {
    this.#client = new Redis(url, { lazyConnect: false, enableAutoPipelining: false });
  }

  async read(): Promise<RedisCounters> {
    const text = (await this.#client.call('INFO', 'cpu', 'memory', 'commandstats')) as string;
    const fields = new Map<string, string>();
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
    }
    const seconds = (name: string): number | undefined => (fields.has(name) ? Number(fields.get(name)) : undefined);
    const user = seconds('used_cpu_user_main_thread') ?? seconds('used_cpu_user') ?? NaN;
    const sys = seconds('used_cpu_sys_main_thread') ?? seconds('used_cpu_sys') ?? NaN;
    const commands = new Map<string, { calls: number; usec: number }>();
    for (const [name, value] of fields) {
      if (!name.startsWith('cmdstat_')) continue;
      const calls = /calls=(\d+)/.exec(value)?.[1];
      const usec = /usec=(\d+)/.exec(value)?.[1];
      commands.set(name.slice('cmdstat_'.length), { calls: Number(calls), usec: Number(usec) });
    }
    return { cpuMicros: (user + sys) * 1e6, usedMemory: Number(fields.get('used_memory')), commands };
  }

  /** Runs a raw command on this connection (FLUSHALL between parts, PING for latency). */
  call(command: string, ...args: string[]): Promise<unknown> {
    return this.#client.call(command, ...args);
  }

  async close(): Promise<void> {
    await this.#client.quit();
  }
}

/** What the commands between two readings cost, per operation, leaving out the readings' own INFO. */
export interface CommandCost {
  /** Server µs per operation: scripts' own time when a script ran (it includes what it called), else every command's. */
  readonly serverMicros: number;
  /** The commands sent per operation, e.g. `evalsha 1, hget 1`; those a script called are marked as such. */
  readonly calls: string;
}

export function commandCost(before: RedisCounters, after: RedisCounters, operations: number): CommandCost {
  const spent: { name: string; calls: number; usec: number }[] = [];
  for (const [name, now] of after.commands) {
    if (name === 'info') continue;
    const was = before.commands.get(name) ?? { calls: 0, usec: 0 };
    if (now.calls > was.calls) spent.push({ name, calls: now.calls - was.calls, usec: now.usec - was.usec });
  }
  // commandstats also counts each command a script calls, inside the script's own time: adding
  // both would count them twice, so with a script in the phase only scripts' time is summed.
  const scripted = spent.some((c) => SCRIPT_COMMANDS.has(c.name));
  const counted = scripted ? spent.filter((c) => SCRIPT_COMMANDS.has(c.name)) : spent;
  const serverMicros = counted.reduce((sum, c) => sum + c.usec, 0) / operations;
  const calls = spent
    .sort((a, b) => b.calls - a.calls)
    .map((c) => `${c.name} ${round(c.calls / operations)}${scripted && !SCRIPT_COMMANDS.has(c.name) ? ' (in script)' : ''}`)
    .join(', ');
  return { serverMicros, calls };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
