/** Facts about the machine and tools, for the head of RESULTS.md. */
import { readFileSync } from "node:fs";

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder().decode(out.stdout) || new TextDecoder().decode(out.stderr);
    return text.trimEnd();
  } catch {
    return "(not available)";
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? "";
}

/** The 1, 5 and 15 minute load averages: how busy the shared machine was. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

/** Machine facts as "name: value" pairs. */
export async function machineFacts(
  root: string,
  phyware: string,
  baseline: { name: string; version: string },
): Promise<[string, string][]> {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? "unknown";
  const osRelease = readFileSync("/etc/os-release", "utf8");
  const os = /PRETTY_NAME="([^"]*)"/.exec(osRelease)?.[1] ?? "unknown";
  const commit = await sh("git", ["-C", root, "rev-parse", "--short", "HEAD"]);
  const dirty = await sh("git", ["-C", root, "status", "--porcelain", "--", "src", "main.ts"]);
  return [
    ["date (UTC)", new Date().toISOString().replace(/\.\d+Z$/, "Z")],
    ["nproc", await sh("nproc", [])],
    ["CPU", model],
    ["free -h", "\n\n```\n" + (await sh("free", ["-h"])) + "\n```\n"],
    ["load average at start (1, 5, 15 min)", loadAverage()],
    ["kernel / OS", `${await sh("uname", ["-sr"])} / ${os}`],
    [
      "phyware",
      `${firstLine(await sh(phyware, ["--version"]))} at commit ${commit}${
        dirty ? " (src/ has uncommitted changes)" : ""
      }`,
    ],
    ["deno (driver, source run)", firstLine(await sh(Deno.execPath(), ["--version"]))],
    [`baseline runtime (${baseline.name})`, baseline.version],
    ["gh", firstLine(await sh("gh", ["--version"]))],
    ["curl", firstLine(await sh("curl", ["--version"]))],
    ["wrk", firstLine(await sh("wrk", ["--version"]))],
    [
      "apt packages the bench uses",
      (await sh("dpkg-query", ["-W", "-f", "${Package} ${Version}, ", "time", "wrk", "gh", "curl", "bash"]))
        .trim().replace(/,$/, ""),
    ],
    ["bash", firstLine(await sh("bash", ["--version"]))],
  ];
}
