import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** One delivery the receiver accepted. */
export interface Delivery {
  /** The `webhook-id` header: the message id, the same on every retry of one message. */
  readonly id: string;
  readonly body: string;
  /** When it arrived, epoch ms. */
  readonly at: number;
}

/**
 * A real HTTP receiver of Standard Webhooks on 127.0.0.1: it checks every signature
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under the secret's key), answers 204
 * to a signed delivery and 401 to any other, and keeps what came in each way.
 */
export class CountingWebhookReceiver {
  readonly deliveries: Delivery[] = [];
  /** Requests refused: missing headers or a signature that does not verify. */
  readonly refused: string[] = [];
  readonly #key: Buffer;
  readonly #server: Server;

  private constructor(secret: string) {
    this.#key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = request.headers['webhook-id'];
        const timestamp = request.headers['webhook-timestamp'];
        const signature = request.headers['webhook-signature'];
        if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string' || !this.#verifies(id, timestamp, body, signature)) {
          this.refused.push(`${String(id)} ${String(timestamp)}`);
          response.writeHead(401).end();
          return;
        }
        this.deliveries.push({ id, body, at: Date.now() });
        response.writeHead(204).end();
      });
    });
  }

  /** Starts one on a port the OS picks. */
  static async start(secret: string): Promise<CountingWebhookReceiver> {
    const receiver = new CountingWebhookReceiver(secret);
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:<port>/hook`. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as { port: number }).port}/hook`;
  }

  /** How many times each message id was delivered. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const delivery of this.deliveries) counts.set(delivery.id, (counts.get(delivery.id) ?? 0) + 1);
    return counts;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Whether one of the space-separated `v1,` signatures is the HMAC of `<id>.<timestamp>.<body>`. */
  #verifies(id: string, timestamp: string, body: string, header: string): boolean {
    const expected = createHmac('sha256', this.#key).update(`${id}.${timestamp}.${body}`).digest();
    return header.split(' ').some((entry) => {
      const [version, value] = entry.split(',', 2);
      if (version !== 'v1' || value === undefined) return false;
      const given = Buffer.from(value, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}
