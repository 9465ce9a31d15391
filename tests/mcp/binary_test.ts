// `phyware mcp` in the release binary, built here for this machine exactly as `deno task compile` builds it
// (the pinned Bun, the release flags), against the real server: the SDK must work when bundled, and the
// binary must load it only for `phyware mcp`.
import assert from "node:assert/strict";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { buildWithBun } from "../../scripts/release/engines.ts";
import { TARGETS } from "../../scripts/release/targets.ts";
import { startTestServer } from "../support/server.ts";
import { binaryLauncher } from "./mcp_client.ts";
import { mcpScenarios } from "./scenarios.ts";

const root = new URL("../..", import.meta.url).pathname;

function hostTarget() {
  const arch = Deno.build.arch === "aarch64" ? "arm64" : "x64";
  const found = TARGETS.find((t) => t.os === Deno.build.os && t.arch === arch && t.libc !== "musl");
  if (!found) throw new Error(`No release target for ${Deno.build.os} ${Deno.build.arch}`);
  return found;
}

Deno.test("phyware mcp in the compiled binary serves the users tools over stdio", async (t) => {
  const target = hostTarget();
  const dir = await Deno.makeTempDir({ prefix: "phyware-mcp-binary-" });
  const server = await startTestServer();
  try {
    const binary = join(dir, target.binary);
    await buildWithBun(
      await findBun(root, pkg.devDependencies.bun, () => {}),
      root,
      "main.ts",
      target,
      binary,
    );
    assert.ok((await Deno.stat(binary)).isFile);
    await mcpScenarios(t, binaryLauncher(binary), server);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
