import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/support/temp_dir.ts";
import {
  checkPrivateFolder,
  createPrivateFolder,
  ensurePrivateFolder,
  UnsafeFolderError,
} from "./private_folder.ts";

const mode = (path: string) => Deno.statSync(path).mode! & 0o7777;
const isRoot = Deno.uid() === 0;
const NOBODY = 65534;

Deno.test("createPrivateFolder makes every folder it creates 0700 and leaves existing ones as they are", async () => {
  await using dir = await tempDir();
  await Deno.chmod(dir.path, 0o755);
  const leaf = join(dir.path, "a", "b", "c");
  assert.equal(createPrivateFolder(leaf), true);
  for (const folder of [join(dir.path, "a"), join(dir.path, "a", "b"), leaf]) {
    assert.equal(mode(folder), 0o700);
  }
  assert.equal(mode(dir.path), 0o755, "an existing parent is not chmod-ed");
  // There already: not created, not chmod-ed, not checked (the store's and the outbox's folders).
  await Deno.chmod(leaf, 0o1777);
  assert.equal(createPrivateFolder(leaf), false);
  assert.equal(mode(leaf), 0o1777);
});

Deno.test("createPrivateFolder uses a folder another user owns as it is", { ignore: !isRoot }, async () => {
  await using dir = await tempDir();
  const theirs = join(dir.path, "theirs");
  await Deno.mkdir(theirs, { mode: 0o755 });
  await Deno.chown(theirs, NOBODY, NOBODY);
  assert.equal(createPrivateFolder(theirs), false);
  assert.equal(mode(theirs), 0o755);
  assert.equal(Deno.statSync(theirs).uid, NOBODY);
});

Deno.test("createPrivateFolder makes folders 0700 under a umask that narrows the mode", async () => {
  await using dir = await tempDir();
  const module = new URL("./private_folder.ts", import.meta.url).href;
  // umask is the process's: set in a child, not in this test runner. Under 0277 mkdir(0700) makes 0500;
  // nested folders then need root to go on (0500 lets no one else create in it).
  const folders = [join(dir.path, "one"), ...(isRoot ? [join(dir.path, "two", "three")] : [])];
  const code = `import { createPrivateFolder } from ${JSON.stringify(module)};\n` +
    `for (const f of JSON.parse(Deno.env.get("FOLDERS"))) createPrivateFolder(f);`;
  const out = await new Deno.Command("sh", {
    args: ["-c", 'umask 0277 && exec "$0" eval --quiet "$1"', Deno.execPath(), code],
    env: { FOLDERS: JSON.stringify(folders) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.equal(mode(join(dir.path, "one")), 0o700);
  if (isRoot) {
    assert.equal(mode(join(dir.path, "two")), 0o700);
    assert.equal(mode(join(dir.path, "two", "three")), 0o700);
  }
});

Deno.test("ensurePrivateFolder creates a missing folder 0700 and accepts an existing private one as it is", async () => {
  await using dir = await tempDir();
  const fresh = join(dir.path, "a", "b");
  await ensurePrivateFolder(fresh);
  assert.equal(mode(join(dir.path, "a")), 0o700);
  assert.equal(mode(fresh), 0o700);
  const mine = join(dir.path, "mine");
  await Deno.mkdir(mine);
  await Deno.chmod(mine, 0o755);
  await ensurePrivateFolder(mine);
  assert.equal(mode(mine), 0o755, "an existing folder is never chmod-ed");
  assert.equal(await checkPrivateFolder(mine), true);
  assert.equal(await checkPrivateFolder(join(dir.path, "missing")), false);
});

Deno.test("ensurePrivateFolder and checkPrivateFolder refuse a folder others can write to, or a file", async () => {
  await using dir = await tempDir();
  const shared = join(dir.path, "shared");
  await Deno.mkdir(shared);
  await Deno.chmod(shared, 0o1777);
  for (const check of [ensurePrivateFolder, checkPrivateFolder]) {
    await assert.rejects(check(shared), (error) => {
      assert.ok(error instanceof UnsafeFolderError);
      assert.equal(error.folder, shared);
      assert.equal(error.reason, "others can write to it (mode 1777)");
      assert.equal(error.fix, `Run chmod go-w "${shared}", or use a folder of your own`);
      return true;
    });
  }
  assert.equal(mode(shared), 0o1777, "refused, not chmod-ed");
  const file = join(dir.path, "file");
  await Deno.writeTextFile(file, "");
  await assert.rejects(ensurePrivateFolder(file), (error) => {
    assert.ok(error instanceof UnsafeFolderError);
    assert.deepEqual([error.reason, error.fix], ["it is not a folder", "Point it at a folder"]);
    return true;
  });
});

Deno.test("ensurePrivateFolder refuses a folder another user owns", { ignore: !isRoot }, async () => {
  await using dir = await tempDir();
  const theirs = join(dir.path, "theirs");
  await Deno.mkdir(theirs, { mode: 0o700 });
  await Deno.chown(theirs, NOBODY, NOBODY);
  await assert.rejects(ensurePrivateFolder(theirs), (error) => {
    assert.ok(error instanceof UnsafeFolderError);
    assert.deepEqual([error.reason, error.fix], [
      `it belongs to another user (uid ${NOBODY})`,
      "Use a folder of your own",
    ]);
    return true;
  });
});
