import assert from "node:assert/strict";
import { type FastVerb, fastVerb, matchFastPath } from "./fast_path.ts";
import { flags } from "../flags/spec.ts";

const GROUP = flags(
  { long: "--url", value: "url", help: "" },
  { long: "--output", short: "-o", value: "format", choices: ["json", "yaml"], help: "" },
  { long: "--verbose", help: "" },
);
const noop = () => Promise.resolve();
const get: FastVerb = fastVerb({
  path: ["users", "get"],
  groupFlags: GROUP,
  flags: flags({ long: "--fields", value: "list", help: "" }),
  args: 1,
  run: noop,
});
const list: FastVerb = fastVerb({
  path: ["users", "list"],
  groupFlags: GROUP,
  flags: flags(),
  args: 0,
  run: noop,
});

function match(...argv: string[]) {
  const found = matchFastPath(argv, [get, list]);
  return found && { verb: found.verb.path[1], args: found.args, options: found.options };
}

Deno.test("matchFastPath takes plain command lines, with options where commander takes them", () => {
  assert.deepEqual(match("users", "get", "usr_1"), { verb: "get", args: ["usr_1"], options: {} });
  assert.deepEqual(match("users", "-o", "json", "--url", "http://x", "get", "usr_1", "--fields", "id"), {
    verb: "get",
    args: ["usr_1"],
    options: { output: "json", url: "http://x", fields: "id" },
  });
  assert.deepEqual(match("users", "get", "-ojson", "usr_1", "--output=yaml", "--verbose"), {
    verb: "get",
    args: ["usr_1"],
    options: { output: "yaml", verbose: true },
  });
  assert.deepEqual(match("users", "list", "--url", "get"), {
    verb: "list",
    args: [],
    options: { url: "get" },
  });
  assert.deepEqual(match("users", "--url", "list", "get", "usr_1"), {
    verb: "get",
    args: ["usr_1"],
    options: { url: "list" },
  });
});

Deno.test("matchFastPath leaves to commander everything it would have to judge", async (t) => {
  const cases: string[][] = [
    [],
    ["--version"],
    ["users"],
    ["users", "get"],
    ["users", "get", "a", "b"],
    ["users", "list", "x"],
    ["users", "get", "usr_1", "--help"],
    ["users", "get", "-h", "usr_1"],
    ["users", "get", "--", "usr_1"],
    ["users", "get", "-", "usr_1"],
    ["users", "--fields", "id", "get", "usr_1"],
    ["users", "get", "usr_1", "-o", "xml"],
    ["users", "get", "usr_1", "--output=xml"],
    ["users", "get", "usr_1", "--url"],
    ["users", "get", "usr_1", "--url", "-x"],
    ["users", "get", "usr_1", "--verbose=1"],
    ["users", "get", "usr_1", "--verbos"],
    ["users", "get", "usr_1", "-V"],
    ["users", "help", "get"],
    ["users", "lst"],
    ["-o", "json", "users", "list"],
    ["server", "start"],
  ];
  for (const argv of cases) {
    await t.step(argv.join(" ") || "(nothing)", () => assert.equal(match(...argv), undefined));
  }
});

Deno.test("matchFastPath sets what commander sets for flags not given: defaults and empty lists", () => {
  const invite = fastVerb({
    path: ["users", "invite"],
    groupFlags: GROUP,
    flags: flags(
      { long: "--email", value: "email", repeatable: true, help: "" },
      { long: "--role", value: "role", default: "member", help: "" },
      { long: "--timeout", value: "duration", default: "30s", defaultBy: "parse", help: "" },
    ),
    args: 0,
    run: noop,
  });
  assert.deepEqual(matchFastPath(["users", "invite"], [invite])?.options, { email: [], role: "member" });
  assert.deepEqual(
    matchFastPath(["users", "invite", "--email", "a@x.test", "--email=b@x.test", "--role", "admin"], [invite])
      ?.options,
    { email: ["a@x.test", "b@x.test"], role: "admin" },
  );
});
