// Each flag is declared once (./spec.ts): one object literal with its `long:` spelling, in one module, and a
// command that needs it otherwise derives it from that declaration (`{ ...DRY_RUN_FLAG, help: "..." }`, or
// `without(...)`), never writing its name, short name, value, choices or environment variable again. And no
// option reaches commander but through those declarations: addFlags, or for -V/--version, VERSION_FLAG. A default,
// a value or words, is declared too (`default`, `defaultText`), never written into a flag's help.
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { buildProgram } from "../cli/program.ts";
import { testContext, testHost } from "../../tests/support/context.ts";
import { specOf } from "./commander.ts";
import { VERSION_FLAG } from "./version_flag.ts";

const SRC = new URL("../", import.meta.url).pathname;

/** Every module under src/ (tests left out), by its path from src/. */
async function sources(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        files.set(relative(SRC, path), await Deno.readTextFile(path));
      }
    }
  };
  await walk(SRC);
  return files;
}

/** Where a match starts, as `file:line`. */
function place(file: string, text: string, index: number): string {
  return `${file}:${text.slice(0, index).split("\n").length}`;
}

Deno.test("each flag's long name is declared once in src/, every other use derived from that declaration", async () => {
  const declared = new Map<string, string[]>();
  for (const [file, text] of await sources()) {
    for (const match of text.matchAll(/\blong\s*:\s*["'`](-[^"'`]*)["'`]/g)) {
      const name = match[1] ?? "";
      declared.set(name, [...(declared.get(name) ?? []), place(file, text, match.index)]);
    }
  }
  assert.ok(declared.has("--url") && declared.has("--dry-run"), "the scan finds the declarations");
  const twice = [...declared].filter(([, places]) => places.length > 1);
  assert.deepEqual(
    twice,
    [],
    "a flag declared again: declare it once (a shared module when several commands take it) and derive " +
      'each command\'s variant from it, { ...BASE_FLAG, help: "..." }',
  );
});

Deno.test("no command line option is made but from a declaration: no .option(), new Option() or literal .version()", async () => {
  const found: string[] = [];
  for (const [file, text] of await sources()) {
    if (file === join("flags", "commander.ts")) continue; // flagOption, where declarations become options
    for (const match of text.matchAll(/\.(?:option|requiredOption)\(|new Option\(|createOption\(/g)) {
      found.push(`${place(file, text, match.index)}: ${match[0]}`);
    }
    for (const match of text.matchAll(/\.version\(([^)]+)\)/g)) {
      if (!(match[1] ?? "").includes("VERSION_FLAG")) {
        found.push(`${place(file, text, match.index)}: ${match[0]}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("every option of the command tree comes from a declaration, and one long name has one short name", () => {
  const shorts = new Map<string, Set<string>>();
  const undeclared: string[] = [];
  const walk = (cmd: CommandUnknownOpts, path: string): void => {
    for (const option of cmd.options) {
      const spec = specOf(option);
      const commanders = option.long === "--help" ||
        (option.long === VERSION_FLAG.long && option.short === VERSION_FLAG.short && path === "phyware");
      if (spec === undefined && !commanders) undeclared.push(`${path} ${option.flags}`);
      const long = option.long ?? "";
      shorts.set(long, new Set([...(shorts.get(long) ?? []), option.short ?? "(none)"]));
    }
    for (const sub of cmd.commands) walk(sub as CommandUnknownOpts, `${path} ${sub.name()}`);
  };
  walk(buildProgram(testContext().ctx, [], testHost), "phyware");
  assert.deepEqual(undeclared, []);
  assert.ok(shorts.has("--output") && shorts.has("--version"));
  assert.deepEqual([...shorts].filter(([, s]) => s.size > 1), []);
});

Deno.test("no flag's help writes its default: it is declared (default or defaultText), and help adds it", () => {
  const written: string[] = [];
  const walk = (cmd: CommandUnknownOpts, path: string): void => {
    for (const option of cmd.options) {
      const spec = specOf(option);
      if (spec !== undefined && /\(default/i.test(spec.help)) {
        written.push(`${path} ${spec.long}: ${spec.help}`);
      }
    }
    for (const sub of cmd.commands) walk(sub as CommandUnknownOpts, `${path} ${sub.name()}`);
  };
  walk(buildProgram(testContext().ctx, [], testHost), "phyware");
  if (/\(default/i.test(VERSION_FLAG.help)) {
    written.push(`phyware ${VERSION_FLAG.long}: ${VERSION_FLAG.help}`);
  }
  assert.deepEqual(
    written,
    [],
    'a default in help: declare it, default: "x" for a value or defaultText: "words" for one that is not ' +
      "(src/flags/spec.ts); help shows it after [env: ...]",
  );
});
