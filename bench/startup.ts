/** Measurement 1: start-up of `phyware --version` against `gh --version` and `deno run main.ts --version`. */
import { fmtMiB, fmtMs, fmtRatio, interleaved, pairedRatio, type RunSpec, summary } from "./measure.ts";
import type { Section } from "./section.ts";

/** Runs the start-up measurement. */
export async function benchStartup(
  binary: string,
  root: string,
  workDir: string,
  runs: number,
): Promise<Section> {
  const specs: Record<string, RunSpec> = {
    phyware: { cmd: binary, args: ["--version"] },
    gh: { cmd: "gh", args: ["--version"] },
    deno: { cmd: Deno.execPath(), args: ["run", "main.ts", "--version"], cwd: root },
  };
  const samples = await interleaved(specs, runs, 3, workDir);
  const p = summary(samples.phyware ?? []);
  const g = summary(samples.gh ?? []);
  const d = summary(samples.deno ?? []);
  const vsGh = pairedRatio(samples.phyware ?? [], samples.gh ?? []);
  const vsDeno = pairedRatio(samples.phyware ?? [], samples.deno ?? []);
  return {
    title: "1. Start-up",
    headers: ["command", "median wall ms", "peak RSS MiB", "phyware / this (paired median)"],
    rows: [
      ["phyware --version (release binary)", fmtMs(p.ms), fmtMiB(p.rssKb), ""],
      ["gh --version (Debian gh, Go)", fmtMs(g.ms), fmtMiB(g.rssKb), fmtRatio(vsGh)],
      ["deno run main.ts --version (source)", fmtMs(d.ms), fmtMiB(d.rssKb), fmtRatio(vsDeno)],
    ],
    targets: [{
      target: "Start-up no slower than `gh --version`",
      measured: `${fmtMs(p.ms)} ms vs ${fmtMs(g.ms)} ms (${fmtRatio(vsGh)})`,
      met: vsGh <= 1,
    }],
    commands: [
      `${binary} --version`,
      "gh --version",
      "deno run main.ts --version",
      `(${runs} runs each after 3 warm-ups, interleaved; each under /usr/bin/time -f %M, stdout to /dev/null)`,
    ],
    notes: [],
    raw: { phyware: p, gh: g, deno: d, vsGh, vsDeno },
  };
}
