import assert from "node:assert/strict";
import { runCli } from "../../tests/support/context.ts";
import { wantsJsonErrors } from "./mod.ts";
import { VERSION } from "../version.ts";

Deno.test("--version prints the version from package.json", async () => {
  const r = await runCli(["--version"]);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${VERSION}\n`, ""]);
});

Deno.test("--help of each verb shows the spec's examples", async (t) => {
  const cases: Array<[string[], string]> = [
    [["users", "invite", "--help"], "phyware users invite --email bob@example.com --role admin"],
    [["users", "list", "--help"], "phyware users list --output json"],
    [["users", "get", "--help"], "phyware users get usr_abc123"],
    [["users", "deactivate", "--help"], "phyware users deactivate usr_abc123"],
    [["users", "--help"], "phyware users invite --email alice@example.com"],
  ];
  for (const [argv, example] of cases) {
    await t.step(argv.join(" "), async () => {
      const r = await runCli(argv);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.includes(example), r.stdout);
      assert.equal(r.stderr, "");
    });
  }
});

Deno.test("a verb's help lists the users group's options once, under Global Options", async () => {
  const r = await runCli(["users", "get", "--help"]);
  assert.equal(r.code, 0);
  const [own = "", globals = ""] = r.stdout.split("\nGlobal Options:\n");
  assert.ok(!own.includes("--output"), own);
  for (const flag of ["--url <url>", "--api-key <key>", "-o, --output <format>", "--timeout", "--verbose"]) {
    assert.ok(globals.includes(flag), `${flag} in ${globals}`);
  }
  assert.ok(!globals.includes("--version"), "the program's --version is listed at the top only");
});

Deno.test("bad usage exits 4 with one error line and nothing on stdout", async (t) => {
  const env = { PHYCLOUD_API_KEY: "phy_x" };
  const cases: Array<[string[], string]> = [
    [["users", "invite"], 'error: Required option "--email <email>" not specified\n'],
    [["users", "get"], 'error: Missing required argument "USER_ID"\n'],
    [
      ["users", "get", "a", "b"],
      'error: Too many arguments for "get": expected 1 argument but got 2: a, b\n',
    ],
    [["users", "lst"], 'error: Unknown command "lst" (Did you mean list?)\n'],
    [["users", "list", "--emial", "x"], 'error: Unknown option "--emial" (Did you mean --email?)\n'],
    [["users", "list", "--colour", "x"], 'error: Unknown option "--colour"\n'],
    [
      ["users", "list", "-o", "xml"],
      'error: Invalid --output "xml": expected one of table, json, ndjson, yaml, csv, id\n',
    ],
    [
      ["users", "list", "--limit", "0"],
      'error: Invalid --limit "0": expected a whole number of at least 1\n',
    ],
    [
      ["users", "list", "--timeout", "soon"],
      'error: Invalid --timeout "soon": expected a duration such as 30s, 500ms or 2m\n',
    ],
    [
      ["users", "list", "--url", "localhost:8000"],
      'error: Invalid --url "localhost:8000": the scheme must be http or https\n',
    ],
    [["users", "list", "--url", "nope"], 'error: Invalid --url "nope": not an absolute URL\n'],
    [
      ["users", "invite", "--email", "a@b@c"],
      'error: Invalid --email "a@b@c": more than one "@"\n',
    ],
    [
      ["users", "invite", "--email", "a\r\nBcc: x@y@example.com"],
      'error: Invalid --email "a\\r\\nBcc: x@y@example.com": contains a control or space character\n',
    ],
    [["users", "get", ""], 'error: Invalid USER_ID "": expected an identifier such as usr_abc123\n'],
    [
      ["users", "invite", "--email", "x,attacker@evil.com"],
      'error: Invalid --email "x,attacker@evil.com": the local part may not contain "," (none of , ; < > ( ) [ ] " \\ : or spaces)\n',
    ],
    [
      ["users", "invite", "--email", "bob@corp.com>attacker"],
      'error: Invalid --email "bob@corp.com>attacker": bad domain (expected dot-separated labels of letters, digits and inner hyphens)\n',
    ],
    [
      ["users", "invite", "--email", "a@b..c"],
      'error: Invalid --email "a@b..c": bad domain (expected dot-separated labels of letters, digits and inner hyphens)\n',
    ],
    [
      ["users", "get", ".."],
      `error: Invalid USER_ID "..": an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'\n`,
    ],
    [
      ["users", "deactivate", "usr_a/../x"],
      `error: Invalid USER_ID "usr_a/../x": an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'\n`,
    ],
    [
      ["users", "get", "u".repeat(300)],
      `error: Invalid USER_ID "${"u".repeat(80)}": longer than 256 characters\n`,
    ],
    [["users", "list", "--timeout", "0.1ms"], 'error: Invalid --timeout "0.1ms": must be at least 1ms\n'],
    [
      ["users", "-o", "xml", "list"],
      'error: Invalid --output "xml": expected one of table, json, ndjson, yaml, csv, id\n',
    ],
  ];
  for (const [argv, stderr] of cases) {
    await t.step(argv.join(" "), async () => {
      const r = await runCli(argv, { env, fetch: () => Promise.reject(new Error("no request may be sent")) });
      assert.deepEqual([r.code, r.stdout, r.stderr], [4, "", stderr]);
    });
  }
});

