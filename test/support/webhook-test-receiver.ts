import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, checked on arrival. */
export interface ReceivedWebhook {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly body: string;
  /** The parsed body (`undefined` when it was not JSON). */
  readonly payload: any;
  /** Whether one of the `webhook-signature` entries is a valid `v1` HMAC under the secret. */
  readonly signatureValid: boolean;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** What the receiver did with it. */
  readonly answer: Answer;
}

/** How the receiver treats a request: a status (with a `Retry-After`), a cut connection, or no answer at all. */
export type Answer = number | { readonly status: number; readonly retryAfter: string } | 'close' | 'hang';

/** A webhook receiver on 127.0.0.1: records every request, answers as `answer` says (default 204). */
export interface WebhookTestReceiver {
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: ReceivedWebhook[];
  /** The ids of the requests answered 2xx, in order. */
  accepted(): string[];
  /** Decides each request's answer from it and how many came before it. */
  answer: (request: Omit<ReceivedWebhook, 'answer'>, index: number) => Answer;
  close(): Promise<void>;
}

/**
 * Verifies as the Standard Webhooks specification says, written here apart from the code under
 * test: the key is the base64 after `whsec_`, the signed text `<id>.<timestamp>.<body>`, and the
 * header a space-separated list of `v1,<base64>` entries, compared in constant time.
 */
function verify(secret: string, id: string | undefined, timestamp: string | undefined, body: string, header: string | undefined): boolean {
  if (id === undefined || timestamp === undefined || header === undefined) return false;
  const expected = createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64')).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Starts a receiver that checks every request against `secret`, on `port` (default: a free one). */
export async function startWebhookTestReceiver(secret: string, port = 0): Promise<WebhookTestReceiver> {
  const requests: ReceivedWebhook[] = [];
  const receiver: WebhookTestReceiver = {
    url: '',
    port: 0,
    requests,
    accepted: () => requests.filter(({ answer }) => typeof answer === 'number' && answer >= 200 && answer < 300).map(({ id }) => id ?? ''),
    answer: () => 204,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = header(request, 'webhook-id');
      const timestamp = header(request, 'webhook-timestamp');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined;
      }
      const seen = {
        id,
        timestamp,
        body,
        payload,
        signatureValid: verify(secret, id, timestamp, body, header(request, 'webhook-signature')),
        authorization: header(request, 'authorization'),
        contentType: header(request, 'content-type'),
      };
      const answer = receiver.answer(seen, requests.length);
      requests.push({ ...seen, answer });
      if (answer === 'close') request.socket.destroy();
      else if (typeof answer === 'number') response.writeHead(answer).end();
      else if (answer !== 'hang') response.writeHead(answer.status, { 'retry-after': answer.retryAfter }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { url: `http://127.0.0.1:${bound}/hooks`, port: bound });
}
