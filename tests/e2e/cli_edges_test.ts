// End-to-end: bare commands, help topics, `phyware version`, a server that is not PhyCloud, YAML for YAML 1.1
// loaders (Ruby), --role's help and the last-admin remediation, against the real server.
import assert from "node:assert/strict";
import { runCli, runCliProcess } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { serve } from "../../src/runtime/serve.ts";

Deno.test("phyware and phyware users with nothing else print their help on stdout and exit 0", async () => {
  for (const argv of [[], ["users"], ["auth"]]) {
    const r = await runCliProcess(argv);
    assert.deepEqual([r.code, r.stderr], [0, ""], argv.join(" "));
    assert.match(
      r.stdout,
      new RegExp(`^Usage: phyware${argv.map((a) => ` ${a}`).join("")} \\[options\\] \\[command\\]\n`),
    );
  }
  const unknown = await runCli(["frobnicate"]);
  assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [
    4,
    "",
    'error: Unknown command "frobnicate"\n',
  ]);
  const near = await runCli(["users", "lst"]);
  assert.deepEqual([near.code, near.stderr], [4, 'error: Unknown command "lst" (Did you mean list?)\n']);
});

Deno.test("help topics: environment and exit-codes; help COMMAND is COMMAND --help", async () => {
  const env = await runCli(["help", "environment"]);
  assert.equal(env.code, 0);
  for (
    const name of [
      "PHYCLOUD_URL",
      "PHYCLOUD_API_KEY",
      "PHYCLOUD_API_KEY_FILE",
      "PHYCLOUD_PROFILE",
      "PHYCLOUD_CONFIG_DIR",
      ".env",
      "config.json",
    ]
  ) {
    assert.ok(env.stdout.includes(name), name);
  }
  assert.match(env.stdout, /1\. flags.*\n.*2\. environment.*\n.*3\. \.env.*\n.*4\. profile.*\n.*5\. default/);
  const codes = await runCli(["help", "exit-codes"]);
  assert.equal(codes.code, 0);
  for (
    const line of [
      "  0    Success",
      "  1    Generic / connection error",
      "  2    Authentication / authorisation error",
      "  3    Resource not found",
      "  4    Validation error",
      "  5    Server-side error",
    ]
  ) {
    assert.ok(codes.stdout.includes(line), line);
  }
  assert.match(codes.stdout, /CONFLICT +Email already exists +User already invited/);
  assert.equal(
    (await runCli(["help", "users", "invite"])).stdout,
    (await runCli(["users", "invite", "--help"])).stdout,
  );
  const bad = await runCli(["help", "nope"]);
  assert.equal(bad.code, 4);
});

Deno.test("phyware version prints the version, build, engine and platform; -o json as one object", async () => {
  const json = await runCliProcess(["version", "-o", "json"]);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(doc), ["version", "commit", "date", "engine", "engine_version", "os", "arch"]);
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../../package.json", import.meta.url)));
  assert.equal(doc.version, pkg.version);
  assert.deepEqual([doc.engine, doc.engine_version, doc.os, doc.arch], [
    "deno",
    Deno.version.deno,
    Deno.build.os,
    Deno.build.arch === "x86_64" ? "x64" : "arm64",
  ]);
  const text = await runCliProcess(["version"]);
  assert.match(
    text.stdout,
    new RegExp(
      `^phyware ${pkg.version.replaceAll(".", "\\.")} \\(commit .*\\)\ndeno ${Deno.version.deno} on `,
    ),
  );
  assert.equal((await runCliProcess(["--version"])).stdout, `${pkg.version}\n`);
});

Deno.test("a server that is not PhyCloud (a bare 404, 405 or 501) is said to be so, exit 1", async () => {
  for (const status of [404, 405, 501]) {
    const other = await serve(
      () => new Response("<h1>nothing here</h1>", { status, headers: { "content-type": "text/html" } }),
      { hostname: "127.0.0.1", port: 0 },
    );
    const url = `http://127.0.0.1:${other.port}`;
    using _stop = { [Symbol.dispose]: () => void other.close() };
    const r = await runCli(["users", "get", "usr_abc123"], {
      env: { PHYCLOUD_URL: url, PHYCLOUD_API_KEY: "phy_x" },
    });
    assert.equal(r.code, 1, `${status}: ${r.stderr}`);
    assert.equal(
      r.stderr,
      `error: The server at ${url} did not answer as PhyCloud: HTTP ${status} for GET ${url}/v1/users/usr_abc123 ` +
        "- Check PHYCLOUD_URL: it must point at the PhyCloud service\n",
    );
  }
  // PhyCloud's own 404 is still "not found", exit 3.
  await using server = await startTestServer();
  const r = await runCli(["users", "get", "usr_nope"], {
    env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
  });
  assert.equal(r.code, 3);
});

