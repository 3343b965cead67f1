import { describe, expect, it } from 'vitest';
import { updateEventOf } from '../../core/index.js';

describe('updateEventOf', () => {
  const before = { expiresAt: 1000 };
  it('names a write with data session.updated, by its cause (replace when none is given)', () => {
    expect(updateEventOf(before, { expiresAt: 1000 }, { data: {} })).toEqual({ type: 'session.updated', reason: 'replace' });
    expect(updateEventOf(before, { expiresAt: 2000 }, { data: {}, cause: 'patch' })).toEqual({ type: 'session.updated', reason: 'patch' });
    expect(updateEventOf(before, { expiresAt: 2000 }, { data: {}, cause: 'replace' })).toEqual({ type: 'session.updated', reason: 'replace' });
  });
  it('names a refresh session.refreshed only when it moved the deadline, either way', () => {
    expect(updateEventOf(before, { expiresAt: 1001 }, {})).toEqual({ type: 'session.refreshed' });
    expect(updateEventOf(before, { expiresAt: 999 }, {})).toEqual({ type: 'session.refreshed' });
    expect(updateEventOf(before, { expiresAt: 1000 }, {})).toBeUndefined();
    expect(updateEventOf(before, { expiresAt: 1000 }, { cause: 'patch' })).toBeUndefined();
  });
});
