import { isDeepStrictEqual } from 'node:util';
import { applyMergePatch, type JsonObject } from '../../core/index.js';

/** One request the load sent, and how it was answered. */
export interface RequestRecord {
  readonly op: Operation;
  /** `performance.now()` when it was sent and when it was answered (or failed). */
  readonly start: number;
  readonly end: number;
  /** The HTTP status, or `error` when no answer came (connection refused or reset, timeout). */
  readonly status: number | 'error';
  readonly retryAfter: string | null;
  readonly contentType: string | null;
}

type Operation = 'create' | 'get' | 'put' | 'patch' | 'refresh' | 'delete' | 'list-user';

/** A write whose answer never came (503, reset): it may or may not have happened. */
type Uncertain =
  | { readonly kind: 'put' | 'patch'; readonly data: JsonObject }
  | { readonly kind: 'refresh' }
  | { readonly kind: 'delete' };

/** What the load knows of one session it created: its last acknowledged state. */
export interface TrackedSession {
  readonly id: string;
  /** The session's secret, returned once by the create; the audit resolves the session by it. */
  readonly token: string;
  readonly userId: string;
  deleted: boolean;
  data: JsonObject;
  version: number;
  /** Set after an unanswered write, until a read says what happened. */
  uncertain: Uncertain | undefined;
}

/** Something the service said that contradicts what it acknowledged before. */
export interface Anomaly {
  readonly sessionId: string;
  readonly what: string;
}

interface WireSession {
  id: string;
  userId: string;
  data: JsonObject;
  version: number;
}

const MAX_LIVE_PER_WORKER = 30;
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * A mixed load on the HTTP API (create, read, replace with If-Match, merge, refresh, delete,
 * list) that remembers every acknowledged write. Each session belongs to one worker, which
 * touches it sequentially, so "the last acknowledged state" is well defined; after a write that
 * got no answer the worker reads the session before writing it again, so at most one write per
 * session is ever in doubt.
 */
export class MixedLoad {
  readonly records: RequestRecord[] = [];
  readonly sessions = new Map<string, TrackedSession>();
  readonly anomalies: Anomaly[] = [];
  /** Creates that got no answer: they may exist in the store without the load knowing their id. */
  unknownCreates = 0;
  #stopped = false;
  #running: Promise<void>[] = [];
  #counter = 0;

  constructor(
    private readonly url: string,
    private readonly options: { readonly workers: number; readonly pauseMs?: number; readonly headers?: Record<string, string> },
  ) {}

  /** Starts the workers; they run until `stop()`. */
  start(): void {
    for (let worker = 0; worker < this.options.workers; worker++) this.#running.push(this.#work(worker));
  }