Deno.test("no API key exits 2 before any request, saying how to set one", async () => {
  let requests = 0;
  const r = await runCli(["users", "list"], {
    fetch: () => Promise.reject(new Error(`request ${++requests}`)),
  });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    "error: No API key - Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, or run phyware auth login\n",
  );
  assert.equal(requests, 0);
});

Deno.test("an empty or malformed API key exits 2 before any request, without echoing it", async (t) => {
  const cases: Array<[string[], Record<string, string>, string]> = [
    [
      ["--api-key", ""],
      {},
      "error: No API key - Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, or run phyware auth login\n",
    ],
    [
      [],
      { PHYCLOUD_API_KEY: "" },
      "error: No API key - Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, or run phyware auth login\n",
    ],
    [
      ["--api-key", "phy_\u00e9secret"],
      {},
      "error: Invalid API key from --api-key - Fix --api-key: an API key is printable ASCII without spaces, such as phy_...\n",
    ],
    [
      [],
      { PHYCLOUD_API_KEY: "phy_secret\r\nX-Evil: 1" },
      "error: Invalid API key from PHYCLOUD_API_KEY - Fix PHYCLOUD_API_KEY: an API key is printable ASCII without spaces, such as phy_...\n",
    ],
  ];
  for (const [flags, env, stderr] of cases) {
    await t.step(JSON.stringify([flags, env]), async () => {
      const r = await runCli(["users", "list", ...flags], {
        env,
        fetch: () => Promise.reject(new Error("no request may be sent")),
      });
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, "", stderr]);
    });
  }
});

Deno.test("with --output json an error is also one JSON object on stderr", async () => {
  const r = await runCli(["users", "get", "usr_1", "--output", "json"]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[1] ?? ""), {
    error: {
      code: "UNAUTHENTICATED",
      message: "No API key",
      remediation:
        "Pass --api-key or --api-key-file, set PHYCLOUD_API_KEY, add it to .env, or run phyware auth login",
      status: null,
      request_id: null,
    },
  });
});

Deno.test("wantsJsonErrors recognises every spelling of --output json", () => {
  for (
    const argv of [["-o", "json"], ["--output", "json"], ["--output=json"], ["-ojson"], ["-o", "ndjson"]]
  ) {
    assert.equal(wantsJsonErrors(["users", "list", ...argv]), true, argv.join(" "));
  }
  assert.equal(wantsJsonErrors(["users", "list", "-o", "table"]), false);
  assert.equal(wantsJsonErrors(["users", "-o", "json", "list", "-o", "table"]), false, "the last one wins");
  assert.equal(wantsJsonErrors(["users", "-o", "table", "list", "--output=json"]), true);
  assert.equal(wantsJsonErrors(["users", "invite", "--email", "json"]), false);
});

Deno.test("invite --dry-run prints the request and sends nothing, even without a key", async () => {
  const r = await runCli(["users", "invite", "--email", "alice@example.com", "--dry-run", "-o", "json"], {
    fetch: () => Promise.reject(new Error("no request may be sent")),
    env: { PHYCLOUD_URL: "http://phycloud.test:9000/" },
  });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.dry_run, true);
  assert.equal(doc.request.method, "POST");
  assert.equal(doc.request.url, "http://phycloud.test:9000/v1/users");
  assert.deepEqual(doc.request.body, { email: "alice@example.com", role: "member" });
  assert.match(doc.request.headers["idempotency-key"], /^[0-9a-f-]{36}$/);
});
