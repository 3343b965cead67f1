import { describe, expect, it } from 'vitest';
import { AUTH_METHODS_MAX, checkContext, DEVICE_MAX, USER_AGENT_MAX } from '../../core/index.js';
import { numberSize, sessionItemSize, sessionItemSizeBound } from '../../adapters/dynamodb/item-size.js';
import { toSessionItem } from '../../adapters/dynamodb/session-item.js';
import { sessionAt } from '../support/session-fixtures.js';

describe('numberSize', () => {
  it('counts base-100 digits aligned on the decimal point, plus the exponent byte', () => {
    expect(numberSize(0)).toBe(1);
    expect(numberSize(7)).toBe(2);
    expect(numberSize(12)).toBe(2);
    expect(numberSize(123)).toBe(3);
    expect(numberSize(1200)).toBe(2);
    expect(numberSize(1.2)).toBe(3);
    expect(numberSize(-12)).toBe(3);
    // Epoch milliseconds, as every session item holds several of.
    expect(numberSize(1_700_000_000_123)).toBe(8);
  });
});

describe('sessionItemSize', () => {
  it('adds the UTF-8 bytes of every attribute name and value', () => {
    const session = sessionAt({ data: { é: '€' } });
    const item = toSessionItem(session);
    const names = 'home id userId data createdAt updatedAt lastActiveAt expiresAtMs expiresAtSeconds version ttl slideFromMs lifeMs bornLessTtlMs ttlSeconds'.replaceAll(' ', '');
    const strings = 4 + session.id.length + (session.userId ?? '').length + Buffer.byteLength(JSON.stringify(session.data));
    const numbers =
      numberSize(item.createdAt) +
      numberSize(item.updatedAt) +
      numberSize(item.lastActiveAt) +
      numberSize(item.expiresAtMs) +
      numberSize(item.expiresAtSeconds) +
      numberSize(item.version) +
      numberSize(item.ttl) +
      numberSize(item.slideFromMs) +
      numberSize(item.lifeMs) +
      numberSize(item.bornLessTtlMs) +
      numberSize(item.ttlSeconds);
    expect(sessionItemSize(item)).toBe(names.length + strings + numbers);
  });
});

describe('sessionItemSizeBound', () => {
  it('is at least the size of any item with that data, the widest userId and an alias included', () => {
    const data = { é: '€'.repeat(100) };
    const text = JSON.stringify(data);
    const widest = sessionAt({ data, userId: '€'.repeat(256), createdAt: -1e15, updatedAt: -1e15, lastActiveAt: -1e15, expiresAt: -1e15, version: 1e15, ttl: 1e15 });
    const plain = sessionAt({ data });
    for (const item of [toSessionItem(widest, plain.id), toSessionItem(plain)]) expect(sessionItemSizeBound(text)).toBeGreaterThanOrEqual(sessionItemSize(item));
    // Only the data varies: the rest is a constant worked out once.
    expect(sessionItemSizeBound(`${text}xx`) - sessionItemSizeBound(text)).toBe(2);
  });

  it('holds with the widest context the core accepts', () => {
    const data = { a: 1 };
    const context = checkContext(
      {
        ip: '1111:2222:3333:4444:5555:6666:7777:8888',
        userAgent: '\uffff'.repeat(USER_AGENT_MAX),
        device: '"'.repeat(DEVICE_MAX),
        authenticatedAt: 1e15,
        authMethods: Array.from({ length: AUTH_METHODS_MAX }, (_, i) => `${i}`.padEnd(32, '.')),
      },
      2e15,
    )!;
    const widest = sessionAt({ data, userId: '\uffff'.repeat(256), createdAt: -1e15, updatedAt: -1e15, expiresAt: -1e15, version: 1e15, ttl: 1e15, context });
    expect(sessionItemSizeBound(JSON.stringify(data))).toBeGreaterThanOrEqual(sessionItemSize(toSessionItem(widest, widest.id)));
  });
});
