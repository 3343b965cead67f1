import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { trackOwedResponses } from './owed-responses.js';
import { PROBLEM_MEDIA_TYPE, problemType } from './problem.js';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
};

// What CONNECT is told it may use instead: every method some route of the API answers.
const API_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

interface ProtocolProblem {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Node answers some requests before the app sees them: malformed HTTP, a missing Host, an
 * unknown `Expect`, a timed-out request, a CONNECT (which it just drops). Each of those would be
 * a bare status without a body, or no answer at all; this makes them `application/problem+json`
 * like every other error. The server must be created with `requireHostHeader: false`, so that
 * the missing-Host check is `rejectsMissingHost`'s instead of Node's bare 400.
 */
export function answerProtocolProblems(server: Server): void {
  const owedResponses = trackOwedResponses(server);
  const failing = new WeakSet<Duplex>();
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    // Node may report the same broken connection again as more bytes arrive; it is answered once.
    if (failing.has(socket)) return;
    failing.add(socket);
    // Nothing after the error can be parsed: stop reading, answer what came before, then the error.
    socket.pause();
    void owedResponses(socket).then(() => {
      // A response already on its way must not get a second status line in its body; a client
      // that asked to close after its last request has its connection closed by Node already.
      const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (!socket.writable || inFlight?.headersSent === true) {
        socket.destroy();
        return;
      }
      endWith(socket, rawResponse(clientErrorProblem(error.code)));
      // Read (and drop) what else comes, so the client's hang-up is seen and the socket closes.
      socket.resume();
    });
  });
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    // Only `100-continue` exists (RFC 9110 §10.1.1); Node answers that one itself.
    send(res, { status: 417, slug: 'expectation-failed', title: 'Expectation failed', detail: 'Only Expect: 100-continue is supported.' });
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    // Node hands a CONNECT socket over paused and stops tracking it: unless it is read to its end
    // and destroyed, it stays open forever and `server.close()` (the SIGTERM drain) never returns.
    socket.resume();
    endWith(
      socket,
      rawResponse({
        status: 405,
        slug: 'method-not-allowed',
        title: 'Method not allowed',
        detail: 'CONNECT is not supported.',
        headers: { Allow: API_METHODS },
      }),
    );
  });
}

/**
 * Answers 400 for an HTTP/1.1 request without `Host` (RFC 9112 §3.2 requires one); true when it
 * did, and the request must go no further.
 */
export function rejectsMissingHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.host !== undefined || req.httpVersion !== '1.1') return false;
  res.shouldKeepAlive = false;
  send(res, { status: 400, slug: 'malformed-request', title: 'Malformed request', detail: 'An HTTP/1.1 request needs a Host header.' });
  return true;
}

// How long a client may take to read an error answer before its connection is cut.
const LINGER_MS = 2_000;

/** Sends the last bytes of a connection, then makes sure it goes away even if the peer never closes. */
function endWith(socket: Duplex, response: string): void {
  socket.end(response);
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}

function clientErrorProblem(code: string | undefined): ProtocolProblem {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, slug: 'malformed-request', title: 'Request header fields too large', detail: 'The request head is too large.' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, slug: 'request-timeout', title: 'Request timeout', detail: 'The request did not arrive in time.' };
  }
  return { status: 400, slug: 'malformed-request', title: 'Malformed request', detail: 'The request is not valid HTTP/1.1.' };
}

function bodyOf(problem: ProtocolProblem): string {
  return JSON.stringify({ type: problemType(problem.slug), title: problem.title, status: problem.status, detail: problem.detail });
}

function send(res: ServerResponse, problem: ProtocolProblem): void {
  const body = bodyOf(problem);
  res.writeHead(problem.status, {
    ...problem.headers,
    'Content-Type': PROBLEM_MEDIA_TYPE,
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

/** A whole response written straight to a socket, for when there is no `ServerResponse`. */
function rawResponse(problem: ProtocolProblem): string {
  const body = bodyOf(problem);
  const extra = Object.entries(problem.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  return (
    `HTTP/1.1 ${problem.status} ${REASONS[problem.status] ?? 'Error'}\r\n` +
    extra.join('') +
    `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
