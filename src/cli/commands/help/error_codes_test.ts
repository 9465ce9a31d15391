import assert from "node:assert/strict";
import { join } from "node:path";
import { PROBLEM_CODES } from "../../../wire/mod.ts";
import { ERROR_CODES, errorCodesHelp } from "./error_codes.ts";

// Every code a source file gives an error (`code: "X"`, or a PhywareError subclass's default) must be in the
// table: a new code without its documentation fails here.
async function codesInSource(dir: string, found: Set<string>): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await codesInSource(path, found);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      const text = await Deno.readTextFile(path);
      for (const m of text.matchAll(/\bcode: "([A-Z][A-Z_]+)"/g)) found.add(m[1] ?? "");
      for (const m of text.matchAll(/super\([^;]*?"([A-Z][A-Z_]+)"\);/g)) found.add(m[1] ?? "");
      for (const m of text.matchAll(/new HttpProblem\(\s*\d+,\s*"([A-Z][A-Z_]+)"/g)) found.add(m[1] ?? "");
    }
  }
}

Deno.test("every error code phyware or the service can give is in help errors", async () => {
  const found = new Set<string>(PROBLEM_CODES);
  await codesInSource(new URL("../../", import.meta.url).pathname, found);
  const documented = new Set(ERROR_CODES.map((e) => e.code));
  const missing = [...found].filter((code) => !documented.has(code)).sort();
  assert.deepEqual(missing, [], "undocumented error codes");
  assert.ok(found.size >= 15, `the scan finds the codes (${[...found].join(", ")})`);
  const text = errorCodesHelp();
  for (const { code } of ERROR_CODES) assert.match(text, new RegExp(`\n  ${code} +\\d+ `));
});
