import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Records the commands clients send to one redis-server, through MONITOR. Commands a Lua
 * script runs inside the server are reported with source "lua" and left out: what is left is
 * exactly what crossed the network, one entry per command.
 */
export class CommandCounter {
  readonly #monitor: Redis;
  readonly #marker: Redis;
  readonly #seen: string[][] = [];
  #waiting: { marker: string; resolve: () => void } | undefined;

  private constructor(monitor: Redis, marker: Redis) {
    this.#monitor = monitor;
    this.#marker = marker;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === 'lua') return;
      this.#seen.push(args);
      if (this.#waiting && args[0]?.toLowerCase() === 'echo' && args[1] === this.#waiting.marker) {
        this.#waiting.resolve();
      }
    });
  }

  /** Starts monitoring the server on `port`. */
  static async start(port: number): Promise<CommandCounter> {
    const monitor = await new Redis({ port, host: '127.0.0.1', lazyConnect: true }).monitor();
    const marker = new Redis({ port, host: '127.0.0.1' });
    return new CommandCounter(monitor, marker);
  }

  /** The commands (name and arguments) the server received from others while `action` ran. */
  async during(action: () => Promise<unknown>): Promise<string[][]> {
    const start = await this.#mark();
    await action();
    const end = await this.#mark();
    return this.#seen.slice(start + 1, end);
  }

  async stop(): Promise<void> {
    this.#monitor.disconnect();
    this.#marker.disconnect();
  }

  /** Sends a unique ECHO and resolves with its index once MONITOR has reported it. */
  async #mark(): Promise<number> {
    const marker = randomUUID();
    const seen = new Promise<void>((resolve) => (this.#waiting = { marker, resolve }));
    await this.#marker.echo(marker);
    await seen;
    this.#waiting = undefined;
    return this.#seen.findLastIndex((args) => args[1] === marker);
  }
}