  /** Stops the workers and waits for their last requests. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
  }

  async #work(worker: number): Promise<void> {
    const userId = `load-user-${worker}-${Math.random().toString(36).slice(2, 8)}`;
    const mine: TrackedSession[] = [];
    while (!this.#stopped) {
      const live = mine.filter((s) => !s.deleted);
      const session = live[Math.floor(Math.random() * live.length)];
      const roll = Math.random();
      let failed: boolean;
      if (session === undefined || (roll < 0.15 && live.length < MAX_LIVE_PER_WORKER)) failed = await this.#create(userId, mine);
      else if (session.uncertain !== undefined || roll < 0.35) failed = await this.#get(session);
      else if (roll < 0.55) failed = await this.#put(session);
      else if (roll < 0.7) failed = await this.#patch(session);
      else if (roll < 0.8) failed = await this.#refresh(session);
      else if (roll < 0.87 || live.length >= MAX_LIVE_PER_WORKER) failed = await this.#delete(session);
      else failed = await this.#listUser(userId, mine);
      // Without a service to answer, a tight loop would only burn the CPU the service needs back.
      const pause = failed ? 25 : (this.options.pauseMs ?? 0);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  async #send(op: Operation, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const start = performance.now();
    try {
      const response = await fetch(this.url + path, {
        method,
        headers: { ...this.options.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      this.records.push({
        op,
        start,
        end: performance.now(),
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        contentType: response.headers.get('content-type'),
      });
      return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
    } catch {
      this.records.push({ op, start, end: performance.now(), status: 'error' as const, retryAfter: null, contentType: null });
      return { status: 'error' as const, json: undefined };
    }
  }

  #anomaly(session: TrackedSession, what: string): void {
    this.anomalies.push({ sessionId: session.id, what });
  }

  async #create(userId: string, mine: TrackedSession[]): Promise<boolean> {
    const data = { n: ++this.#counter, origin: 'create' };
    const answer = await this.#send('create', 'POST', '/sessions', { userId, data });
    if (answer.status === 201) {
      const created = answer.json as WireSession & { token: string };
      const tracked: TrackedSession = { id: created.id, token: created.token, userId, deleted: false, data, version: 1, uncertain: undefined };
      this.sessions.set(created.id, tracked);
      mine.push(tracked);
      return false;
    }
    if (answer.status === 503 || answer.status === 'error') this.unknownCreates++;
    return true;
  }

  /** Reads a session; resolves a write in doubt, or checks the read against what was acknowledged. */
  async #get(session: TrackedSession): Promise<boolean> {
    const answer = await this.#send('get', 'GET', `/sessions/${session.id}`);
    if (answer.status === 200) {
      this.#observe(session, answer.json as WireSession);
      return false;
    }
    if (answer.status === 404) {
      if (session.uncertain?.kind === 'delete') {
        session.deleted = true;
        session.uncertain = undefined;
      } else {
        this.#anomaly(session, 'an acknowledged session answered 404');
      }
      return false;
    }
    return true;
  }

  /** Takes a session the service showed as the truth, if it is one of the states it may be in. */
  #observe(session: TrackedSession, seen: WireSession): void {
    if (!isAllowed(session, seen)) {
      this.#anomaly(session, `read ${JSON.stringify({ version: seen.version, data: seen.data })}, acknowledged ${JSON.stringify({ version: session.version, data: session.data, uncertain: session.uncertain })}`);
    }
    session.data = seen.data;
    session.version = seen.version;
    session.uncertain = undefined;
  }

  #acknowledge(session: TrackedSession, answer: { status: number | 'error'; json: unknown }, uncertain: Uncertain): boolean {
    if (answer.status === 200) {
      const next = answer.json as WireSession;
      session.data = next.data;
      session.version = next.version;
      return false;
    }
    if (answer.status === 503 || answer.status === 'error') {
      session.uncertain = uncertain;
      return true;
    }
    this.#anomaly(session, `${uncertain.kind} answered ${answer.status}`);
    return false;
  }

  async #put(session: TrackedSession): Promise<boolean> {
    const data = { n: ++this.#counter, origin: 'put' };
    const answer = await this.#send('put', 'PUT', `/sessions/${session.id}`, { data }, { 'if-match': `"${session.version}"` });
    return this.#acknowledge(session, answer, { kind: 'put', data });
  }

  async #patch(session: TrackedSession): Promise<boolean> {
    const patch = { [`k${this.#counter % 7}`]: ++this.#counter, origin: 'patch' };
    const answer = await this.#send('patch', 'PATCH', `/sessions/${session.id}`, { data: patch });
    return this.#acknowledge(session, answer, { kind: 'patch', data: applyMergePatch(session.data, patch) as JsonObject });
  }

  async #refresh(session: TrackedSession): Promise<boolean> {
    const answer = await this.#send('refresh', 'POST', `/sessions/${session.id}/refresh`);
    return this.#acknowledge(session, answer, { kind: 'refresh' });
  }

  async #delete(session: TrackedSession): Promise<boolean> {
    const answer = await this.#send('delete', 'DELETE', `/sessions/${session.id}`);
    if (answer.status === 200) {
      session.deleted = true;
      return false;
    }
    if (answer.status === 503 || answer.status === 'error') {
      session.uncertain = { kind: 'delete' };
      return true;
    }
    this.#anomaly(session, `delete answered ${answer.status}`);
    return false;
  }

  /** Lists the worker's own sessions: every settled one must be there, as acknowledged. */
  async #listUser(userId: string, mine: TrackedSession[]): Promise<boolean> {
    const answer = await this.#send('list-user', 'GET', `/sessions/user/${userId}?limit=1000`);
    if (answer.status !== 200) return answer.status === 503 || answer.status === 'error';
    const listed = new Map((answer.json as { sessions: WireSession[] }).sessions.map((s) => [s.id, s]));
    for (const session of mine) {
      if (session.uncertain !== undefined) continue;
      const seen = listed.get(session.id);
      if (session.deleted && seen !== undefined) this.#anomaly(session, 'a deleted session is listed');
      if (!session.deleted && seen === undefined) this.#anomaly(session, 'an acknowledged session is missing from its user\u2019s list');
      if (!session.deleted && seen !== undefined && !isAllowed(session, seen)) this.#anomaly(session, 'listed with other data than acknowledged');
    }
    return false;
  }
}

/** Whether `seen` is a state the session may be in: the acknowledged one, or the write in doubt. */
export function isAllowed(session: TrackedSession, seen: { data: JsonObject; version: number }): boolean {
  const acknowledged = seen.version === session.version && isDeepStrictEqual(seen.data, session.data);
  if (acknowledged) return true;
  const doubt = session.uncertain;
  if (doubt === undefined || doubt.kind === 'delete' || seen.version !== session.version + 1) return false;
  return doubt.kind === 'refresh' ? isDeepStrictEqual(seen.data, session.data) : isDeepStrictEqual(seen.data, doubt.data);
}
