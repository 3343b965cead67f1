import { expect } from 'vitest';
import type { RequestRecord } from './mixed-load.js';

/** Fails unless every one of these requests got a 503 problem with Retry-After within `limitMs`. */
export function expectQuick503s(records: readonly RequestRecord[], limitMs: number): void {
  for (const record of records) {
    expect(record.status, JSON.stringify(record)).toBe(503);
    expect(record.retryAfter).toMatch(/^\d+$/);
    expect(record.contentType).toBe('application/problem+json');
    expect(record.end - record.start).toBeLessThan(limitMs);
  }
}

/** When the first request sent at or after `since` that the store served was answered. */
export function firstSuccessAfter(records: readonly RequestRecord[], since: number): number {
  return Math.min(...records.filter((r) => r.start >= since && r.status !== 503 && r.status !== 'error').map((r) => r.end));
}
