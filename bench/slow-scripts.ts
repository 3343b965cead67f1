import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { eventScripts } from '../adapters/redis/event-scripts.js';
import { defaultScriptTuning, sessionScripts } from '../adapters/redis/session-scripts.js';
import { EVENT_RETENTION_DEFAULT_MS } from '../core/index.js';
import type { RedisCounterReader } from './redis-counters.js';

/**
 * Redis logs (SLOWLOG) every command that ran longer than this, in µs: low enough that the
 * slowest script of a phase is always there, high enough that the log does not fill with the
 * millions of short ones (the log keeps its newest `LOG_LENGTH`).
 */
const LOG_OVER_US = 200;
const LOG_LENGTH = 10_000;
/** The bound on one script (issue 13: "no script runs longer than 1 ms"). */
export const SCRIPT_BOUND_US = 1_000;

/** A SLOWLOG entry: id, unix time, µs, the command and its arguments, client address, client name. */
type SlowlogEntry = [number, number, number, string[], string?, string?];

/** The slowest script of a phase, and how the others went. */
export interface SlowestScript {
  /** µs; 0 when none ran longer than `LOG_OVER_US`. */
  readonly micros: number;
  /** Its name (the store's script), or its SHA when it is none of the store's. */
  readonly script: string;
  /** Scripts that ran in the phase (INFO commandstats), and of them those over `SCRIPT_BOUND_US`. */
  readonly scripts: number;
  readonly overBound: number;
  /** The 99.9th percentile of all scripts' times, µs; `undefined` when under `LOG_OVER_US` (too few logged). */
  readonly p999Micros: number | undefined;
  /** The slowest command that was not a script (MGET, ZRANGEBYLEX...), µs and name, when one was logged. */
  readonly slowestCommand: { readonly micros: number; readonly name: string } | undefined;
  /** Of those commands, how many ran over `SCRIPT_BOUND_US`. */
  readonly commandsOverBound: number;
  /**
   * The slowest command a script called (its time is inside the script's), when one was logged.
   * A one-key `SET` or `ZADD` over the bound is Redis stalled by the machine, not work of the script.
   */
  readonly slowestCalled: { readonly micros: number; readonly name: string } | undefined;
  /**
   * How often the kernel took the CPU from Redis's main thread in the phase (involuntary context
   * switches); `undefined` where the process cannot be read (not Linux, not this machine's).
   */
  readonly preemptions: number | undefined;
  /** The log filled up: older entries were lost, so an older slower one may be missing. */
  readonly full: boolean;
}

/** The script names of a store of default settings by the SHA1 that EVALSHA names them by, with events and without. */
function scriptNames(): Map<string, string> {
  const names = new Map<string, string>();
  const events = { retentionMs: EVENT_RETENTION_DEFAULT_MS };
  for (const scripts of [sessionScripts(undefined, defaultScriptTuning(false)), sessionScripts(events, defaultScriptTuning(true)), eventScripts(events)]) {
    for (const [name, { lua }] of Object.entries(scripts)) names.set(createHash('sha1').update(lua).digest('hex'), name);
  }
  return names;
}

/** The client address SLOWLOG gives a command a script called (its time is in the script's). */
const SCRIPT_CLIENT = '?:0';
const SCRIPT_COMMANDS = /^(eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro)$/i;

/**
 * Watches one Redis for its slowest script, phase by phase: `start` turns the log on and empties
 * it, `take` answers what ran since and starts the next phase. SLOWLOG times a command by the wall
 * clock on the server, so a script descheduled on a loaded machine counts as slow as well: the
 * count of scripts over the bound, out of all, says whether one outlier is the machine's.
 */
export class SlowScriptWatch {
  readonly #reader: RedisCounterReader;
  readonly #names = scriptNames();
  #scriptsBefore = 0;
  #pid: number | undefined;
  #preemptionsBefore: number | undefined;

  constructor(reader: RedisCounterReader) {
    this.#reader = reader;
  }

