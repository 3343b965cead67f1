import fc from 'fast-check';

/** A request as a hostile client might write it, before it is turned into bytes. */
export interface HostileRequest {
  readonly method: string;
  /** The request target, possibly with raw non-ASCII characters (sent as UTF-8). */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer | undefined;
  /** How the body is framed: an honest Content-Length, a lying one, none, or chunked. */
  readonly framing: 'length' | 'short-length' | 'long-length' | 'none' | 'chunked' | 'bad-chunked';
}

/** What the fuzzer knows about the service it attacks. */
export interface HostileContext {
  /** Ids of sessions that exist, so writes reach the store and not only the 404 path. */
  readonly sessionIds: readonly string[];
  readonly token: string;
}

const deep = (levels: number, open: string, close: string, leaf: string): string => open.repeat(levels) + leaf + close.repeat(levels);

const segment = (ctx: HostileContext): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...ctx.sessionIds),
    fc.constantFrom('..', '.', '%2e%2e', '%2E%2E%2F', '..%2f', '%2e%2e%5c', '%', '%zz', '%E0%A4%A', '%00', '%FF%FE', '%C0%AE'),
    fc.constantFrom('user', 'refresh', 'sessions', 'health', '__proto__', 'constructor', 'prototype'),
    // Raw (Node's parser refuses most of them) and percent-encoded (the router must decode them).
    fc.constantFrom('\u00e9t\u00e9', '\u{1F600}', '\u202e', '\ud800', '\uFEFF', '\u0130'),
    fc.constantFrom('\u00e9t\u00e9', '\u{1F600}', '\u202e', '\uFEFF', '\u0130', '\u0000').map(encodeURIComponent),
    fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => encodeURIComponent(s)),
    fc.string({ maxLength: 20 }).map((s) => s.replace(/[ #?]/g, '')),
    fc.uuid(),
    fc.integer({ min: 200, max: 20_000 }).map((n) => 'a'.repeat(n)),
  );

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?limit=1',
    '?limit=0',
    '?limit=1001',
    '?limit=-1',
    '?limit=1e3',
    '?limit=0x10',
    '?limit=99999999999999999999',
    '?limit=1&limit=2',
    '?cursor=',
    '?cursor=%00',
    '?cursor=AAAA',
    '?cursor=not%20base64',
    '?__proto__[polluted]=1',
    '?constructor[prototype][polluted]=1',
    '?__proto__=x&polluted=1',
    '?a[b][c][d]=1',
    '?%',
    '?limit=%zz',
    '?&&&==&',
    '#fragment',
  ),
  fc.integer({ min: 3000, max: 9000 }).map((n) => `?cursor=${'A'.repeat(n)}`),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }).map(
    (params) => `?${new URLSearchParams(params).toString()}`,
  ),
);

const target = (ctx: HostileContext): fc.Arbitrary<string> =>
  fc.oneof(
    // Targets that reach a use case, so hostile headers and bodies get past the router.
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom('/sessions', '/sessions/user/fuzz-1', '/sessions?limit=2'),
        fc.constantFrom(...ctx.sessionIds).map((id) => `/sessions/${id}`),
        fc.constantFrom(...ctx.sessionIds).map((id) => `/sessions/${id}/refresh`),
      ),
    },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('/sessions', '/sessions/user', '/health', '/ready', '', '/x'), fc.array(segment(ctx), { maxLength: 3 }), query).map(([base, segs, q]) => [base, ...segs].join('/') + q) },
    { weight: 1, arbitrary: fc.constantFrom('*', '/', '//sessions', 'http://evil.example/sessions', 'sessions', '/sessions/../../etc/passwd', '/sessions/%2e%2e/%2e%2e/health', '/sessions;x=1', '/sessions\\..\\health', '/%73essions') },
  );

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  { weight: 2, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'SEARCH', 'PURGE', 'LOCK', 'QUERY', 'LINK', 'REPORT') },
  { weight: 1, arbitrary: fc.constantFrom('get', 'Post', 'FOO', 'G\u00c9T', 'GET /', '', 'CONNECT') },
);

// Mostly printable, so that most requests get past Node's parser into the app; some with control
// bytes and latin-1, some long enough (with the rest of the head) to pass the 16 KiB head limit.
const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 12_000 }).map((n) => 'v'.repeat(n)) },
);

const headers = (ctx: HostileContext): fc.Arbitrary<[string, string][]> =>
  fc
    .record(
      {
        host: fc.oneof({ weight: 9, arbitrary: fc.constant('127.0.0.1') }, { weight: 1, arbitrary: fc.constantFrom('', 'evil.example:99999', '[::1', '\u00e9') }),
        contentType: fc.oneof({ weight: 2, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=UTF-8',
          'application/json; charset=latin1',
          'application/json; charset=',
          'application/json; charset="utf-8"; charset=utf-16',
          'application/merge-patch+json',
          'application/problem+json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          'application/',
          ';;;',
          'json',
          '*/*',
        ) }),
        ifMatch: fc.oneof(fc.constantFrom('"1"', '"2"', 'W/"1"', '*', '"0"', '"-1"', '"1", "2"', '"99999999999999999999"', '1', '""', '"1e3"'), headerValue),
        authorization: fc.oneof(
          { weight: 6, arbitrary: fc.constant(`Bearer ${ctx.token}`) },
          { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Bearer ', `bearer ${ctx.token}`, `Bearer  ${ctx.token}`, `Basic ${ctx.token}`, `Bearer ${ctx.token}x`, 'Bearer \u00e9') },
          { weight: 1, arbitrary: headerValue.map((v) => `Bearer ${v}`) },
        ),
        requestId: fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerValue }, { weight: 1, arbitrary: fc.constantFrom('../../etc', '${jndi:ldap://x}', '<script>') }),
        extra: fc.array(fc.tuple(fc.constantFrom('Expect', 'Content-Encoding', 'Accept', 'Accept-Charset', 'Transfer-Encoding', 'Upgrade', 'X-Forwarded-For', 'Cookie', 'Range', '__proto__', 'constructor', 'X-\u00e9'), headerValue), { maxLength: 2 }),
      },
      { requiredKeys: ['host', 'authorization'] },
    )
    .map((h) => {
      const list: [string, string][] = [];
      if (h.host !== '') list.push(['Host', h.host]);
      if (h.contentType !== undefined) list.push(['Content-Type', h.contentType]);
      if (h.ifMatch !== undefined) list.push(['If-Match', h.ifMatch]);
      if (h.authorization !== undefined) list.push(['Authorization', h.authorization]);
      if (h.requestId !== undefined) list.push(['X-Request-Id', h.requestId]);
      list.push(...(h.extra ?? []));
      return list;
    });

