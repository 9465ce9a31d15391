import assert from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { chooseTools, parseMcpOptions } from "./options.ts";
import { TOOL_NAMES } from "./tool_names.ts";

Deno.test("chooseTools offers every tool by default, the read-only ones under --read-only", () => {
  assert.deepEqual(chooseTools(undefined, false), TOOL_NAMES);
  assert.deepEqual(chooseTools(undefined, true), ["users_list", "users_get", "events_list", "whoami"]);
});

Deno.test("chooseTools keeps --tools in tools/list order, trimmed and without repeats", () => {
  assert.deepEqual(chooseTools(" whoami, users_get,whoami,", false), ["users_get", "whoami"]);
  assert.deepEqual(chooseTools("users_list", true), ["users_list"]);
});

Deno.test("chooseTools refuses an unknown name, an empty list, and a writing tool under --read-only", () => {
  assert.throws(
    () => chooseTools("users_list,users_purge", false),
    new ValidationError(
      'Invalid --tools "users_list,users_purge": unknown tool "users_purge"; the tools are users_list, ' +
        "users_get, users_invite, users_deactivate, users_resend_invite, users_set_role, events_list, whoami",
    ),
  );
  assert.throws(() => chooseTools(" , ", false), /Invalid --tools " , ": name at least one tool/);
  assert.throws(
    () => chooseTools("users_deactivate", true),
    /users_deactivate changes users, and --read-only offers only users_list, users_get, events_list, whoami/,
  );
});

Deno.test("parseMcpOptions reads the connection options as the users commands do", () => {
  const options = parseMcpOptions({ url: "http://x:1", apiKey: "phy_k", timeout: "2s", readOnly: true });
  assert.deepEqual(options.globals, {
    url: "http://x:1",
    apiKey: "phy_k",
    apiKeyFile: undefined,
    profile: undefined,
    output: "table",
    timeoutMs: 2000,
    verbose: false,
    debug: false,
  });
  assert.deepEqual(options.tools, ["users_list", "users_get", "events_list", "whoami"]);
});
