import { Cluster, Redis, type ClusterNode } from 'ioredis';

/** How to reach Redis: a URL for one server, or a list of cluster nodes. */
export interface RedisClientOptions {
  /** `redis://[user:password@]host:port[/db]`; `rediss://` for TLS. */
  readonly url?: string | undefined;
  /** Cluster seed nodes as `host:port`; the client discovers the rest. */
  readonly clusterNodes?: readonly string[] | undefined;
  /** How long one command may take before it fails (the service answers 503); 1000 ms by default. */
  readonly commandTimeoutMs?: number | undefined;
  /** TLS to the cluster nodes (a standalone server takes it from `rediss://`). */
  readonly tls?: boolean | undefined;
  /** The longest wait between reconnection attempts (default 1000 ms). */
  readonly reconnectMaxDelayMs?: number | undefined;
  /** Told of every connection error; commands still fail on their own, so logging is enough. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/**
 * Builds the ioredis client the service itself runs on, for `RedisSessionStore`: tuned so
 * that a call never hangs on Redis and the client recovers by itself. ioredis' defaults do the
 * opposite for a request path: commands queue while disconnected and are retried 20 times, so a
 * call waited over a minute for its error while Redis was down. With this one:
 * - every command fails after `commandTimeoutMs`;
 * - no offline queue: while disconnected, commands fail at once instead of piling up;
 * - commands cut off by a disconnect are not resent later (a write reported as failed must not
 *   happen behind the caller's back);
 * - reconnection is retried forever with a capped backoff;
 * - it connects in the background, so start-up does not fail while Redis is down.
 */
export function createRedisClient(options: RedisClientOptions): Redis | Cluster {
  const { url, clusterNodes } = options;
  const hasNodes = clusterNodes !== undefined && clusterNodes.length > 0;
  if ((url === undefined) === !hasNodes) {
    throw new Error('createRedisClient needs exactly one of url and clusterNodes');
  }
  // At most a second between attempts: with 2 s, a Redis back after an outage of a few seconds
  // was found again only ~2 s later (measured by test/faults/redis-restart.test.ts), and the
  // service must serve again within 2 s. An attempt a second against a dead Redis costs nothing.
  const maxDelay = options.reconnectMaxDelayMs ?? 1000;
  const backoff = (attempt: number): number => Math.min(100 * 2 ** Math.min(attempt, 10), maxDelay);
  const perConnection = {
    commandTimeout: options.commandTimeoutMs ?? 1000,
    // With no offline queue, this only bounds commands caught in flight by a disconnect.
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    lazyConnect: true,
  };
  const client = hasNodes
    ? new Cluster(clusterNodes.map(toClusterNode), {
        enableOfflineQueue: false,
        lazyConnect: true,
        clusterRetryStrategy: backoff,
        // A command to a node that is gone is retried every retryDelayOnFailover (100 ms) up to
        // maxRedirections times before it fails: 16 by default, which adds 1.6 s to every call
        // while the cluster is down. Five still follows the MOVED of a resharding.
        maxRedirections: 5,
        // Without it, a master that restarts in place is only found again by the next slot refresh.
        clusterNodeRetryStrategy: backoff,
        redisOptions: { ...perConnection, ...(options.tls ? { tls: {} } : {}) },
      })
    : new Redis(url as string, { ...perConnection, enableOfflineQueue: false, retryStrategy: backoff });
  client.on('error', options.onError ?? (() => {}));
  // A failed first attempt is retried by the strategies above; callers see it as 503s.
  client.connect().catch(() => {});
  return client;
}

function toClusterNode(node: string): ClusterNode {
  const colon = node.lastIndexOf(':');
  const port = Number(node.slice(colon + 1));
  if (colon < 1 || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`cluster node "${node}" is not host:port`);
  }
  return { host: node.slice(0, colon), port };
}