  async start(): Promise<void> {
    await this.#reader.call('CONFIG', 'SET', 'slowlog-log-slower-than', String(LOG_OVER_US));
    await this.#reader.call('CONFIG', 'SET', 'slowlog-max-len', String(LOG_LENGTH));
    const server = (await this.#reader.call('INFO', 'server')) as string;
    this.#pid = Number(/^process_id:(\d+)/m.exec(server)?.[1]) || undefined;
    await this.#reset();
  }

  async take(): Promise<SlowestScript> {
    const entries = (await this.#reader.call('SLOWLOG', 'GET', String(LOG_LENGTH))) as SlowlogEntry[];
    const scripts = (await this.#scriptCalls()) - this.#scriptsBefore;
    let slowest: SlowlogEntry | undefined;
    let slowestCommand: SlowlogEntry | undefined;
    let slowestCalled: SlowlogEntry | undefined;
    let overBound = 0;
    let commandsOverBound = 0;
    const logged: number[] = [];
    for (const entry of entries) {
      const command = entry[3][0] ?? '';
      if (SCRIPT_COMMANDS.test(command)) {
        logged.push(entry[2]);
        if (entry[2] > SCRIPT_BOUND_US) overBound++;
        slowest = slowerOf(slowest, entry);
      } else if (entry[4] === SCRIPT_CLIENT) {
        slowestCalled = slowerOf(slowestCalled, entry);
      } else if (!/^(config|slowlog|info)$/i.test(command)) {
        if (entry[2] > SCRIPT_BOUND_US) commandsOverBound++;
        slowestCommand = slowerOf(slowestCommand, entry);
      }
    }
    const preemptionsNow = await this.#preemptions();
    const preemptions = preemptionsNow === undefined || this.#preemptionsBefore === undefined ? undefined : preemptionsNow - this.#preemptionsBefore;
    await this.#reset(preemptionsNow);
    // The slowest 0.1% of all scripts that ran are among those logged, when enough were.
    logged.sort((a, b) => b - a);
    const p999Micros = logged[Math.ceil(scripts / 1000) - 1];
    const sha = slowest?.[3][1] ?? '';
    return {
      micros: slowest?.[2] ?? 0,
      script: slowest ? this.#nameOf(slowest[3][0] ?? '', sha) : 'none over 200 µs',
      scripts,
      overBound,
      p999Micros,
      slowestCommand: slowestCommand && timedCommand(slowestCommand),
      commandsOverBound,
      slowestCalled: slowestCalled && timedCommand(slowestCalled),
      preemptions,
      full: entries.length >= LOG_LENGTH,
    };
  }

  /**
   * A logged script's name. ioredis sends a script's first call on each connection as EVAL with
   * its text (EVALSHA after), which SLOWLOG cuts after 128 bytes, a start every script of the
   * store shares: such a call is named as the first call it is.
   */
  #nameOf(command: string, shaOrText: string): string {
    const named = this.#names.get(shaOrText.toLowerCase());
    if (named !== undefined) return named;
    if (/^eval(_ro)?$/i.test(command)) return "a script's first call on a connection (EVAL)";
    return `${command} ${shaOrText.slice(0, 12)}`;
  }

  /** Starts the next phase; `preemptions`, when just read, is its baseline. */
  async #reset(preemptions?: number): Promise<void> {
    await this.#reader.call('SLOWLOG', 'RESET');
    this.#scriptsBefore = await this.#scriptCalls();
    this.#preemptionsBefore = preemptions ?? (await this.#preemptions());
  }

  /** Involuntary context switches of Redis's main thread so far (the process's first thread is it). */
  async #preemptions(): Promise<number | undefined> {
    if (this.#pid === undefined) return undefined;
    const status = await readFile(`/proc/${this.#pid}/status`, 'utf8').catch(() => undefined);
    const found = status === undefined ? undefined : /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1];
    return found === undefined ? undefined : Number(found);
  }

  async #scriptCalls(): Promise<number> {
    const { commands } = await this.#reader.read();
    let calls = 0;
    for (const [name, { calls: n }] of commands) if (SCRIPT_COMMANDS.test(name)) calls += n;
    return calls;
  }
}

/** The slower of two logged entries. */
function slowerOf(slowest: SlowlogEntry | undefined, entry: SlowlogEntry): SlowlogEntry {
  return slowest === undefined || entry[2] > slowest[2] ? entry : slowest;
}

/** A logged entry as the results name it: its command, upper case, and its µs. */
function timedCommand(entry: SlowlogEntry): { micros: number; name: string } {
  return { micros: entry[2], name: (entry[3][0] ?? '').toUpperCase() };
}

/** What a note says of Redis's preemptions in the phase, when they could be read. */
function preemptedNote(slowest: SlowestScript): string {
  return slowest.preemptions === undefined ? '' : `; Redis preempted ${slowest.preemptions.toLocaleString('en-US')} times`;
}

/** The note of a phase's slowest script, for the results table. */
export function describeSlowest(slowest: SlowestScript): string {
  const over = slowest.commandsOverBound > 0 ? ` (${slowest.commandsOverBound.toLocaleString('en-US')} over ${SCRIPT_BOUND_US / 1000} ms)` : '';
  const command = slowest.slowestCommand ? `; slowest other command ${slowest.slowestCommand.name} ${slowest.slowestCommand.micros} µs${over}` : '';
  const called = slowest.slowestCalled ? `; slowest command a script called ${slowest.slowestCalled.name} ${slowest.slowestCalled.micros} µs` : '';
  const p999 = slowest.p999Micros === undefined ? `under ${LOG_OVER_US}` : String(slowest.p999Micros);
  return `slowest script ${slowest.script} ${slowest.micros} µs; ${slowest.overBound.toLocaleString('en-US')} of ${slowest.scripts.toLocaleString('en-US')} scripts over ${SCRIPT_BOUND_US / 1000} ms, p99.9 ${p999} µs${called}${command}${preemptedNote(slowest)}${slowest.full ? ' (log full: older entries lost)' : ''}`;
}

/** The note of a phase that ran no script (the ceiling's fill): its slowest command. */
export function describeSlowestCommand(slowest: SlowestScript): string {
  const command = slowest.slowestCommand
    ? `slowest ${slowest.slowestCommand.name} ${slowest.slowestCommand.micros} µs; ${slowest.commandsOverBound.toLocaleString('en-US')} commands over ${SCRIPT_BOUND_US / 1000} ms`
    : `no command over ${LOG_OVER_US} µs`;
  return `${command}${preemptedNote(slowest)}${slowest.full ? ' (log full: older entries lost)' : ''}`;
}
