import process from "node:process";
import os from "node:os";

/** The runtime running phyware (bun or deno) and its version, with the OS and architecture. */
export function engine(): { engine: string; engine_version: string; os: string; arch: string } {
  const { bun, deno } = process.versions;
  return {
    engine: bun !== undefined ? "bun" : deno !== undefined ? "deno" : "node",
    engine_version: bun ?? deno ?? process.versions.node,
    os: os.platform(),
    arch: os.arch(),
  };
}
