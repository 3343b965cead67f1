import { instantOf } from '../support/http-event-log.js';

/** A session the race created, as its create answered it. */
export interface CreatedSession {
  readonly id: string;
  readonly userId: string;
  /** Its deadline, epoch ms: the `time` its `session.expired` must carry. */
  readonly expiresAt: number;
}

/** A service process to send requests to. */
interface Endpoint {
  readonly url: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** POST /sessions for `userId` with its own `ttlSeconds`; throws unless it answers 201. */
export async function createSession(
  service: Endpoint,
  headers: Record<string, string>,
  userId: string,
  ttlSeconds: number,
): Promise<CreatedSession> {
  const response = await fetch(`${service.url}/sessions`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ userId, ttlSeconds, data: { race: true } }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /sessions answered ${response.status}: ${text}`);
  const body = JSON.parse(text) as { id: string; expiresAt: string };
  return { id: body.id, userId, expiresAt: instantOf(body.expiresAt) };
}

type Operation = 'get' | 'refresh' | 'list-user' | 'create';

/**
 * Requests over sessions past their deadline, sent to the processes in turn while their sweepers
 * race: reads and refreshes of the expired handle (each must answer 404, swept or not), listings
 * of its user (which must not show it) and creates for its user (the paths other than the sweeper
 * that may reclaim a user's expired sessions). The creates ask for an hour, so what they make
 * stays live; `created` holds them.
 */
export class ExpiredHandleTraffic {
  readonly anomalies: string[] = [];
  readonly counts: Record<Operation, number> = { get: 0, refresh: 0, 'list-user': 0, create: 0 };
  readonly created: CreatedSession[] = [];
  readonly #byUser = new Map<string, CreatedSession[]>();
  #stopped = false;
  #running: Promise<void>[] = [];
  #turn = 0;

  constructor(
    private readonly services: readonly Endpoint[],
    private readonly headers: Record<string, string>,
    private readonly expiring: readonly CreatedSession[],
    private readonly options: { readonly workers: number; readonly maxCreates: number; readonly pauseMs: number },
  ) {
    for (const session of expiring) this.#byUser.set(session.userId, [...(this.#byUser.get(session.userId) ?? []), session]);
  }

  /** Starts the workers; they run until `stop()`. */
  start(): void {
    for (let worker = 0; worker < this.options.workers; worker++) this.#running.push(this.#work());
  }

  /** Stops the workers and waits for their last requests. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
  }

  async #work(): Promise<void> {
    while (!this.#stopped) {
      const session = this.expiring[Math.floor(Math.random() * this.expiring.length)]!;
      // Only a session already past its deadline by this clock, which the services share.
      if (Date.now() > session.expiresAt) await this.#visit(session);
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }

  async #visit(session: CreatedSession): Promise<void> {
    const service = this.services[this.#turn++ % this.services.length]!;
    const roll = Math.random();
    const op: Operation =
      roll < 0.4 ? 'get' : roll < 0.6 ? 'refresh' : roll < 0.9 || this.created.length >= this.options.maxCreates ? 'list-user' : 'create';
    this.counts[op]++;
    const sentAt = Date.now();
    try {
      if (op === 'get' || op === 'refresh') {
        const response = await fetch(`${service.url}/sessions/${session.id}${op === 'refresh' ? '/refresh' : ''}`, {
          method: op === 'get' ? 'GET' : 'POST',
          headers: this.headers,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await response.text();
        if (response.status !== 404) this.anomalies.push(`${op} of expired ${session.id} answered ${response.status}`);
      } else if (op === 'list-user') {
        await this.#listUser(service, session.userId, sentAt);
      } else {
        this.created.push(await createSession(service, this.headers, session.userId, 3600));
      }
    } catch (error) {
      this.anomalies.push(`${op} for ${session.id} failed: ${String(error)}`);
    }
  }

  /** The user's listing must hold none of the user's sessions whose deadline had passed when it was sent. */
  async #listUser(service: Endpoint, userId: string, sentAt: number): Promise<void> {
    const response = await fetch(`${service.url}/sessions/user/${encodeURIComponent(userId)}?limit=1000`, {
      headers: this.headers,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 200) {
      this.anomalies.push(`list of ${userId} answered ${response.status}: ${text}`);
      return;
    }
    const listed = new Set((JSON.parse(text) as { sessions: { id: string }[] }).sessions.map((s) => s.id));
    for (const gone of this.#byUser.get(userId) ?? []) {
      if (gone.expiresAt < sentAt && listed.has(gone.id)) this.anomalies.push(`list of ${userId} shows expired ${gone.id}`);
    }
  }
}
