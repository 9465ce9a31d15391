import process from "node:process";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const paths = new Set<string>();

function onSignal(signal: NodeJS.Signals): void {
  const { rmSync } = process.getBuiltinModule("node:fs");
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch { /* best effort: the process is being stopped */ }
  }
  paths.clear();
  for (const name of SIGNALS) process.off(name, onSignal);
  // Stopped by the signal as if phyware had not caught it: the shell sees 128 + its number.
  process.kill(process.pid, signal);
}

/**
 * Removes `path` (a private temporary file or folder) if SIGINT, SIGTERM or SIGHUP stops the process before
 * the returned function is called; other exits remove it themselves (`await using`). Only kill -9 leaves it.
 */
export function removeOnSignal(path: string): () => void {
  if (paths.size === 0) { for (const name of SIGNALS) process.on(name, onSignal); }
  paths.add(path);
  return () => {
    paths.delete(path);
    if (paths.size === 0) { for (const name of SIGNALS) process.off(name, onSignal); }
  };
}
