import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService, type SessionService } from '../../core/index.js';
import { createHttpApp, createHttpServer, type HttpServer } from '../../transports/http/index.js';
import { rawExchange } from '../support/raw-http.js';

// Hardening item 15: a request that was parsed is carried out, so it must be answered too. When
// bytes that are not HTTP followed it on the same connection, the client got only the 400 for
// those bytes, took its request for failed, and its retry created a second session.

const post = (userId: string, extra = ''): string => {
  const body = JSON.stringify({ userId });
  return `POST /sessions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}${extra}`;
};

describe('a valid request followed by malformed bytes on the same connection', () => {
  let service: SessionService;
  let http: HttpServer;
  let port: number;

  beforeAll(async () => {
    service = createSessionService({ store: new MemorySessionStore() });
    http = createHttpServer(createHttpApp({ service }));
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(() => http.close(1_000));

  async function expectAnsweredThen400(bytes: string, userIds: readonly string[], endAfterWrite = false): Promise<void> {
    const { responses, ended } = await rawExchange(Buffer.from(bytes, 'latin1'), { port, endAfterWrite });
    const statuses = responses.map((response) => response.status);
    expect(statuses).toEqual([...userIds.map(() => 201), 400]);
    const created = responses.slice(0, -1).map((response) => JSON.parse(response.body.toString('utf8')) as { id: string; userId: string });
    expect(created.map((session) => session.userId)).toEqual(userIds);
    const last = responses.at(-1)!;
    expect(last.headers.get('content-type')).toBe('application/problem+json');
    expect(last.headers.get('connection')).toBe('close');
    expect(JSON.parse(last.body.toString('utf8'))).toMatchObject({ status: 400, type: 'urn:session-api:problem:malformed-request' });
    expect(ended).toBe('closed');
    // What the client was told is what happened: each session it was answered 201 for exists, once.
    for (const session of created) {
      expect((await service.get(session.id)).userId).toBe(session.userId);
      expect((await service.listByUser(session.userId)).sessions.map((s) => s.id)).toEqual([session.id]);
    }
  }

  it('answers the request (201) before the 400 for the bytes after it', async () => {
    await expectAnsweredThen400(`${post('pipelined-1')}GET /he alth HTTP/1.1\r\nHost: a\r\n\r\n`, ['pipelined-1']);
  });

  it('answers a request whose body runs past its Content-Length, then 400', async () => {
    await expectAnsweredThen400(post('overlong-1', '}}\r\n'), ['overlong-1']);
  });

  it('answers every pipelined request in order before the 400', async () => {
    await expectAnsweredThen400(`${post('pipelined-a')}${post('pipelined-b')}\u0001garbage\r\n\r\n`, ['pipelined-a', 'pipelined-b']);
  });

  it('answers them too when the client half-closes after sending', async () => {
    await expectAnsweredThen400(`${post('half-closed')}GET /he alth HTTP/1.1\r\nHost: a\r\n\r\n`, ['half-closed'], true);
  });

  it('still answers 400 alone when nothing valid came before', async () => {
    const { responses, ended } = await rawExchange(Buffer.from('GET /he alth HTTP/1.1\r\nHost: a\r\n\r\n', 'latin1'), { port });
    expect(responses.map((response) => response.status)).toEqual([400]);
    expect(ended).toBe('closed');
  });
});
