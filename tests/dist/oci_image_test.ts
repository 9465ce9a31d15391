// The OCI image builder on a small real ELF program (/bin/true): reproducible digest, layout, config.
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildImage, IMAGE_USER, imageName } from "../../scripts/release/oci_image.ts";
import { TARGETS } from "../../scripts/release/targets.ts";
import { needs, needsPlatform } from "../support/programs.ts";
import { tempDir } from "../support/temp_dir.ts";

const X64 = TARGETS.find((t) => t.id === "linux-x64");

Deno.test("imageName follows the archives' naming", () => {
  assert.ok(X64);
  assert.equal(imageName("1.2.3", X64), "phyware_1.2.3_linux_x64.oci.tar");
});

Deno.test({
  name: "buildImage gives the same digest twice and an OCI layout with user 65532 and /phyware as entrypoint",
  ...(needsPlatform("linux", "x86_64").ignore
    ? { ignore: true }
    : needs(["readelf", "binutils"], ["tar", "tar"])),
  fn: async () => {
    assert.ok(X64);
    const input = {
      version: "1.2.3",
      target: X64,
      binaryPath: await Deno.realPath("/bin/true"),
      homepage: "https://example.test/phyware",
      revision: "0".repeat(40),
      mtime: 1767225600,
    };
    const one = await buildImage(input);
    const two = await buildImage(input);
    assert.equal(one.digest, two.digest);
    assert.deepEqual(one.bytes, two.bytes);
    await using dir = await tempDir();
    await Deno.writeFile(join(dir.path, "image.tar"), one.bytes);
    const out = await new Deno.Command("tar", { args: ["-xf", "image.tar"], cwd: dir.path }).output();
    assert.ok(out.success);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir.path, "oci-layout"))), {
      imageLayoutVersion: "1.0.0",
    });
    const index = JSON.parse(await Deno.readTextFile(join(dir.path, "index.json")));
    assert.equal(index.manifests[0].digest, one.digest);
    assert.deepEqual(index.manifests[0].platform, { architecture: "amd64", os: "linux" });
    const blob = async (digest: string) =>
      JSON.parse(await Deno.readTextFile(join(dir.path, "blobs", "sha256", digest.slice(7))));
    const manifest = await blob(one.digest);
    const config = await blob(manifest.config.digest);
    assert.equal(config.config.User, `${IMAGE_USER}:${IMAGE_USER}`);
    assert.deepEqual(config.config.Entrypoint, ["/phyware"]);
    assert.equal(config.config.Labels["org.opencontainers.image.version"], "1.2.3");
    assert.equal(config.config.Labels["org.opencontainers.image.revision"], "0".repeat(40));
    assert.equal(config.created, "2026-01-01T00:00:00Z");
    const layer = join(dir.path, "blobs", "sha256", manifest.layers[0].digest.slice(7));
    const listing = await new Deno.Command("tar", {
      args: ["-tzvf", layer, "--numeric-owner"],
      stdout: "piped",
    }).output();
    const lines = new TextDecoder().decode(listing.stdout).trim().split("\n");
    const names = lines.map((line) => line.split(/\s+/).at(-1));
    for (
      const name of [
        "phyware",
        "etc/passwd",
        "lib64/ld-linux-x86-64.so.2",
        "lib/x86_64-linux-gnu/libc.so.6",
        "tmp/",
      ]
    ) {
      assert.ok(names.includes(name), `layer lacks ${name}: ${names.join(" ")}`);
    }
    assert.ok(
      lines.some((line) => line.includes(`${IMAGE_USER}/${IMAGE_USER}`) && line.endsWith("home/nonroot/")),
    );
  },
});