const validCreate = fc.record({ userId: fc.string({ minLength: 1, maxLength: 20 }), data: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) });

const bodyText = fc.oneof(
  validCreate.map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((data) => JSON.stringify({ data })),
  validCreate.chain((value) => fc.nat({ max: Math.max(0, JSON.stringify(value).length - 1) }).map((cut) => JSON.stringify(value).slice(0, cut))),
  fc.constantFrom(
    deep(10_000, '{"a":', '}', '1'),
    deep(10_000, '[', ']', ''),
    `{"userId":"u","data":${deep(10_000, '{"a":', '}', '1')}}`,
    `{"data":${deep(10_000, '[', ']', '')}}`,
    `{"data":{"x":${deep(33, '[', ']', '')}}}`,
    deep(40_000, '[', ']', ''),
    `{"userId":"u","data":{"n":1e400,"m":-1e999,"big":123456789012345678901234567890123456789}}`,
    `{"userId":"u","ttlSeconds":1e400}`,
    `{"userId":"u","ttlSeconds":9007199254740993}`,
    `{"data":{"n":${'9'.repeat(5_000)}}}`,
    `{"userId":"u","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}`,
    `{"__proto__":{"polluted":true},"data":{}}`,
    `{"data":{"__proto__":{"polluted":true}}}`,
    `{"data":{"constructor":{"prototype":{"polluted":true}},"toString":1,"hasOwnProperty":null}}`,
    `{"userId":"a","userId":"b","data":{"k":1,"k":2}}`,
    `{"data":{},"data":[]}`,
    `{"userId":"\\u0000"}`,
    `{"userId":"${'u'.repeat(300)}"}`,
    `{"userId":"\\ud800"}`,
    `{"data":{"\\ud800":"\\udfff"}}`,
    'null',
    'true',
    '"string"',
    '1',
    '',
    ' ',
    '\ufeff{"userId":"u"}',
    `{"userId":"u","data":{"blob":"${'x'.repeat(70_000)}"}}`,
  ),
);

const bodyBytes = fc.oneof(
  { weight: 8, arbitrary: bodyText.map((text) => Buffer.from(text, 'utf8')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.concat([Buffer.from('{"userId":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"data":{"k":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}')]),
      Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
      Buffer.from('{"userId":"u"}\u0000', 'utf8'),
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
);

/** Requests built to break parsers, routers, validation and the store's keys. */
export function hostileRequest(ctx: HostileContext): fc.Arbitrary<HostileRequest> {
  return fc.record({
    method,
    target: target(ctx),
    headers: headers(ctx),
    body: fc.option(bodyBytes, { nil: undefined, freq: 4 }),
    // Lying framing mostly ends in Node's parser; honest framing is what reaches the app.
    framing: fc.oneof(
      { weight: 16, arbitrary: fc.constant('length' as const) },
      { weight: 2, arbitrary: fc.constant('chunked' as const) },
      { weight: 1, arbitrary: fc.constantFrom('short-length' as const, 'long-length' as const, 'none' as const, 'bad-chunked' as const) },
    ),
  });
}

/** The bytes of a request on the wire; always `Connection: close` so each one ends cleanly. */
export function requestBytes(request: HostileRequest): Buffer {
  const head = [`${request.method} ${request.target} HTTP/1.1`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  const body = request.body ?? Buffer.alloc(0);
  let payload = body;
  switch (request.framing) {
    case 'length':
      if (request.body !== undefined) head.push(`Content-Length: ${body.length}`);
      break;
    case 'short-length':
      head.push(`Content-Length: ${Math.max(0, body.length - 3)}`);
      break;
    case 'long-length':
      head.push(`Content-Length: ${body.length + 50}`);
      break;
    case 'none':
      break;
    case 'chunked':
      head.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(body.length > 0 ? '\r\n0\r\n\r\n' : '\r\n')]);
      break;
    case 'bad-chunked':
      head.push('Transfer-Encoding: chunked', `Content-Length: ${body.length}`);
      payload = Buffer.concat([Buffer.from('zz\r\n'), body]);
      break;
  }
  head.push('Connection: close');
  // Header values may hold any byte 0-255 (latin1) and targets raw unicode (UTF-8), as on the wire.
  return Buffer.concat([Buffer.from(`${head[0]}\r\n`, 'utf8'), Buffer.from(`${head.slice(1).join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

/** A request in a line short enough to read in a failure report: long parts are elided. */
export function summarise(request: HostileRequest): string {
  const text = requestBytes(request).toString('latin1');
  const elided = text.replace(/(.)\1{40,}/gs, (run, char: string) => `${char}{×${run.length}}`);
  return JSON.stringify(elided.length > 800 ? `${elided.slice(0, 800)}… (${text.length} bytes)` : elided);
}
