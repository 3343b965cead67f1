import { connect } from 'node:net';

/** What came back for a raw request: a parsed response, or how the connection ended without one. */
export type RawOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: ReadonlyMap<string, string>; readonly body: Buffer }
  | { readonly kind: 'closed' | 'reset' | 'timeout'; readonly received: number };

/** How to send a raw request. */
export interface RawRequestOptions {
  readonly port: number;
  /** Give up waiting for an answer after this long. */
  readonly timeoutMs?: number;
  /** Half-close the socket once the bytes are written (a client that sends no more). */
  readonly endAfterWrite?: boolean;
}

/**
 * Sends `bytes` as they are over a fresh TCP connection to 127.0.0.1 and parses the first
 * response. `fetch` and `node:http` would normalise or refuse much of what a hostile client
 * sends (bad header bytes, lying Content-Length, odd methods), so this writes the wire directly.
 */
export function rawRequest(bytes: Buffer, options: RawRequestOptions): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const finish = (how: 'closed' | 'reset' | 'timeout'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const parsed = parseResponse(all);
      resolve(parsed ?? { kind: how, received });
    };
    // Generous: a loaded 2-core machine can take seconds to answer, and a hang is a hang at 30 s too.
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 30_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      // Every request asks for `Connection: close`, but a complete response is enough to stop.
      if (parseResponse(Buffer.concat(chunks), true)) finish('closed');
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    // A server that answers before reading the whole body may reset; what it sent still counts.
    socket.on('error', () => finish('reset'));
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

/** Every response a connection carried, in order, and how it ended. */
export interface RawExchange {
  readonly responses: readonly Extract<RawOutcome, { kind: 'response' }>[];
  readonly ended: 'closed' | 'reset' | 'timeout';
}

/**
 * Sends `bytes` over one fresh connection and reads until the server closes it (or the timeout),
 * then splits what came back into responses: for pipelined requests, where each request on the
 * connection is owed an answer of its own, in order.
 */
export function rawExchange(bytes: Buffer, options: RawRequestOptions): Promise<RawExchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port: options.port });
    const finish = (ended: RawExchange['ended']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses: parseResponses(Buffer.concat(chunks)), ended });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('reset'));
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

/** Every whole response in `bytes`, in order (bodies framed by Content-Length). */
export function parseResponses(bytes: Buffer): Extract<RawOutcome, { kind: 'response' }>[] {
  const responses: Extract<RawOutcome, { kind: 'response' }>[] = [];
  let rest = bytes;
  for (;;) {
    const response = parseResponse(rest, true);
    if (response?.kind !== 'response') return responses;
    responses.push(response);
    const headEnd = rest.indexOf('\r\n\r\n');
    rest = rest.subarray(headEnd + 4 + Number(response.headers.get('content-length') ?? response.body.length));
  }
}

/**
 * Parses one HTTP/1.1 response from `bytes`; `undefined` when they do not hold a whole one.
 * With `complete` it also requires the body to be all there (by Content-Length or chunking).
 */
export function parseResponse(bytes: Buffer, complete = false): RawOutcome | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!statusMatch?.[1]) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(statusMatch[1]);
  let body = bytes.subarray(headEnd + 4);
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const decoded = decodeChunked(body);
    if (decoded === undefined && complete) return undefined;
    body = decoded ?? body;
  } else if (complete) {
    const length = Number(headers.get('content-length') ?? 'NaN');
    if (!(Number.isInteger(length) && body.length >= length)) return undefined;
  }
  if (headers.has('content-length')) body = body.subarray(0, Number(headers.get('content-length')));
  return { kind: 'response', status, headers, body };
}

function decodeChunked(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
