import { describe, expect, it } from 'vitest';
import { secretScrubber } from '../../server/secret-scrubber.js';
import { credentialsOf, withoutCredentials } from '../../server/url-credentials.js';

describe('withoutCredentials', () => {
  it.each([
    ['redis://:pw-secret@host:6379/0', 'redis://:***@host:6379/0'],
    ['redis://user:pw-secret@host:6379', 'redis://user:***@host:6379'],
    ['redis://pw-secret@host', 'redis://***@host'],
    ['rediss://:p@ss/w0rd@host:6380', 'rediss://:***@host:6380'],
    ['redis://host:6379?password=pw-secret', 'redis://host:6379?***'],
    ['redis://host:6379', 'redis://host:6379'],
    ['not a url but has pw-secret@host', '***'],
  ])('%s is shown as %s', (url, shown) => {
    expect(withoutCredentials(url)).toBe(shown);
  });
});

describe('secretScrubber', () => {
  it('replaces every secret of the environment, raw, percent-decoded and JSON-escaped, longest first', () => {
    const scrub = secretScrubber({
      API_TOKENS: 'token-aaaaaaaaaaaaaaaa, token-bbbbbbbbbbbbbbbb',
      REDIS_URL: `redis://:${encodeURIComponent('pa"ss@word')}@h:1?password=query-secret`,
      AWS_SECRET_ACCESS_KEY: 'aws-secret-key',
      AWS_SESSION_TOKEN: 'aws-secret-key-and-more',
      DYNAMODB_ENDPOINT: 'http://u:endpoint-secret@h:8000',
    });
    const line = JSON.stringify({
      a: 'token-aaaaaaaaaaaaaaaa token-bbbbbbbbbbbbbbbb',
      b: 'pa%22ss%40word pa"ss@word query-secret',
      c: 'aws-secret-key-and-more aws-secret-key endpoint-secret',
    });
    const scrubbed = scrub(line);
    for (const secret of ['token-a', 'token-b', 'pa%22ss', 'pa\\"ss', 'query-secret', 'aws-secret', 'and-more', 'endpoint-secret']) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(JSON.parse(scrubbed)).toEqual({ a: '[redacted] [redacted]', b: '[redacted] [redacted] [redacted]', c: '[redacted] [redacted] [redacted]' });
  });

  it('leaves lines alone when there is no secret, and ignores values too short to scrub', () => {
    expect(secretScrubber({ AWS_SECRET_ACCESS_KEY: 'abc' })('abc def')).toBe('abc def');
    expect(credentialsOf('redis://host')).toEqual([]);
  });
});
