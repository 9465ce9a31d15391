import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { signAdhoc, verifyMachoSignature } from "../../scripts/release/macho_signature.ts";
import pkg from "../../package.json" with { type: "json" };
import { denoDir } from "../../scripts/release/deno_dir.ts";

const PAGE = 4096;

/**
 * A tiny x86_64 Mach-O: header, __TEXT and __LINKEDIT segments and LC_CODE_SIGNATURE, three pages of code
 * and a placeholder SuperBlob (no CodeDirectory) at the end, as a linker leaves before signing.
 */
function tinyMacho(): Uint8Array {
  const codeEnd = 3 * PAGE;
  const placeholder = 32;
  const bytes = new Uint8Array(codeEnd + placeholder);
  for (let i = 256; i < codeEnd; i++) bytes[i] = (i * 31) & 0xff;
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0xfeedfacf, true);
  v.setUint32(4, 0x01000007, true); // x86_64
  v.setUint32(12, 2, true); // MH_EXECUTE
  v.setUint32(16, 3, true); // ncmds
  v.setUint32(20, 72 + 72 + 16, true);
  const segment = (at: number, name: string, fileoff: number, filesize: number) => {
    bytes.fill(0, at, at + 72);
    v.setUint32(at, 0x19, true);
    v.setUint32(at + 4, 72, true);
    bytes.set(new TextEncoder().encode(name), at + 8);
    v.setBigUint64(at + 32, BigInt(Math.ceil(filesize / 16384) * 16384), true);
    v.setBigUint64(at + 40, BigInt(fileoff), true);
    v.setBigUint64(at + 48, BigInt(filesize), true);
  };
  segment(32, "__TEXT", 0, 2 * PAGE);
  segment(104, "__LINKEDIT", 2 * PAGE, PAGE + placeholder);
  v.setUint32(176, 0x1d, true);
  v.setUint32(180, 16, true);
  v.setUint32(184, codeEnd, true);
  v.setUint32(188, placeholder, true);
  v.setUint32(codeEnd, 0xfade0cc0);
  v.setUint32(codeEnd + 4, 12);
  v.setUint32(codeEnd + 8, 0);
  return bytes;
}

Deno.test("verifyMachoSignature reports a binary with no CodeDirectory as invalid", () => {
  const report = verifyMachoSignature(tinyMacho());
  assert.equal(report.valid, false);
  assert.deepEqual(report.problems, ["The SuperBlob holds no CodeDirectory"]);
});

Deno.test("signAdhoc writes a linker-style ad hoc signature whose every page verifies", () => {
  const signed = signAdhoc(tinyMacho(), "phyware");
  const report = verifyMachoSignature(signed);
  assert.equal(report.valid, true, JSON.stringify(report));
  assert.deepEqual(report.directories, [{
    slot: 0,
    identifier: "phyware",
    hashType: "sha256",
    pageSize: PAGE,
    codeLimit: 3 * PAGE,
    codeSlots: 3,
    adhoc: true,
    badPages: [],
    badSpecialSlots: [],
  }]);
  // LC_CODE_SIGNATURE and __LINKEDIT now cover the larger signature, which ends the file.
  const v = new DataView(signed.buffer);
  assert.equal(v.getUint32(184, true) + v.getUint32(188, true), signed.length);
  assert.equal(Number(v.getBigUint64(104 + 40, true) + v.getBigUint64(104 + 48, true)), signed.length);
});

Deno.test("verifyMachoSignature names the page whose bytes changed after signing", () => {
  const signed = signAdhoc(tinyMacho(), "phyware");
  signed[PAGE + 100] = (signed[PAGE + 100] as number) ^ 1;
  const report = verifyMachoSignature(signed);
  assert.equal(report.valid, false);
  assert.deepEqual(report.directories[0]?.badPages, [1]);
});

Deno.test("verifyMachoSignature flags a signature whose codeLimit stops short of it", () => {
  const signed = signAdhoc(tinyMacho(), "phyware");
  // What Bun 1.4.5 leaves in darwin-x64 output: a CodeDirectory describing a shorter, older file.
  const cd = 3 * PAGE + 20;
  new DataView(signed.buffer).setUint32(cd + 32, 2 * PAGE);
  const report = verifyMachoSignature(signed);
  assert.equal(report.valid, false);
  assert.deepEqual(report.problems, [
    `CodeDirectory 0: codeLimit ${2 * PAGE} is not the signature offset ${3 * PAGE}`,
    "CodeDirectory 0: 3 code slots, expected 2",
  ]);
});

Deno.test("verifyMachoSignature rejects a file that is not Mach-O 64", () => {
  assert.throws(() => verifyMachoSignature(new Uint8Array(64)), /Not a 64-bit little-endian Mach-O file/);
});

// Bun's darwin runtimes, the ones compile.ts builds from, carry Apple-issued signatures made by `codesign`;
// agreeing with them shows the page hashing matches Apple's. A clean machine has them in no cache before the
// compile, so the test fetches them from the npm registry (as scripts/release/bun_binary.ts fetches Bun).
for (const cpu of ["aarch64", "x64"]) {
  Deno.test(`verifyMachoSignature accepts Bun's codesign-signed bun-darwin-${cpu} runtime`, async () => {
    const path = await bunDarwinRuntime(`bun-darwin-${cpu}`, pkg.devDependencies.bun);
    const report = verifyMachoSignature(await Deno.readFile(path));
    assert.equal(report.valid, true, `${path}: ${JSON.stringify(report.problems)}`);
    assert.equal(report.directories[0]?.identifier, "bun");
    assert.equal(report.directories[0]?.adhoc, false, "signed with a certificate, not ad hoc");
  });
}

/** Bun's darwin runtime from Bun's cross-compile cache or Deno's npm cache, fetched when neither has it. */
async function bunDarwinRuntime(name: string, version: string): Promise<string> {
  const inDenoCache = async () => {
    const dir = await denoDir();
    if (!dir || !existsSync(join(dir, "npm"))) return [];
    return [...Deno.readDirSync(join(dir, "npm"))].map((e) =>
      join(dir, "npm", e.name, "@oven", name, version, "bin", "bun")
    );
  };
  const cached = [join(homedir(), ".bun", "install", "cache", `${name}-v${version}`), ...await inDenoCache()]
    .find((path) => existsSync(path));
  if (cached) return cached;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--no-config", "--node-modules-dir=none", `npm:@oven/${name}@${version}`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `deno cache npm:@oven/${name}@${version}: ${new TextDecoder().decode(out.stderr)}`);
  const fetched = (await inDenoCache()).find((path) => existsSync(path));
  assert.ok(fetched, `no ${name} ${version} in Deno's npm cache after fetching it`);
  return fetched;
}
