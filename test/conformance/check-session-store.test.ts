import { describe, expect, test } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { isSessionId } from '../../core/index.js';
import { checkSessionStore, SessionStoreConformanceError } from '../../testing/index.js';
import { SESSION_IDS } from '../../testing/session-values.js';
import { ScanLikeStore } from './scan-like-store.js';

describe('checkSessionStore', () => {
  test('uses valid, distinct lower-case UUID v4 session ids', () => {
    expect(SESSION_IDS.every(isSessionId)).toBe(true);
    expect(new Set(SESSION_IDS).size).toBe(SESSION_IDS.length);
  });

  test('releases every store it makes, whether the factory returns a pair or options.dispose is given', async () => {
    let made = 0;
    let disposed = 0;
    const pair = () => {
      made++;
      return { store: new MemorySessionStore(), dispose: async () => void disposed++ };
    };
    await checkSessionStore(pair, { numRuns: 10 });
    expect(made).toBe(20); // ten runs of each property
    expect(disposed).toBe(made);

    made = 0;
    disposed = 0;
    const bare = () => {
      made++;
      return new MemorySessionStore();
    };
    await checkSessionStore(bare, { numRuns: 10, dispose: () => void disposed++ });
    expect(disposed).toBe(made);
  });

  test('accepts short pages and trailing cursors only when the store declares them', async () => {
    await expect(
      checkSessionStore(() => new ScanLikeStore(), { lacks: { fullPages: true, nullCursorAtEnd: true } }),
    ).resolves.toBeUndefined();
    await expect(checkSessionStore(() => new ScanLikeStore(), { lacks: { fullPages: true } })).rejects.toThrow(
      /nullCursorAtEnd/,
    );
    await expect(checkSessionStore(() => new ScanLikeStore(), { lacks: { nullCursorAtEnd: true } })).rejects.toThrow(
      /fullPages/,
    );
  });

  test('rejects with the shrunk counterexample and options that replay it', async () => {
    // A store whose get always misses: the smallest counterexample is a create and a read.
    const blind = () => Object.assign(new MemorySessionStore(), { get: async () => undefined });
    const error = await checkSessionStore(blind, { numRuns: 50 }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SessionStoreConformanceError);
    const failure = error as SessionStoreConformanceError;
    expect(failure.message).toMatch(/Counterexample: \[create\(#\d, .*\), *(get|sweep)\(/);
    expect(failure.message).toContain(`"seed":${failure.seed}`);
    const replay = await checkSessionStore(blind, {
      seed: failure.seed,
      path: failure.path,
      ...(failure.replayPath === undefined ? {} : { replayPath: failure.replayPath }),
      only: failure.property,
    }).catch((rejection: unknown) => rejection);
    expect((replay as SessionStoreConformanceError).numRuns).toBe(1);
    expect((replay as Error).message.split('\n')[1]).toBe(failure.message.split('\n')[1]);
  });

  test('refuses a replay path without its seed and property', async () => {
    await expect(checkSessionStore(() => new MemorySessionStore(), { path: '1:2' })).rejects.toThrow(TypeError);
  });
});
