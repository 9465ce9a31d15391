/** CPU time, peak memory and idleness of a server process the bench started (read from /proc). */
import type { ServerProcess } from "../scripts/server_process.ts";
import { delay } from "../src/runtime/delay.ts";

/** A server process started by the bench, with what the bench reads of it. */
export interface MeasuredServer {
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

/** Wraps a started server (scripts/server_process.ts) with /proc readings of its pid. */
export function measured(server: ServerProcess): MeasuredServer {
  let exited = false;
  void server.status.then(() => exited = true);
  const cpuTicks = async () => {
    const stat = await Deno.readTextFile(`/proc/${server.pid}/stat`).catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime (clock ticks of 10 ms) are fields 14 and 15 of /proc/PID/stat, 12 and 13 after the name.
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  };
  return {
    url: server.url,
    pid: server.pid,
    async peakRssKb() {
      const text = await Deno.readTextFile(`/proc/${server.pid}/status`).catch(() => "");
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
    stop: async () => void await server.stop("SIGTERM"),
  };
}
