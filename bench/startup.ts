/** Measurement 1: start-up of `phyware --version` against its floor, `gh --version` and the source run. */
import { fmtMiB, fmtMs, fmtRatio, interleaved, pairedRatio, type RunSpec, summary } from "./measure.ts";
import type { Section } from "./section.ts";

/** The target: `phyware --version` at most this fraction of `gh --version`. */
const GH_SHARE = 0.15;

/** Issue 19's target: `phyware --version` at most this multiple of its floor, the runtime printing a constant. */
export const FLOOR_SHARE = 1.1;

/** Runs the start-up measurement; `floor` is bench/floor_version.ts compiled like the release binary. */
export async function benchStartup(
  binary: string,
  root: string,
  workDir: string,
  runs: number,
  floor: string,
): Promise<Section> {
  const specs: Record<string, RunSpec> = {
    phyware: { cmd: binary, args: ["--version"] },
    floor: { cmd: floor, args: [] },
    gh: { cmd: "gh", args: ["--version"] },
    deno: { cmd: Deno.execPath(), args: ["run", "main.ts", "--version"], cwd: root },
  };
  const samples = await interleaved(specs, runs, 3, workDir);
  const p = summary(samples.phyware ?? []);
  const f = summary(samples.floor ?? []);
  const g = summary(samples.gh ?? []);
  const d = summary(samples.deno ?? []);
  const vsFloor = pairedRatio(samples.phyware ?? [], samples.floor ?? []);
  const vsGh = pairedRatio(samples.phyware ?? [], samples.gh ?? []);
  const vsDeno = pairedRatio(samples.phyware ?? [], samples.deno ?? []);
  return {
    id: "startup",
    title: "1. Start-up",
    headers: ["command", "median wall ms", "peak RSS MiB", "phyware / this (paired median)"],
    rows: [
      ["phyware --version (release binary)", fmtMs(p.ms), fmtMiB(p.rssKb), ""],
      [
        "floor: console.log of a constant, release flags (bench/floor_version.ts)",
        fmtMs(f.ms),
        fmtMiB(f.rssKb),
        fmtRatio(vsFloor),
      ],
      ["gh --version (Debian gh, Go)", fmtMs(g.ms), fmtMiB(g.rssKb), fmtRatio(vsGh)],
      ["deno run main.ts --version (source)", fmtMs(d.ms), fmtMiB(d.rssKb), fmtRatio(vsDeno)],
    ],
    targets: [{
      target: `\`phyware --version\` at most ${GH_SHARE}x \`gh --version\``,
      measured: `${fmtMs(p.ms)} ms vs ${fmtMs(g.ms)} ms (${fmtRatio(vsGh)}); floor ${fmtMs(f.ms)} ms (${
        fmtRatio(vsFloor)
      })`,
      met: vsGh <= GH_SHARE,
    }, {
      target: `\`phyware --version\` at most ${FLOOR_SHARE}x its floor (bench/floor_version.ts)`,
      measured: `${fmtMs(p.ms)} ms vs ${fmtMs(f.ms)} ms (${fmtRatio(vsFloor)}, paired median)`,
      met: vsFloor <= FLOOR_SHARE,
    }],
    commands: [
      `${binary} --version`,
      "bench/.work/floor-floor_version/floor_version   # compiled bench/floor_version.ts",
      "gh --version",
      "deno run main.ts --version",
      `(${runs} runs each after 3 warm-ups, interleaved; each under /usr/bin/time -f %M, stdout to /dev/null)`,
    ],
    notes: [],
    raw: { phyware: p, floor: f, gh: g, deno: d, vsFloor, vsGh, vsDeno },
  };
}
