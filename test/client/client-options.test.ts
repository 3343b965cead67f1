import { describe, expect, it } from 'vitest';
import { createSessionClient, ifMatch, retryAfterMs, versionOfEtag } from '../../client/index.js';

const NOW = Date.UTC(2026, 0, 1);

describe('createSessionClient options', () => {
  it.each([
    [{ baseUrl: 'not a url' }, /baseUrl must be an absolute http or https URL/],
    [{ baseUrl: 'ftp://example.com' }, /baseUrl must be an http or https URL/],
    [{ baseUrl: 'https://ops:hunter2-secret@example.com' }, /must not hold credentials/],
    [{ baseUrl: 'https://example.com/?x=1' }, /no query or fragment/],
    [{ baseUrl: 'https://example.com', timeoutMs: 0 }, /timeoutMs must be a whole number of at least 1/],
    [{ baseUrl: 'https://example.com', retries: -1 }, /retries must be a whole number of at least 0/],
    [{ baseUrl: 'https://example.com', maxRetryWaitMs: 1.5 }, /maxRetryWaitMs/],
    [{ baseUrl: 'https://example.com', apiToken: 'has a space-secret' }, /apiToken must be printable ASCII without spaces/],
    [{ baseUrl: 'https://example.com', apiToken: 'line\nbreak-secret' }, /apiToken must be printable ASCII/],
  ])('refuses %j with a clear error that quotes no secret', (options, message) => {
    let thrown: unknown;
    try {
      createSessionClient(options);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(message);
    expect(String(thrown)).not.toMatch(/secret|hunter2/);
  });

  it('refuses a session token that cannot travel in a header, without quoting it, and sends nothing', async () => {
    let sent = 0;
    const client = createSessionClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: async () => {
        sent++;
        return new Response();
      },
    });
    const error = await client.resolve('tok\r\nX-Evil: secret-token').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/the Session-Token header must be printable ASCII/);
    expect(String(error)).not.toContain('secret-token');
    await expect(client.get('')).rejects.toThrow(/id must be a non-empty string/);
    expect(sent).toBe(0);
  });

  it('keeps a base path and percent-encodes path parameters', async () => {
    const urls: string[] = [];
    const client = createSessionClient({
      baseUrl: 'http://127.0.0.1:1/session-api/',
      fetch: async (input) => {
        urls.push(String(input));
        return Response.json({ count: 0 });
      },
    });
    await client.countByUser('a/b c?d');
    await client.list({ limit: 5, cursor: 'c+/=' });
    expect(urls).toEqual(['http://127.0.0.1:1/session-api/sessions/user/a%2Fb%20c%3Fd/count', 'http://127.0.0.1:1/session-api/sessions?limit=5&cursor=c%2B%2F%3D']);
  });
});

describe('Retry-After', () => {
  it.each([
    ['0', 0],
    ['3', 3000],
    [' 12 ', 12_000],
    [new Date(NOW + 5000).toUTCString(), 5000],
    [new Date(NOW - 5000).toUTCString(), 0],
    // The two obsolete HTTP-date forms a recipient must still accept (RFC 9110 §5.6.7).
    [rfc850Date(NOW + 7000), 7000],
    [asctimeDate(NOW + 9000), 9000],
  ])('%j is %i ms', (header, ms) => {
    expect(retryAfterMs(header, NOW)).toBe(ms);
  });

  it.each([null, '', '-1', '1.5', 'soon', 'tomorrow', '2026-01-01T00:00:05Z', '2026-01-01', 'Thu, 01 Jan 2026 00:00:05 +0000'])('%j is no wait at all', (header) => {
    expect(retryAfterMs(header, NOW)).toBeUndefined();
  });
});

describe('entity tags', () => {
  it('ifMatch writes a version as a strong tag, versionOfEtag reads it back', () => {
    expect(ifMatch(3)).toBe('"3"');
    expect(versionOfEtag('"3"')).toBe(3);
    for (const etag of [null, 'W/"3"', '3', '"0"', '"x"', '"1", "2"']) expect(versionOfEtag(etag)).toBeUndefined();
    for (const version of [0, -1, 1.5, Number.NaN]) expect(() => ifMatch(version)).toThrow(RangeError);
  });
});

/** `at` as RFC 850 wrote dates: `Thursday, 01-Jan-26 00:00:05 GMT`. */
function rfc850Date(at: number): string {
  const date = new Date(at);
  const weekday = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = date.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const two = (n: number) => String(n).padStart(2, '0');
  return `${weekday}, ${two(date.getUTCDate())}-${month}-${two(date.getUTCFullYear() % 100)} ${date.toISOString().slice(11, 19)} GMT`;
}

/** `at` as C's asctime writes it: `Thu Jan  1 00:00:05 2026`, the day padded with a space. */
function asctimeDate(at: number): string {
  const [weekday = '', day, month, year, time] = new Date(at).toUTCString().split(' ');
  return `${weekday.slice(0, 3)} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}
