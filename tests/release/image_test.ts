// The OCI images of the linux glibc builds: skopeo reads their labels, user and entrypoint, the builder gives
// the same digest again, and umoci unpacks a root that runs phyware the way the image's config says.
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { buildImage, IMAGE_USER, imageName } from "../../scripts/release/oci_image.ts";
import { TARGETS } from "../../scripts/release/targets.ts";
import { startServerProcess } from "../../scripts/server_process.ts";
import { tempDir } from "../support/temp_dir.ts";
import {
  ADMIN_KEY,
  assertHost,
  assertSuccess,
  DIST,
  needsKit,
  onLinuxX64,
  readManifest,
  run,
  unpack,
} from "./kit.ts";

const GLIBC_LINUX = TARGETS.filter((t) => t.os === "linux" && t.libc === "gnu");

interface Inspected {
  Digest: string;
  Architecture: string;
  Os: string;
  Labels: Record<string, string>;
}

async function inspect(path: string): Promise<Inspected> {
  const out = await run("skopeo", ["inspect", `oci-archive:${path}`]);
  assertSuccess(out, "skopeo inspect");
  return JSON.parse(out.stdout) as Inspected;
}

for (const target of GLIBC_LINUX) {
  const name = imageName(VERSION, target);
  const path = join(DIST, name);

  Deno.test({
    name: `${target.id}: skopeo inspect oci-archive:${name} (labels, user, entrypoint)`,
    ...needsKit(["skopeo", "skopeo"]),
    fn: async () => {
      const info = await inspect(path);
      assert.equal(`${info.Os}/${info.Architecture}`, `linux/${target.arch === "x64" ? "amd64" : "arm64"}`);
      assert.equal(info.Labels["org.opencontainers.image.version"], VERSION);
      for (const label of ["source", "revision", "licenses", "created"]) {
        assert.ok(
          info.Labels[`org.opencontainers.image.${label}`],
          `no org.opencontainers.image.${label} label`,
        );
      }
      const config = await run("skopeo", ["inspect", "--config", `oci-archive:${path}`]);
      assertSuccess(config, "skopeo inspect --config");
      const c = JSON.parse(config.stdout) as { config: { User: string; Entrypoint: string[] } };
      assert.equal(c.config.User, `${IMAGE_USER}:${IMAGE_USER}`);
      assert.deepEqual(c.config.Entrypoint, ["/phyware"]);
    },
  });

  Deno.test({
    name: `${target.id}: umoci unpack, then the root runs as its config says`,
    ...(target.arch === "x64"
      ? onLinuxX64(["umoci", "umoci"], ["bwrap", "bubblewrap"], ["setpriv", "util-linux"], ["tar", "tar"])
      : needsKit(["umoci", "umoci"], ["qemu-aarch64-static", "qemu-user-static"], ["tar", "tar"])),
    fn: async () => {
      await using work = await tempDir("phyware-image-");
      const layout = join(work.path, "layout");
      await Deno.mkdir(layout);
      assertSuccess(await run("tar", ["-xf", path, "-C", layout]), "tar -x image");
      const bundle = join(work.path, "bundle");
      // The image's user must reach the unpacked root through the work folder.
      await Deno.chmod(work.path, 0o755);
      const asRoot = Deno.uid() === 0;
      // As root the files keep their owners (home is 65532's); rootless, they become the caller's, whom bwrap
      // maps to 65532. Either way the sandbox sees what a container runtime shows.
      const unpacked = await run("umoci", [
        "unpack",
        ...(asRoot ? [] : ["--rootless"]),
        "--image",
        `${layout}:${VERSION}`,
        bundle,
      ]);
      assertSuccess(unpacked, "umoci unpack");
      await Deno.chmod(bundle, 0o755);
      const spec = JSON.parse(await Deno.readTextFile(join(bundle, "config.json"))) as {
        process: { user: { uid: number; gid: number }; args: string[]; env: string[]; cwd: string };
      };
      const p = spec.process;
      assert.equal(p.user.uid, IMAGE_USER);
      assert.deepEqual(p.args, ["/phyware"]);
      const rootfs = join(bundle, "rootfs");
      if (target.arch !== "x64") {
        const out = await run("qemu-aarch64-static", ["-L", rootfs, join(rootfs, "phyware"), "--version"], {
          env: {},
        });
        assertSuccess(out, "qemu /phyware --version in the image root");
        assert.equal(out.stdout, `${VERSION}\n`);
        return;
      }
      assertHost("linux", "x86_64");
      const inImage = (args: string[], env: string[] = []) => {
        const bwrap = [
          ...["--ro-bind", rootfs, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"],
          ...["--unshare-user", "--uid", String(p.user.uid), "--gid", String(p.user.gid)],
          ...["--unshare-pid", "--die-with-parent", "--chdir", p.cwd, "--clearenv"],
          ...[...p.env, ...env].flatMap((
            kv,
          ) => ["--setenv", kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
          ...p.args,
          ...args,
        ];
        return asRoot
          ? run("setpriv", [
            `--reuid=${p.user.uid}`,
            `--regid=${p.user.gid}`,
            "--clear-groups",
            "bwrap",
            ...bwrap,
          ])
          : run("bwrap", bwrap);
      };
      const version = await inImage(["--version"]);
      assertSuccess(version, "/phyware --version in the image");
      assert.equal(version.stdout, `${VERSION}\n`);
      await using server = await startServerProcess({
        phyware: join(rootfs, "phyware"),
        db: join(work.path, "image.db"),
        env: { PHYCLOUD_BOOTSTRAP_API_KEY: ADMIN_KEY },
      });
      const list = await inImage(["users", "list", "-o", "json"], [
        `PHYCLOUD_URL=${server.url}`,
        `PHYCLOUD_API_KEY=${ADMIN_KEY}`,
      ]);
      assertSuccess(list, "users list in the image");
      assert.deepEqual((JSON.parse(list.stdout) as { email: string }[]).map((u) => u.email), [
        "admin@default.invalid",
      ]);
    },
  });
}

// One architecture is enough to show that the builder is deterministic; each rebuild costs a gzip -9.
Deno.test({
  name: "linux-x64: the image rebuilt from the same binary has the shipped digest",
  ...onLinuxX64(["skopeo", "skopeo"], ["readelf", "binutils"], ["tar", "tar"]),
  fn: async () => {
    const target = GLIBC_LINUX.find((t) => t.arch === "x64");
    assert.ok(target);
    const path = join(DIST, imageName(VERSION, target));
    const info = await inspect(path);
    await using dir = await tempDir("phyware-image-");
    const { binary } = await unpack(target.id, dir.path);
    const again = await buildImage({
      version: VERSION,
      target,
      binaryPath: binary,
      homepage: info.Labels["org.opencontainers.image.source"] ?? "",
      revision: info.Labels["org.opencontainers.image.revision"] ?? "",
      mtime: (await readManifest()).sourceDateEpoch,
    });
    assert.equal(again.digest, info.Digest);
  },
});
