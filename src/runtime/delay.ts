/**
 * Resolves after `ms` milliseconds, or as soon as `signal` aborts: the one sleep of the tree (client
 * retries through `Context.sleep`, the stdout writer's wait on a full pipe, the server's mail retries).
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