Deno.test(
  "YAML output reads back as strings in a YAML 1.1 loader (Ruby's safe_load)",
  needs(["ruby", "ruby"]),
  async () => {
    await using server = await startTestServer();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    // "on" is a boolean to a YAML 1.1 loader, and no role: refused with the roles named, nothing created.
    const refused = await runCli(["users", "invite", "--email", "on@example.com", "--role", "on"], { env });
    assert.equal(refused.code, 4);
    assert.equal(refused.stdout, "");
    assert.match(
      refused.stderr,
      /^error: Invalid --role "on": expected one of "admin", "member"\n$/,
    );
    // Values a YAML 1.1 loader would turn into something else: "yes" and "no" (booleans), "null", timestamps.
    const ids: string[] = [];
    for (const email of ["yes@example.com", "no@example.com", "null@example.com"]) {
      const invited = await runCli(["users", "invite", "--email", email, "--role", "admin", "-o", "id"], {
        env,
      });
      assert.equal(invited.code, 0, invited.stderr);
      assert.match(invited.stdout, /^usr_\w+\n$/);
      ids.push(invited.stdout.trim());
    }
    const json = await runCli([
      "users",
      "list",
      "--fields",
      "id,email,role,created_at,activated_at",
      "-o",
      "json",
    ], { env });
    const yaml = await runCli([
      "users",
      "list",
      "--fields",
      "id,email,role,created_at,activated_at",
      "-o",
      "yaml",
    ], { env });
    assert.equal(yaml.code, 0, yaml.stderr);
    const ruby = await new Deno.Command("ruby", {
      args: ["-ryaml", "-rjson", "-e", "print JSON.generate(YAML.safe_load(STDIN.read))"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = ruby.stdin.getWriter();
    await writer.write(new TextEncoder().encode(yaml.stdout));
    await writer.close();
    const out = await ruby.output();
    assert.equal(out.code, 0);
    const parsed = JSON.parse(new TextDecoder().decode(out.stdout)) as Array<Record<string, unknown>>;
    assert.deepEqual(parsed, JSON.parse(json.stdout));
    for (const id of ids) {
      const user = parsed.find((u) => u.id === id);
      assert.equal(user?.role, "admin");
      assert.equal(typeof user?.created_at, "string");
      assert.equal(user?.activated_at, null);
    }
    assert.deepEqual(parsed.filter((u) => u.email === "on@example.com"), []);
  },
);

Deno.test("--role's help names the roles; the last admin's remediation names a step", async () => {
  const help = await runCli(["users", "invite", "--help"]);
  assert.match(help.stdout.replace(/\s+/g, " "), /--role <role> role of the new user: member or admin/);
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const me = JSON.parse((await runCli(["whoami", "-o", "json"], { env })).stdout);
  const r = await runCli(["users", "deactivate", me.user.id, "--yes"], { env });
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /^error: Cannot deactivate the last active admin of the tenant: .* - Invite another admin first \(phyware users invite --email EMAIL --role admin\) and have them accept \(request id: req_\w+\)\n$/,
  );
});

Deno.test("unknown commands get commander's own suggestion, before any option is checked", async (t) => {
  const cases: Array<[string[], string]> = [
    [["users", "lsit"], 'error: Unknown command "lsit" (Did you mean list?)\n'],
    // The typo is in the group's name: the suggestion names the group, not the "-o" that follows.
    [["usres", "list", "-o", "table"], 'error: Unknown command "usres" (Did you mean users?)\n'],
    [["users", "lsit", "--status", "active"], 'error: Unknown command "lsit" (Did you mean list?)\n'],
    [["auth", "logni"], 'error: Unknown command "logni" (Did you mean login?)\n'],
  ];
  for (const [argv, stderr] of cases) {
    await t.step(argv.join(" "), async () => {
      const r = await runCli(argv);
      assert.deepEqual([r.code, r.stdout, r.stderr], [4, "", stderr]);
    });
  }
  await t.step("with -o json the error is also one JSON object", async () => {
    const r = await runCli(["usres", "list", "-o", "json"]);
    assert.equal(r.code, 4);
    const [line, json] = r.stderr.split("\n");
    assert.equal(line, 'error: Unknown command "usres" (Did you mean users?)');
    assert.deepEqual(JSON.parse(json ?? "").error.code, "USAGE_ERROR");
  });
});

Deno.test("phyware help lists its topics; help errors documents every error code", async () => {
  const help = await runCli(["help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: phyware \[options\] \[command\]\n/);
  assert.match(
    help.stdout,
    /\nHelp topics \(phyware help TOPIC\):\n {2}environment .*\n {2}exit-codes {2}.*\n {2}errors {6}.*\n$/,
  );
  const errors = await runCli(["help", "errors"]);
  assert.equal(errors.code, 0);
  for (const code of ["VALIDATION_ERROR", "CONFLICT", "USAGE_ERROR", "CONNECTION_ERROR", "INTERRUPTED"]) {
    assert.match(errors.stdout, new RegExp(`\n  ${code} +\\d+ `), code);
  }
});

Deno.test("users invite --help shows no (default: []) for --email", async () => {
  const r = await runCli(["users", "invite", "--help"]);
  assert.match(
    r.stdout,
    /--email <email> +email address of the user to invite; repeat it to\n +invite several\n/,
  );
  assert.ok(!r.stdout.includes("(default: [])"));
});
