// The global, not node:process, whose namespace costs every command start-up (./process.ts).
const process = globalThis.process;

let shutdown: AbortController | undefined;

/**
 * A signal aborted on SIGINT or SIGTERM. Only long-running commands (the server) call it: calling it takes
 * over those signals, which otherwise end the process at once.
 */
export function shutdownSignal(): AbortSignal {
  if (!shutdown) {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    shutdown = controller;
  }
  return shutdown.signal;
}
