// An empty PHYCLOUD_API_KEY or --api-key "" means "not given", as an empty PHYCLOUD_URL does: it keeps .env
// quiet, and the saved profile still gives the key (against the real server).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("an empty PHYCLOUD_API_KEY or --api-key falls back to the current profile, not to .env", async (t) => {
  await using server = await startTestServer();
  await using config = await tempDir("phyware-config-");
  await using work = await tempDir("phyware-work-");
  await Deno.writeTextFile(
    join(config.path, "config.json"),
    JSON.stringify({
      current: "default",
      profiles: { default: { url: server.url, api_key: server.apiKey } },
    }),
    { mode: 0o600 },
  );
  // A .env key that must stay unused: an empty variable silences .env.
  await Deno.writeTextFile(join(work.path, ".env"), "PHYCLOUD_API_KEY=phy_fromdotenv\n");
  assert.equal(
    (await runCli([
      "users",
      "invite",
      "--email",
      "e@example.com",
      "--url",
      server.url,
      "--api-key",
      server.apiKey,
    ])).code,
    0,
  );
  const cases: [string, string[], Record<string, string>][] = [
    ["PHYCLOUD_API_KEY=", ["users", "list", "-o", "id"], { PHYCLOUD_API_KEY: "" }],
    ["--api-key ''", ["users", "list", "-o", "id", "--api-key", ""], {}],
    ["PHYCLOUD_API_KEY= and PHYCLOUD_URL=", ["users", "list", "-o", "id"], {
      PHYCLOUD_API_KEY: "",
      PHYCLOUD_URL: "",
    }],
  ];
  for (const [name, argv, env] of cases) {
    await t.step(name, async () => {
      const r = await runCli(argv, { env: { PHYCLOUD_CONFIG_DIR: config.path, ...env }, cwd: work.path });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^(usr_\w+\n){2}$/, "the seeded admin and e@example.com");
      assert.equal(r.stderr, "");
    });
  }
  await t.step("whoami says the key came from the profile", async () => {
    const r = await runCli(["whoami", "-o", "json"], {
      env: { PHYCLOUD_CONFIG_DIR: config.path, PHYCLOUD_API_KEY: "" },
      cwd: work.path,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"profile"/);
  });
});
