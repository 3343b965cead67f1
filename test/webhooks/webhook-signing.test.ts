import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWebhookSecret, webhookReceiver, webhookReceivers, webhookSignature, webhookSigningKey } from '../../transports/webhooks/index.js';

// The Standard Webhooks specification's published test vector (its reference libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures', () => {
  it('reproduce the Standard Webhooks test vector', () => {
    expect(webhookSignature([webhookSigningKey(VECTOR.secret)], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('take a whsec_ secret of 24 to 64 bytes', () => {
    for (const bytes of [24, 32, 64]) expect(isWebhookSecret(`whsec_${Buffer.alloc(bytes, 3).toString('base64')}`)).toBe(true);
  });

  it('list one v1 signature per key, space-separated, for a rotation', () => {
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const header = webhookSignature([webhookSigningKey(VECTOR.secret), webhookSigningKey(other)], 'msg_1', 1, '{}');
    const expected = createHmac('sha256', Buffer.alloc(32, 7)).update('msg_1.1.{}').digest('base64');
    expect(header.split(' ')).toHaveLength(2);
    expect(header.split(' ')[1]).toBe(`v1,${expected}`);
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['not base64', 'whsec_MfKQ9r8GKYqrTwjU!D8ILPZIo2LaLaSw'],
    ['a key shorter than 24 bytes', `whsec_${Buffer.alloc(16, 1).toString('base64')}`],
    ['a key longer than 64 bytes', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
    ['nothing', 'whsec_'],
  ])('refuse a secret with %s, without quoting it', (_what, secret) => {
    expect(isWebhookSecret(secret)).toBe(false);
    expect(() => webhookSigningKey(secret)).toThrow(/webhook secret/);
    try {
      webhookSigningKey(secret);
    } catch (error) {
      const text = String(error);
      if (secret.length > 6) expect(text).not.toContain(secret.slice(6));
    }
  });
});

describe('a receiver URL', () => {
  it('keeps its credentials out of the target, the label and the consumer name', () => {
    const receiver = webhookReceiver('https://al%40ice:p%40ss-word-1@example.com:8443/in/hooks?token=t0ken-in-query#frag');
    expect(receiver.target).toBe('https://example.com:8443/in/hooks?token=t0ken-in-query');
    expect(receiver.authorization).toBe(`Basic ${Buffer.from('al@ice:p@ss-word-1').toString('base64')}`);
    expect(receiver.label).toMatch(/^https:\/\/example\.com:8443\/…[0-9a-f]{16}$/);
    for (const shown of [receiver.label, receiver.consumer]) {
      expect(shown).not.toMatch(/p%40ss|p@ss|t0ken|ice|hooks/);
    }
  });

  it('names a receiver by its origin and a digest of its path, which may itself be the secret (a Slack hook)', () => {
    const slack = webhookReceiver('https://hooks.slack.com/services/T0000/B0000/s3cretPathToken');
    expect(slack.label).toMatch(/^https:\/\/hooks\.slack\.com\/…[0-9a-f]{16}$/);
    expect(`${slack.label} ${slack.consumer}`).not.toMatch(/s3cret|services|T0000/);
    expect(webhookReceiver('https://hooks.slack.com/services/T0000/B0000/other').label).not.toBe(slack.label);
    expect(webhookReceiver('https://example.com/').label).toBe('https://example.com');
    expect(webhookReceiver('https://example.com').label).toBe('https://example.com');
  });

  it('has a consumer name that stays the same when the password changes, and differs by query', () => {
    const a = webhookReceiver('http://u:one@127.0.0.1:9/x?channel=a');
    expect(webhookReceiver('http://u:two@127.0.0.1:9/x?channel=a').consumer).toBe(a.consumer);
    expect(webhookReceiver('http://127.0.0.1:9/x?channel=b').consumer).not.toBe(a.consumer);
    expect(webhookReceiver('http://127.0.0.1:9/x').consumer).toBe(`webhook ${webhookReceiver('http://127.0.0.1:9/x').label}`);
    expect(webhookReceiver('http://127.0.0.1:9/x').authorization).toBeUndefined();
  });

  it('has a consumer name of at most 128 characters, however long the URL, still telling long URLs apart', () => {
    const long = `https://${'h'.repeat(60)}.${'o'.repeat(60)}.example.com/${'p'.repeat(300)}`;
    const names = [long, `${long}q`].map((url) => webhookReceiver(url).consumer);
    expect(names.map((name) => name.length)).toEqual([128, 128]);
    expect(names[0]).not.toBe(names[1]);
    expect(names[0]?.startsWith('webhook https://hhh')).toBe(true);
  });

  it.each([
    ['not a URL', 'not a url:secret@'],
    ['another scheme', 'ftp://user:s3cret-pw@example.com/'],
  ])('is refused when %s, without quoting it', (_what, url) => {
    expect(() => webhookReceiver(url, 2)).toThrow(/^webhook URL 2 is /);
    expect(() => webhookReceiver(url, 2)).not.toThrow(/secret/);
  });
});

describe('a list of receiver URLs', () => {
  it('is parsed in order', () => {
    expect(webhookReceivers(['http://127.0.0.1:1/a', 'https://example.com/b?x=1']).map(({ label }) => label)).toEqual([
      webhookReceiver('http://127.0.0.1:1/a').label,
      webhookReceiver('https://example.com/b?x=1').label,
    ]);
    expect(webhookReceiver('http://127.0.0.1:1/a').label).not.toBe(webhookReceiver('http://127.0.0.1:1/b').label);
  });

  it('refuses a receiver listed twice, even with other credentials, naming it without them', () => {
    expect(() => webhookReceivers(['http://127.0.0.1:1/a', 'http://user:pw-9@127.0.0.1:1/a'])).toThrow(`webhook receiver ${webhookReceiver('http://127.0.0.1:1/a').label} is listed twice`);
  });

  it('says which entry is not a URL', () => {
    expect(() => webhookReceivers(['http://127.0.0.1:1/a', 'nope'])).toThrow('webhook URL 2 is not a URL');
  });
});
