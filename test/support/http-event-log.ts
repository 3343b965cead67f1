import type { WireEvent } from '../../transports/wire/wire-event.js';

/** One page of `GET /events`. */
interface WireEventPage {
  readonly events: readonly WireEvent[];
  readonly cursor: string;
}

/**
 * Reads a service's event log through `GET /events` and keeps every event it has read. Each
 * `readOn()` carries on from the cursor the last page answered.
 */
export class HttpEventLogReader {
  readonly events: WireEvent[] = [];
  #cursor: string | undefined;

  /** Reads after `after` (a cursor some page answered), or from the oldest event kept. */
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly limit = 1000,
    after?: string,
  ) {
    this.#cursor = after;
  }

  /** Where the next `readOn()` reads from: the last page's cursor (`undefined`: the start). */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  /**
   * Reads page after page until one answers no event, and answers the events new since the last
   * call. A page with fewer than `limit` events does not end the reading: in a cluster the log is
   * one stream per slot, and only an empty page says nothing more is recorded yet.
   */
  async readOn(maxPages = 10_000): Promise<WireEvent[]> {
    const fresh: WireEvent[] = [];
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await this.#page();
      this.#cursor = page.cursor;
      if (page.events.length === 0) return fresh;
      fresh.push(...page.events);
      this.events.push(...page.events);
    }
    throw new Error(`the event log did not end within ${maxPages} pages`);
  }

  async #page(): Promise<WireEventPage> {
    const query = `?limit=${this.limit}${this.#cursor === undefined ? '' : `&after=${encodeURIComponent(this.#cursor)}`}`;
    const response = await fetch(`${this.url}/events${query}`, { headers: this.headers, signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET /events${query} answered ${response.status}: ${text}`);
    return JSON.parse(text) as WireEventPage;
  }
}

/** Epoch milliseconds of a wire instant; fails the test on anything that is not one. */
export function instantOf(value: string | undefined): number {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(value)}`);
  return ms;
}
