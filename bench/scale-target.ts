import type { CreateOutcome, Session, SessionStore } from '../core/index.js';
import { benchHandles } from './bench-handles.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { benchSession } from './session-fixture.js';
import { expectOutcome } from './store-contender.js';

/** Sessions in flight while filling and measuring, as the issue sets it. */
export const SCALE_CONCURRENCY = 32;

/** Where the scale part keeps `size` sessions: a store of ours, or the bare Map reference. */
export interface ScaleHolder {
  create(session: Session, now: number): Promise<CreateOutcome>;
  get(id: string, now: number): Promise<Session | undefined>;
  delete(id: string, now: number): Promise<unknown>;
}

/** One size of one subject: the store, the handles it holds. */
export interface ScaleTarget {
  readonly size: number;
  readonly holder: ScaleHolder;
  readonly held: readonly string[];
}

/** Fills `holder` with `size` sessions of 200-byte data, one user each, 32 in flight. */
export async function fillTarget(holder: ScaleHolder, size: number, tag: string): Promise<ScaleTarget> {
  const held = await benchHandles(size, (i) => `${tag}-${i}`);
  await runClosedLoop(
    async (i) => {
      const now = Date.now();
      expectOutcome('create', await holder.create(benchSession(held[i] as string, now, 1, `${tag}-${i}`), now), 'created');
    },
    size,
    SCALE_CONCURRENCY,
  );
  return { size, holder, held };
}

/**
 * A measurement with the CPU time (user + system) this process spent on it per operation, in µs:
 * unlike throughput it hardly moves with what else a shared machine runs.
 */
export interface ScaleMeasurement extends Measurement {
  readonly cpuUsPerOp: number;
}

async function withCpu(ops: number, run: () => Promise<Measurement>): Promise<ScaleMeasurement> {
  const started = process.cpuUsage();
  const measured = await run();
  const { user, system } = process.cpuUsage(started);
  return { ...measured, cpuUsPerOp: (user + system) / ops };
}

/** `ops` gets of held sessions picked at random (so caches do not help more at one size). */
export function measureGets(target: ScaleTarget, ops: number): Promise<ScaleMeasurement> {
  const picks = Uint32Array.from({ length: ops }, () => Math.floor(Math.random() * target.held.length));
  return withCpu(ops, () => runClosedLoop(
    async (i) => {
      const id = target.held[picks[i] as number] as string;
      expectOutcome('get', (await target.holder.get(id, Date.now()))?.id, id);
    },
    ops,
    SCALE_CONCURRENCY,
  ));
}

/** `ops` creates of new sessions, timed; then they are deleted again (untimed) so the size holds. */
export async function measureCreates(target: ScaleTarget, ops: number, tag: string): Promise<ScaleMeasurement> {
  const fresh = await benchHandles(ops, (i) => `${tag}-${i}`);
  const measured = await withCpu(ops, () => runClosedLoop(
    async (i) => {
      const now = Date.now();
      expectOutcome('create', await target.holder.create(benchSession(fresh[i] as string, now, 1, `${tag}-${i}`), now), 'created');
    },
    ops,
    SCALE_CONCURRENCY,
  ));
  await runClosedLoop((i) => target.holder.delete(fresh[i] as string, Date.now()), ops, SCALE_CONCURRENCY);
  return measured;
}

/** The bare Map reference: the same session objects, no index, no copies. */
export function bareMapHolder(): ScaleHolder {
  const map = new Map<string, Session>();
  return {
    async create(session) {
      if (map.has(session.id)) return 'exists';
      map.set(session.id, session);
      return 'created';
    },
    async get(id, now) {
      const session = map.get(id);
      return session && session.expiresAt > now ? session : undefined;
    },
    async delete(id) {
      return map.delete(id);
    },
  };
}

/** A store of ours is a holder as it stands. */
export function storeHolder(store: SessionStore): ScaleHolder {
  return store;
}
