import type { ServiceProcess } from './service-process.js';

/** What one racing create answered. */
export interface RacedCreate {
  readonly status: number;
  readonly body: { readonly id: string; readonly evicted: string[] };
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
