/**
 * One answer of `/ready`: when it was asked, when the answer came and what it said (`error` when nothing
 * answered). A probe asked just before a fault can be answered after it, so "before the fault" is `answeredAt`.
 */
export interface ReadinessSample {
  readonly at: number;
  readonly answeredAt: number;
  readonly status: number | 'error';
}

/** Polls `/ready` every `everyMs` like a kubelet would, until stopped; keeps every answer. */
export function probeReadiness(url: string, everyMs = 100): { samples: ReadinessSample[]; stop(): Promise<void> } {
  const samples: ReadinessSample[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const at = performance.now();
      try {
        const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(3_000) });
        await response.arrayBuffer();
        samples.push({ at, answeredAt: performance.now(), status: response.status });
      } catch {
        samples.push({ at, answeredAt: performance.now(), status: 'error' });
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
