import { beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  AUTH_CLOCK_SKEW_MS,
  checkContext,
  createSessionService,
  InvalidInputError,
  isAuthenticationFresh,
  ReauthenticationRequiredError,
  SessionNotFoundError,
  type SessionService,
} from '../../core/index.js';
import { ManualClock } from '../support/manual-clock.js';

const NOW = Date.UTC(2026, 0, 1);

describe('checkContext', () => {
  it('answers the given fields in normal form, a copy', () => {
    const methods = ['password', 'webauthn'];
    const checked = checkContext({ ip: '2001:DB8::0:1', userAgent: 'curl/8', device: 'phone', authenticatedAt: NOW - 1, authMethods: methods }, NOW);
    expect(checked).toEqual({ ip: '2001:db8::1', userAgent: 'curl/8', device: 'phone', authenticatedAt: NOW - 1, authMethods: ['password', 'webauthn'] });
    expect(checked?.authMethods).not.toBe(methods);
  });

  it('answers undefined for no context or an empty one', () => {
    expect(checkContext(undefined, NOW)).toBeUndefined();
    expect(checkContext({}, NOW)).toBeUndefined();
  });

  it.each([
    [{ ip: '1.2.3' }, 'ip'],
    [{ ip: 7 }, 'ip'],
    [{ userAgent: 'x'.repeat(513) }, 'userAgent'],
    [{ userAgent: '' }, 'userAgent'],
    [{ userAgent: 'a\nb' }, 'userAgent'],
    [{ userAgent: 'x\ud800' }, 'userAgent'],
    [{ device: 'x'.repeat(129) }, 'device'],
    [{ authMethods: [] }, 'authMethods'],
    [{ authMethods: Array.from({ length: 9 }, (_, i) => `m${i}`) }, 'authMethods'],
    [{ authMethods: ['password', 'password'] }, 'authMethods'],
    [{ authMethods: ['Password'] }, 'authMethods'],
    [{ authMethods: ['pass word'] }, 'authMethods'],
    [{ authMethods: 'password' }, 'authMethods'],
    [{ authenticatedAt: NOW + AUTH_CLOCK_SKEW_MS + 1 }, 'authenticatedAt'],
    [{ authenticatedAt: 1.5 }, 'authenticatedAt'],
    [{ authenticatedAt: '2026-01-01T00:00:00Z' }, 'authenticatedAt'],
    [{ colour: 'red' }, 'context'],
    [[], 'context'],
  ])('refuses %j (%s)', (context, field) => {
    expect(() => checkContext(context, NOW)).toThrow(InvalidInputError);
    try {
      checkContext(context, NOW);
    } catch (error) {
      expect((error as InvalidInputError).field).toBe(field);
    }
  });

  it('takes an authenticatedAt up to the clock skew ahead', () => {
    expect(checkContext({ authenticatedAt: NOW + AUTH_CLOCK_SKEW_MS }, NOW)).toEqual({ authenticatedAt: NOW + AUTH_CLOCK_SKEW_MS });
  });
});

describe('isAuthenticationFresh', () => {
  it('holds for an authentication exactly maxAuthAge old, not a millisecond older, never without one', () => {
    expect(isAuthenticationFresh({ authenticatedAt: NOW - 300_000 }, 300_000, NOW)).toBe(true);
    expect(isAuthenticationFresh({ authenticatedAt: NOW - 300_001 }, 300_000, NOW)).toBe(false);
    expect(isAuthenticationFresh({ authenticatedAt: NOW }, 0, NOW)).toBe(true);
    expect(isAuthenticationFresh({ ip: '::1' }, 300_000, NOW)).toBe(false);
    expect(isAuthenticationFresh(undefined, 300_000, NOW)).toBe(false);
  });
});

describe('the service with context and maxAuthAgeSeconds', () => {
  let clock: ManualClock;
  let service: SessionService;
  beforeEach(() => {
    clock = new ManualClock(NOW);
    service = createSessionService({ store: new MemorySessionStore(), clock });
  });

  it('creates a session with its context in normal form, and get, resolve and listings show it', async () => {
    const created = await service.create({
      userId: 'ada',
      context: { ip: '::FFFF:c000:0201', device: 'phone', authenticatedAt: NOW - 5000, authMethods: ['webauthn', 'password'] },
    });
    const context = { ip: '::ffff:192.0.2.1', device: 'phone', authenticatedAt: NOW - 5000, authMethods: ['webauthn', 'password'] };
    expect(created.context).toEqual(context);
    expect((await service.get(created.id)).context).toEqual(context);
    expect((await service.resolve(created.token)).context).toEqual(context);
    expect((await service.listByUser('ada')).sessions[0]?.context).toEqual(context);
    expect((await service.refresh(created.id)).context).toEqual(context);
    expect((await service.patch(created.id, { a: 1 })).context).toEqual(context);
  });

  it('refuses a bad context before any store call', async () => {
    await expect(service.create({ context: { ip: 'nope' } })).rejects.toThrow(InvalidInputError);
  });

  it('answers get and resolve while the authentication is at most maxAuthAgeSeconds old, then ReauthenticationRequiredError', async () => {
    const created = await service.create({ context: { authenticatedAt: NOW } });
    clock.advance(300_000);
    expect((await service.get(created.id, { maxAuthAgeSeconds: 300 })).id).toBe(created.id);
    expect((await service.resolve(created.token, { maxAuthAgeSeconds: 300 })).id).toBe(created.id);
    clock.advance(1);
    await expect(service.get(created.id, { maxAuthAgeSeconds: 300 })).rejects.toThrow(ReauthenticationRequiredError);
    await expect(service.resolve(created.token, { maxAuthAgeSeconds: 300 })).rejects.toThrow(ReauthenticationRequiredError);
    expect((await service.get(created.id)).id).toBe(created.id);
  });

  it('asks for reauthentication when the session does not say when, and not found stays not found', async () => {
    const created = await service.create({ context: { device: 'phone' } });
    await expect(service.get(created.id, { maxAuthAgeSeconds: 31_536_000 })).rejects.toThrow(ReauthenticationRequiredError);
    await service.delete(created.id);
    await expect(service.get(created.id, { maxAuthAgeSeconds: 300 })).rejects.toThrow(SessionNotFoundError);
  });

  it.each([-1, 1.5, 31_536_001, Number.NaN])('refuses maxAuthAgeSeconds %s', async (maxAuthAgeSeconds) => {
    const created = await service.create({ context: { authenticatedAt: NOW } });
    await expect(service.get(created.id, { maxAuthAgeSeconds })).rejects.toThrow(InvalidInputError);
    await expect(service.resolve(created.token, { maxAuthAgeSeconds })).rejects.toThrow(InvalidInputError);
  });
});
