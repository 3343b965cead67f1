import { createHash } from 'node:crypto';

/** One receiver of webhooks, parsed once from its URL, with its credentials kept apart. */
export interface WebhookReceiver {
  /** The URL requests go to, without user-info (fetch refuses URLs that carry credentials). */
  readonly target: string;
  /** `Basic` credentials from the URL's user-info, when it had some: sent as a header, never logged. */
  readonly authorization: string | undefined;
  /**
   * How logs and metrics name it: its origin, and its path and query as a digest (`/…<hex>`),
   * since either may be the secret (Slack, Discord and Teams hooks carry theirs in the path).
   */
  readonly label: string;
  /**
   * Its consumer name in the event log: stable across restarts and processes, free of secrets
   * (it is the label), at most `CONSUMER_NAME_MAX` characters (a longer one keeps its tail as a digest).
   */
  readonly consumer: string;
}

/**
 * Parses a receiver URL (`http:` or `https:`). Throws for anything else without quoting it, since
 * a URL may carry a password; `position` (1-based) says which one of a list it was.
 */
export function webhookReceiver(url: string, position = 1): WebhookReceiver {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`webhook URL ${position} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`webhook URL ${position} is not http: or https:`);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const authorization = user === '' && password === '' ? undefined : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const rest = `${parsed.pathname}${parsed.search}`;
  const label = rest === '/' ? parsed.origin : `${parsed.origin}/…${digest(rest)}`;
  return { target: parsed.href, authorization, label, consumer: bounded(`webhook ${label}`) };
}

/** The longest consumer name (stores bound theirs: DynamoDB's log takes up to 200 characters). */
const CONSUMER_NAME_MAX = 128;
const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
const bounded = (name: string): string =>
  name.length <= CONSUMER_NAME_MAX ? name : `${name.slice(0, CONSUMER_NAME_MAX - 24)}…sha256:${digest(name)}`;

/**
 * Parses a list of receiver URLs (`WEBHOOK_URLS`), refusing one listed twice (user-info aside):
 * two loops of one process on one consumer would share its lease and both deliver. Throws as
 * `webhookReceiver` does, naming a duplicate only by its label.
 */
export function webhookReceivers(urls: readonly string[]): WebhookReceiver[] {
  const receivers = urls.map((url, index) => webhookReceiver(url, index + 1));
  const consumers = new Set<string>();
  for (const receiver of receivers) {
    if (consumers.has(receiver.consumer)) throw new Error(`webhook receiver ${receiver.label} is listed twice`);
    consumers.add(receiver.consumer);
  }
  return receivers;
}
