import { cpus, freemem, release, totalmem, type } from 'node:os';

/** What a run ran on, for the results file: figures only compare within one machine and run. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const gib = (bytes: number): string => (bytes / 1_073_741_824).toFixed(1);
  return [
    `- CPU: ${model}, ${cores.length} cores`,
    `- memory: ${gib(totalmem())} GiB (${gib(freemem())} GiB free at the start)`,
    `- Node.js ${process.version} on ${type()} ${release()}`,
  ].join('\n');
}
