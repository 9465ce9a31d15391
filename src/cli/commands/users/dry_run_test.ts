import assert from "node:assert/strict";
import { testContext } from "../../../../tests/support/context.ts";
import type { OutputFormat } from "../../../output/mod.ts";
import { type PlannedRequest, writeDryRun } from "./dry_run.ts";

const INVITE: PlannedRequest = {
  method: "POST",
  url: "http://127.0.0.1:8000/v1/users",
  headers: { "Idempotency-Key": "k-1", "Content-Type": "application/json" },
  body: { email: "ann@example.com", role: "member" },
};
const DEACTIVATE: PlannedRequest = {
  method: "POST",
  url: "http://127.0.0.1:8000/v1/users/usr_1/deactivate",
  headers: { "Idempotency-Key": "k-2" },
};
// The server's current state: its text may carry escape sequences and bidi controls.
const HOSTILE = { id: "usr_1", email: "ann@example.com", name: "\u001b[2JEve\u202e", deactivated_at: null };

async function dryRun(
  format: OutputFormat,
  request: PlannedRequest,
  current?: Record<string, unknown>,
  terminal = false,
): Promise<string> {
  const { ctx, stdout, stderr } = testContext({ terminal });
  await writeDryRun(ctx, format, request, current);
  assert.equal(stderr.text, "");
  return stdout.text;
}

Deno.test("writeDryRun, text: the request line, headers and JSON body; nothing is sent", async () => {
  assert.equal(
    await dryRun("table", INVITE),
    "Dry run: nothing was sent\nPOST http://127.0.0.1:8000/v1/users\nIdempotency-Key: k-1\n" +
      'Content-Type: application/json\n{"email":"ann@example.com","role":"member"}\n',
  );
});

Deno.test("writeDryRun, text: no body line without a body; the current state with - for null", async () => {
  const current = { id: "usr_1", email: "ann@example.com", status: "active", deactivated_at: null };
  assert.equal(
    await dryRun("table", DEACTIVATE, current),
    "Dry run: nothing was sent\nPOST http://127.0.0.1:8000/v1/users/usr_1/deactivate\nIdempotency-Key: k-2\n" +
      "\nCurrent state:\n  id: usr_1\n  email: ann@example.com\n  status: active\n  deactivated_at: -\n",
  );
});

Deno.test("writeDryRun, text: on a terminal the server's text is neutralised; piped it is as it came", async () => {
  const lines = (text: string) => text.split("\n").slice(-3, -1);
  assert.deepEqual(lines(await dryRun("table", DEACTIVATE, HOSTILE, true)), [
    "  name:  [2JEve ",
    "  deactivated_at: -",
  ]);
  assert.deepEqual(lines(await dryRun("table", DEACTIVATE, HOSTILE, false)), [
    "  name: \u001b[2JEve\u202e",
    "  deactivated_at: -",
  ]);
});

Deno.test("writeDryRun, text: the body's JSON escapes bidi and C1 controls, on a terminal or not", async () => {
  const request = { ...INVITE, body: { email: "a\u202eb@example.com", note: "\u009b31m\u001b" } };
  for (const terminal of [true, false]) {
    const body = (await dryRun("table", request, undefined, terminal)).split("\n").at(-2);
    assert.equal(body, '{"email":"a\\u202eb@example.com","note":"\\u009b31m\\u001b"}', String(terminal));
  }
});

Deno.test("writeDryRun, json and ndjson: one document with dry_run, the request and any current state", async () => {
  assert.deepEqual(JSON.parse(await dryRun("json", INVITE)), { dry_run: true, request: INVITE });
  assert.equal(
    await dryRun("ndjson", DEACTIVATE, { id: "usr_1", name: "x\u202ey" }),
    '{"dry_run":true,"request":{"method":"POST","url":"http://127.0.0.1:8000/v1/users/usr_1/deactivate",' +
      '"headers":{"Idempotency-Key":"k-2"}},"current":{"id":"usr_1","name":"x\\u202ey"}}\n',
  );
  const json = await dryRun("json", DEACTIVATE, HOSTILE, true);
  assert.ok(json.startsWith('{\n  "dry_run": true,\n  "request": {\n'), json);
  assert.deepEqual(JSON.parse(json), { dry_run: true, request: DEACTIVATE, current: HOSTILE });
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(json, /[\u001b\u202e]/, "the same data, escaped");
});

Deno.test("writeDryRun, yaml: neutralised on a terminal, the exact data when piped", async () => {
  const piped = await dryRun("yaml", DEACTIVATE, HOSTILE, false);
  assert.equal(
    piped,
    "dry_run: true\nrequest:\n  method: POST\n  url: http://127.0.0.1:8000/v1/users/usr_1/deactivate\n" +
      '  headers:\n    Idempotency-Key: k-2\ncurrent:\n  id: usr_1\n  email: ann@example.com\n  name: "\\e[2JEve\u202e"\n' +
      "  deactivated_at: null\n",
  );
  const shown = await dryRun("yaml", DEACTIVATE, HOSTILE, true);
  assert.equal(shown, piped.replace('name: "\\e[2JEve\u202e"', 'name: " [2JEve "'));
});
