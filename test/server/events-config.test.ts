import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { ConfigError, loadConfig } from '../../server/index.js';
import { secretScrubber } from '../../server/secret-scrubber.js';
import { openSessionStore, requireEventLog } from '../../server/session-store-factory.js';
import { startUpFailureLine } from '../../server/start-up-failure.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

function configErrorOf(env: Record<string, string>): ConfigError {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('the events settings', () => {
  it('are off by default, and read with their defaults once EVENTS_ENABLED=true', () => {
    expect(loadConfig({}).events).toBeUndefined();
    expect(loadConfig({ EVENTS_ENABLED: 'false' }).events).toBeUndefined();
    expect(loadConfig({ EVENTS_ENABLED: 'true' }).events).toEqual({ retentionMs: 86_400_000, expiryLagMs: 5_000, webhooks: undefined });
  });

  it('reads retention in hours (decimals allowed), the expiry lag in seconds, the webhooks with their retry', () => {
    const config = loadConfig({
      EVENTS_ENABLED: 'true',
      EVENTS_RETENTION_HOURS: '0.5',
      EVENTS_EXPIRY_LAG_SECONDS: '1',
      WEBHOOK_URLS: ' https://a.example/hook , http://user:pw-secret@b.example:8080/in?key=k-secret ',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_RETRY_HOURS: '2',
    });
    expect(config.events).toEqual({
      retentionMs: 1_800_000,
      expiryLagMs: 1_000,
      webhooks: { urls: ['https://a.example/hook', 'http://user:pw-secret@b.example:8080/in?key=k-secret'], secret: SECRET, retryMs: 7_200_000 },
    });
  });

  it.each([
    ['EVENTS_ENABLED', { EVENTS_ENABLED: 'yes' }],
    ['EVENTS_RETENTION_HOURS', { EVENTS_ENABLED: 'true', EVENTS_RETENTION_HOURS: '0' }],
    ['EVENTS_RETENTION_HOURS', { EVENTS_ENABLED: 'true', EVENTS_RETENTION_HOURS: 'a day' }],
    ['EVENTS_EXPIRY_LAG_SECONDS', { EVENTS_ENABLED: 'true', EVENTS_EXPIRY_LAG_SECONDS: '0' }],
    ['EVENTS_EXPIRY_LAG_SECONDS', { EVENTS_ENABLED: 'true', EVENTS_EXPIRY_LAG_SECONDS: '2.5' }],
    ['EVENTS_EXPIRY_LAG_SECONDS', { EVENTS_ENABLED: 'true', EVENTS_EXPIRY_LAG_SECONDS: '3601' }],
    ['WEBHOOK_URLS', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'ftp://a.example/x', WEBHOOK_SECRET: SECRET }],
    ['WEBHOOK_URLS', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x,not a url', WEBHOOK_SECRET: SECRET }],
    ['WEBHOOK_URLS', { WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: SECRET }],
    ['WEBHOOK_URLS', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x,https://u:pw-secret@a.example/x', WEBHOOK_SECRET: SECRET }],
    ['WEBHOOK_URLS', { EVENTS_ENABLED: 'false', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: SECRET }],
    ['WEBHOOK_SECRET', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x' }],
    ['WEBHOOK_SECRET', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: 'plain-secret-without-prefix-0123456789' }],
    ['WEBHOOK_SECRET', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: `whsec_${randomBytes(16).toString('base64')}` }],
    ['WEBHOOK_SECRET', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: `whsec_${randomBytes(65).toString('base64')}` }],
    ['WEBHOOK_SECRET', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: `${SECRET.slice(0, -2)}!!` }],
    ['WEBHOOK_RETRY_HOURS', { EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: SECRET, WEBHOOK_RETRY_HOURS: '-1' }],
  ])('refuses a bad %s in one line naming it', (variable, env) => {
    const error = configErrorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}=`));
    expect(error.message).not.toContain('\n');
  });

  it('reads the event settings only with events on (a receiver without them is refused, above)', () => {
    expect(loadConfig({ EVENTS_RETENTION_HOURS: 'never', EVENTS_EXPIRY_LAG_SECONDS: '0' }).events).toBeUndefined();
  });

  it('never shows the secret, or a receiver\u2019s password, path or query, in an error line', () => {
    const badSecret = `${SECRET.slice(0, 20)}*`;
    const secretError = configErrorOf({ EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x', WEBHOOK_SECRET: badSecret });
    expect(secretError.message).not.toContain(badSecret.slice('whsec_'.length, 18));
    expect(secretError.message).toContain('<redacted>');

    const badUrl = configErrorOf({ EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x,gopher://u:pw-secret@b.example/?key=k-secret', WEBHOOK_SECRET: SECRET });
    expect(badUrl.message).toMatch(/^WEBHOOK_URLS="gopher:\/\/u:\*\*\*@b\.example\/\?\*\*\*" is not valid/);

    const off = configErrorOf({ WEBHOOK_URLS: 'https://u:pw-secret@a.example/x?key=k-secret', WEBHOOK_SECRET: SECRET });
    expect(off.message).toBe('WEBHOOK_URLS="https://u:***@a.example/***?***" is not valid: needs EVENTS_ENABLED=true');
    // A Slack-style hook carries its secret in the path.
    const slack = configErrorOf({ WEBHOOK_URLS: 'https://hooks.slack.example/services/T0/B0/path-secret', WEBHOOK_SECRET: SECRET });
    expect(slack.message).toBe('WEBHOOK_URLS="https://hooks.slack.example/***" is not valid: needs EVENTS_ENABLED=true');
    const badSlack = configErrorOf({ EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'ftp://hooks.slack.example/services/path-secret', WEBHOOK_SECRET: SECRET });
    expect(badSlack.message).toMatch(/^WEBHOOK_URLS="ftp:\/\/hooks\.slack\.example\/\*\*\*" is not valid/);
    const twice = configErrorOf({ EVENTS_ENABLED: 'true', WEBHOOK_URLS: 'https://a.example/x?key=k-secret,https://u:pw-secret@a.example/x?key=k-secret', WEBHOOK_SECRET: SECRET });
    expect(twice.message).toBe(
      'WEBHOOK_URLS="https://a.example/***?***,https://u:***@a.example/***?***" is not valid: each receiver once (URLs that differ only in their user-info are one)',
    );
    for (const error of [secretError, badUrl, off, twice, slack, badSlack]) {
      expect(error.message).not.toContain('pw-secret');
      expect(error.message).not.toContain('k-secret');
      expect(error.message).not.toContain('path-secret');
    }
  });

  it('the scrubber replaces the webhook secret (with and without its prefix) and receivers\u2019 credentials', () => {
    const key = SECRET.slice('whsec_'.length);
    const scrub = secretScrubber({ WEBHOOK_SECRET: SECRET, WEBHOOK_URLS: 'https://a.example/x?token=query-secret-1, http://user:pass-secret-2@b.example/' });
    const scrubbed = scrub(`signing with ${SECRET}; key ${key}; posting to ?token=query-secret-1 as user:pass-secret-2`);
    for (const secret of [key, 'query-secret-1', 'pass-secret-2']) expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toBe('signing with [redacted]; key [redacted]; posting to ?token=[redacted] as user:[redacted]');
  });

  it('the scrubber replaces a receiver\u2019s path long enough to be its secret (a Slack hook), and leaves a short one', () => {
    const scrub = secretScrubber({ WEBHOOK_URLS: 'https://hooks.slack.example/services/T0/B0/path-secret-3, https://a.example/hooks' });
    expect(scrub('POST https://hooks.slack.example/services/T0/B0/path-secret-3 failed; GET /hooks')).toBe(
      'POST https://hooks.slack.example[redacted] failed; GET /hooks',
    );
  });
});

describe('opening the store with events', () => {
  it('opens each store of the package with its event log, and without one when events are off', async () => {
    const stores = [
      { kind: 'memory' as const },
      { kind: 'dynamodb' as const, tableName: 'sessions', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' },
    ];
    for (const config of stores) {
      const withEvents = await openSessionStore(config, () => {}, { retentionMs: 60_000 });
      const without = await openSessionStore(config, () => {});
      try {
        expect(withEvents.store.events, config.kind).toBeDefined();
        expect(without.store.events, config.kind).toBeUndefined();
      } finally {
        await withEvents.close();
        await without.close();
      }
    }
  });

  it('refuses a store without an event log: closes it, and start-up says so in one line naming EVENTS_ENABLED (exit 2)', async () => {
    let closed = 0;
    const close = async () => {
      closed++;
    };
    const error: unknown = await requireEventLog({ store: new MemorySessionStore(), close }, 'memory').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('EVENTS_ENABLED');
    expect(closed).toBe(1);
    const line = startUpFailureLine(error, { host: '127.0.0.1', port: 0 });
    expect(line).toBe('EVENTS_ENABLED="true" is not valid: the memory store cannot record events');
    await expect(requireEventLog({ store: new MemorySessionStore({ events: true }), close }, 'memory')).resolves.toBeUndefined();
    expect(closed).toBe(1);
  });
});
