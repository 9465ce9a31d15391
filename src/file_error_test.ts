import assert from "node:assert/strict";
import { fileError, fileSystemCode } from "./file_error.ts";
import { PhywareError, ValidationError } from "./errors.ts";

const withCode = (code: unknown) => Object.assign(new Error("boom"), { code });

Deno.test("fileSystemCode names the file-system codes it knows, and nothing else", () => {
  for (
    const code of [
      "ENOENT",
      "ENOTDIR",
      "EISDIR",
      "EACCES",
      "EPERM",
      "ENOSPC",
      "EDQUOT",
      "EROFS",
      "EFBIG",
      "ELOOP",
      "ENAMETOOLONG",
      "EIO",
    ]
  ) {
    assert.equal(fileSystemCode(withCode(code)), code);
  }
  for (const other of [withCode("ECONNREFUSED"), withCode(2), new Error("x"), null, "ENOENT"]) {
    assert.equal(fileSystemCode(other), undefined, String(other));
  }
});

Deno.test("a code that names a property every object has is no file-system code", () => {
  // The table of reasons is a plain object: its inherited names (constructor, toString...) are no codes.
  for (const name of ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty"]) {
    assert.equal(fileSystemCode(withCode(name)), undefined, name);
    assert.equal(fileError(withCode(name), "read x"), undefined, name);
  }
});

Deno.test("a real missing file is ENOENT, reported as no such file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    let thrown: unknown;
    try {
      Deno.readTextFileSync(`${dir}/absent.txt`);
    } catch (error) {
      thrown = error;
    }
    assert.equal(fileSystemCode(thrown), "ENOENT");
    assert.equal(fileError(thrown, "read x")?.message, "Cannot read x: no such file");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("fileError says each code's reason after Cannot <action>", () => {
  const reasons: [string, string][] = [
    ["ENOENT", "no such file"],
    ["ENOTDIR", "a part of the path is not a folder"],
    ["EISDIR", "it is a folder, not a file"],
    ["EACCES", "permission denied"],
    ["EPERM", "permission denied"],
    ["ENOSPC", "no space left on the device"],
    ["EDQUOT", "the disk quota is exhausted"],
    ["EROFS", "the file system is read-only"],
    ["EFBIG", "the file is too large"],
    ["ELOOP", "too many symbolic links on the path"],
    ["ENAMETOOLONG", "the path is too long"],
    ["EIO", "an input/output error"],
  ];
  for (const [code, reason] of reasons) {
    assert.equal(
      fileError(withCode(code), 'read --api-key-file "/k"')?.message,
      `Cannot read --api-key-file "/k": ${reason}`,
    );
  }
});

Deno.test("by default a file error is a PhywareError (exit 1), code FILE_ERROR, with advice for its code", () => {
  const advice: [string, string][] = [
    ["EACCES", "Check the permissions, or run as the user who owns it"],
    ["EPERM", "Check the permissions, or run as the user who owns it"],
    ["ENOSPC", "Free some space, or write somewhere else"],
    ["EDQUOT", "Free some space, or write somewhere else"],
    ["EISDIR", "Give the path of a file"],
    ["ENOENT", "Check the path"],
    ["EROFS", "Check the path"],
    ["EIO", "Check the path"],
  ];
  for (const [code, remediation] of advice) {
    const error = fileError(withCode(code), "write out.csv");
    assert.ok(error instanceof PhywareError);
    assert.equal(error.constructor, PhywareError, code);
    assert.equal(error.exitCode, 1);
    assert.equal(error.code, "FILE_ERROR");
    assert.equal(error.remediation, remediation, code);
  }
});

Deno.test("with validation it is a ValidationError (exit 4), its code VALIDATION_ERROR unless told", () => {
  const error = fileError(withCode("ENOENT"), 'read --from-file "rows.csv"', { validation: true });
  assert.ok(error instanceof ValidationError);
  assert.equal(error.exitCode, 4);
  assert.equal(error.code, "VALIDATION_ERROR");
  assert.equal(error.message, 'Cannot read --from-file "rows.csv": no such file');
  assert.equal(error.remediation, "Check the path");
  const coded = fileError(withCode("EACCES"), "read x", { validation: true, code: "USAGE_ERROR" });
  assert.ok(coded instanceof ValidationError);
  assert.equal(coded.code, "USAGE_ERROR");
});

Deno.test("the caller's code and remediation replace the defaults", () => {
  const error = fileError(withCode("ENOSPC"), "write the config", {
    code: "CONFIG_ERROR",
    remediation: "Set PHYWARE_CONFIG_DIR to another folder",
  });
  assert.equal(error?.code, "CONFIG_ERROR");
  assert.equal(error?.remediation, "Set PHYWARE_CONFIG_DIR to another folder");
  assert.equal(error?.message, "Cannot write the config: no space left on the device");
  assert.equal(error?.exitCode, 1);
});

Deno.test("fileError gives undefined for what is no file-system error, so the caller rethrows it", () => {
  assert.equal(fileError(new TypeError("bug"), "read x"), undefined);
  assert.equal(fileError(withCode("ECONNRESET"), "read x", { validation: true }), undefined);
  assert.equal(fileError(undefined, "read x"), undefined);
});
