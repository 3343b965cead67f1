import { startServiceProcess, type ServiceProcess } from './service-process.js';

/** What one racing create answered. */
export interface RacedCreate {
  readonly status: number;
  readonly body: { readonly id: string; readonly evicted: string[] };
}

/**
 * Starts `count` service processes one after another into `started` (so that afterAll kills those
 * that did start): the race is in the creates, and starts at once load a busy machine most.
 */
export async function startServiceProcesses(env: Record<string, string>, count: number, started: ServiceProcess[]): Promise<void> {
  for (let i = 0; i < count; i++) started.push(await startServiceProcess(env));
}

/** `creates` POST /sessions for `userId`, all in flight at once, spread over the processes in turn. */
export function raceUserCreates(services: readonly ServiceProcess[], creates: number, userId: string): Promise<RacedCreate[]> {
  return Promise.all(
    Array.from({ length: creates }, (_, i) =>
      fetch(`${services[i % services.length]!.url}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as RacedCreate['body'] })),
    ),
  );
}

/** The user's live sessions as GET /sessions/user/{userId}/count answers. */
export async function userSessionCount(service: ServiceProcess, userId: string): Promise<number> {
  return ((await (await fetch(`${service.url}/sessions/user/${userId}/count`)).json()) as { count: number }).count;
}
