/** Runs a server as its own process, with stderr to a file, and waits for its "listening on" line. */
import { join } from "node:path";
import { delay } from "../src/runtime/delay.ts";

/** A server process started by the bench. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Peak RSS of the process so far, in KiB (VmHWM). */
  peakRssKb(): Promise<number>;
  /** CPU time (user + system) the process has used so far, in milliseconds. */
  cpuMs(): Promise<number>;
  /** Waits until the process uses no CPU tick over 200 ms (say, once queued mail is sent). */
  waitIdle(timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `cmd args` with stderr to `logFile` (a file, so the driver never spends CPU draining a pipe
 * while wrk runs) and returns once a line of `logFile` or stdout matches `listening`.
 */
export async function startServerProcess(
  cmd: string,
  args: string[],
  options: { logFile: string; env?: Record<string, string>; cwd: string; listening: RegExp },
): Promise<ServerProcess> {
  const outFile = `${options.logFile}.out`;
  // A previous process's files would show its "listening" line before the new process truncates them.
  for (const file of [options.logFile, outFile]) await Deno.remove(join(options.cwd, file)).catch(() => {});
  const child = new Deno.Command("sh", {
    args: ["-c", 'exec "$0" "$@" >"$OUT_FILE" 2>"$LOG_FILE"', cmd, ...args],
    env: {
      ...options.env,
      OUT_FILE: join(options.cwd, outFile),
      LOG_FILE: join(options.cwd, options.logFile),
    },
    cwd: options.cwd,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const deadline = performance.now() + 20_000;
  let url: string | undefined;
  while (url === undefined) {
    for (const file of [options.logFile, outFile]) {
      const text = await Deno.readTextFile(join(options.cwd, file)).catch(() => "");
      const match = options.listening.exec(text);
      if (match) url = match[1];
    }
    if (url !== undefined) break;
    if (exited || performance.now() > deadline) {
      const log = await Deno.readTextFile(join(options.cwd, options.logFile)).catch(() => "");
      if (!exited) child.kill("SIGKILL");
      throw new Error(`Server "${cmd}" did not start: ${log.trim().slice(0, 500)}`);
    }
    await delay(20);
  }
  const cpuTicks = async () => {
    const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`).catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime (clock ticks of 10 ms) are fields 14 and 15 of /proc/PID/stat, 12 and 13 after the name.
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  };
  return {
    url,
    pid: child.pid,
    async peakRssKb() {
      const text = await Deno.readTextFile(`/proc/${child.pid}/status`).catch(() => "");
      return Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? NaN);
    },
    cpuMs: async () => (await cpuTicks()) * 10,
    async waitIdle(timeoutMs = 30_000) {
      const until = performance.now() + timeoutMs;
      let last = await cpuTicks();
      while (performance.now() < until && !exited) {
        await delay(200);
        const now = await cpuTicks();
        // Clock ticks are 10 ms: at most 0 ticks in 200 ms means under 5% of a core.
        if (now - last === 0) return;
        last = now;
      }
    },
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!exited) child.kill("SIGKILL");
      }, 5000);
      await status;
      clearTimeout(timer);
    },
  };
}
