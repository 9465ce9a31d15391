import assert from "node:assert/strict";
import { join } from "node:path";
import { testContext } from "../../tests/support/context.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";
import { PhywareError } from "../errors.ts";
import { configText, parseConfig, profileOf, updateConfig } from "./profiles.ts";

Deno.test("parseConfig: current names a saved profile; names are checked; lookups are own properties", async (t) => {
  const profiles = { acme: { url: "http://a", api_key: "k" } };
  await t.step("a file without current (an older phyware's) has none", () => {
    assert.equal(parseConfig(JSON.stringify({ profiles }), "c.json").current, null);
  });
  await t.step("current is kept and written first", () => {
    const config = parseConfig(JSON.stringify({ profiles, current: "acme" }), "c.json");
    assert.equal(config.current, "acme");
    assert.equal(configText(config), JSON.stringify({ current: "acme", profiles }, null, 2) + "\n");
  });
  await t.step("constructor and toString are no profiles", () => {
    const config = parseConfig(JSON.stringify({ profiles }), "c.json");
    assert.equal(profileOf(config, "constructor"), undefined);
    assert.equal(profileOf(config, "toString"), undefined);
    assert.deepEqual(profileOf(config, "acme"), profiles.acme);
  });
  for (
    const [name, text, why] of [
      ["current names no profile", { profiles, current: "gone" }, '"current" names no saved profile: "gone"'],
      ["current is not a string", { profiles, current: 3 }, '"current" names no saved profile: "3"'],
      ["a name is not valid", { profiles: { "a b": profiles.acme } }, 'the profile name "a b" is not valid'],
    ] as const
  ) {
    await t.step(name, () => {
      assert.throws(
        () => parseConfig(JSON.stringify(text), "c.json"),
        (e: unknown) => e instanceof PhywareError && e.message === `Cannot read c.json: ${why}`,
      );
    });
  }
});

Deno.test("updateConfig: a folder that refuses writes (EACCES) is one line naming it and PHYCLOUD_CONFIG_DIR", async () => {
  // The tests run as root, whom EACCES never stops: the write fails as it does for a user without access.
  await using dir = await tempDir();
  const { ctx } = testContext({ env: { PHYCLOUD_CONFIG_DIR: dir.path } });
  const denied = Object.assign(new Error("EACCES: permission denied, open"), { code: "EACCES" });
  const error = await updateConfig({ ...ctx, writePrivateFile: () => Promise.reject(denied) }, () => {})
    .then(() => undefined, (e) => e);
  assert.ok(error instanceof PhywareError);
  assert.equal(error.exitCode, 1);
  assert.equal(error.message, `Cannot write to the config folder "${dir.path}": permission denied`);
  assert.equal(error.remediation, "Set PHYCLOUD_CONFIG_DIR to a folder you can write to");
  // The lock was released.
  assert.deepEqual([...Deno.readDirSync(dir.path)], []);
});

Deno.test("updateConfig: the change sees the file as it is under the lock, and an error in it writes nothing", async () => {
  await using dir = await tempDir();
  const { ctx } = testContext({ env: { PHYCLOUD_CONFIG_DIR: dir.path } });
  await updateConfig(ctx, (config) => {
    config.profiles.a = { url: "http://a", api_key: "k" };
  });
  await Deno.writeTextFile(
    join(dir.path, "config.json"),
    JSON.stringify({
      profiles: { a: { url: "http://a", api_key: "k" }, b: { url: "http://b", api_key: "k" } },
    }),
  );
  const { result } = await updateConfig(ctx, (config) => Object.keys(config.profiles));
  assert.deepEqual(result, ["a", "b"]);
  const before = await Deno.readTextFile(join(dir.path, "config.json"));
  await assert.rejects(
    updateConfig(ctx, (config) => {
      delete config.profiles.a;
      throw new Error("no");
    }),
  );
  assert.equal(await Deno.readTextFile(join(dir.path, "config.json")), before);
});
