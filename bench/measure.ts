/** Shared timing code of the benchmarks: run a process, time it, read its peak RSS, take medians. */
import { join } from "node:path";

/** One timed run of a process. */
export interface Sample {
  /** Wall time from spawn to exit, as seen by the driver. */
  ms: number;
  /** Peak resident set size in KiB (the largest of the process and its waited-for children). */
  rssKb: number;
}

/** How to run one command. */
export interface RunSpec {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** The median of a list of numbers (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid] as number
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The smallest and largest of a list. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

const TIME = "/usr/bin/time";

/**
 * Runs a command once under GNU time (for the peak RSS) with stdout to /dev/null, and times it from the
 * driver (GNU time's own clock has 10 ms steps). Throws when the command fails.
 */
export async function timeRun(spec: RunSpec, workDir: string): Promise<Sample> {
  const rssFile = join(workDir, "rss.txt");
  const command = new Deno.Command(TIME, {
    args: ["-f", "%M", "-o", rssFile, spec.cmd, ...spec.args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    ...(spec.env ? { env: spec.env } : {}),
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
  });
  const started = performance.now();
  const out = await command.output();
  const ms = performance.now() - started;
  const rssText = await Deno.readTextFile(rssFile);
  if (!out.success) {
    throw new Error(
      `Command failed: ${spec.cmd} ${spec.args.join(" ")}: exit ${out.code}: ${
        new TextDecoder().decode(out.stderr).trim().slice(0, 500)
      } ${rssText.trim()}`,
    );
  }
  const rssKb = Number(rssText.trim().split("\n").pop());
  return { ms, rssKb };
}

/** Samples of several commands run in turn, run by run, so slow drifts of the machine hit all alike. */
export async function interleaved(
  specs: Record<string, RunSpec>,
  runs: number,
  warmups: number,
  workDir: string,
): Promise<Record<string, Sample[]>> {
  const names = Object.keys(specs);
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < warmups + runs; i++) {
    // Alternate the order as well, so neither side always runs right after the other.
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const sample = await timeRun(specs[name] as RunSpec, workDir);
      if (i >= warmups) samples[name]?.push(sample);
    }
  }
  return samples;
}

/** Median wall time and peak RSS of a list of samples. */
export function summary(samples: readonly Sample[]): { ms: number; rssKb: number; n: number } {
  return {
    ms: median(samples.map((s) => s.ms)),
    rssKb: median(samples.map((s) => s.rssKb)),
    n: samples.length,
  };
}

/** The median of per-run ratios a[i]/b[i] of two paired series. */
export function pairedRatio(a: readonly Sample[], b: readonly Sample[]): number {
  return median(a.map((s, i) => s.ms / (b[i]?.ms ?? NaN)));
}

/** Milliseconds with sensible precision. */
export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** KiB as MB (10^6 bytes would be MB; we use MiB and say so). */
export function fmtMiB(kb: number): string {
  return (kb / 1024).toFixed(1);
}

/** A ratio like "1.23x". */
export function fmtRatio(r: number): string {
  return `${r.toFixed(2)}x`;
}
