/**
 * `npx session-api` runs the bin under `sh -c`, and npm forwards SIGTERM and SIGINT only to that
 * shell: Debian's dash dies of the signal without passing it on, and node is left running as an
 * orphan, still ready (npm/cli#5776, #6684). Node cannot ask the kernel for a signal when its
 * parent dies, so under npm the process checks its parent now and then and treats being
 * re-parented as the signal that was lost. Outside npm nothing is watched: a service started with
 * `nohup ... &` must outlive the shell that started it.
 */
export function stopWhenOrphaned(env: NodeJS.ProcessEnv, stop: () => void, everyMs = 250): void {
  if (env.npm_command === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
}
