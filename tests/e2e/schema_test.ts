// `phyware schema` is generated from the same command tree as --help: every command, argument, option and
// example it names appears in that command's --help, and every command of the tree is in it.
import assert from "node:assert/strict";
import { runCli } from "../support/context.ts";

Deno.test("phyware schema describes every command as its --help does", async () => {
  const r = await runCli(["schema"]);
  assert.equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(schema), [
    "name",
    "version",
    "commands",
    "exit_codes",
    "errors",
    "environment",
  ]);
  const paths = schema.commands.map((c: { path: string }) => c.path);
  for (
    const path of [
      "users invite",
      "users list",
      "users get",
      "users deactivate",
      "users resend-invite",
      "auth status",
      "auth login",
      "whoami",
      "schema",
      "version",
    ]
  ) {
    assert.ok(paths.includes(path), path);
  }
  for (const cmd of schema.commands) {
    const help = (await runCli([...cmd.path.split(" "), "--help"])).stdout;
    const flat = help.replace(/\s+/g, " ");
    assert.ok(flat.includes(cmd.summary.replace(/\s+/g, " ")), `${cmd.path}: summary`);
    for (const arg of cmd.arguments) assert.ok(help.includes(arg.name), `${cmd.path}: ${arg.name}`);
    for (const option of cmd.options) {
      assert.ok(help.includes(option.long ?? option.short), `${cmd.path}: ${option.long}`);
      if (option.choices) {
        for (const choice of option.choices) assert.ok(flat.includes(choice), `${cmd.path}: ${choice}`);
      }
    }
    for (const example of cmd.examples) {
      assert.ok(help.includes(example.command), `${cmd.path}: ${example.command}`);
    }
  }
  const invite = schema.commands.find((c: { path: string }) => c.path === "users invite");
  assert.deepEqual(invite.examples[0], {
    title: "Invite a user",
    command: "phyware users invite --email alice@example.com",
  });
  const email = invite.options.find((o: { long: string }) => o.long === "--email");
  assert.deepEqual([email.value_name, email.type, email.repeatable], ["email", "string", true]);
  const output = invite.options.find((o: { long: string }) => o.long === "--output");
  assert.deepEqual([output.short, output.type, output.default], ["-o", "enum", "table"]);
  assert.deepEqual(invite.options.find((o: { long: string }) => o.long === "--url").env, "PHYCLOUD_URL");
  assert.deepEqual(invite.output_fields.default, ["id", "email", "status", "role"]);
  assert.deepEqual(schema.commands.find((c: { path: string }) => c.path === "users get").arguments, [
    {
      name: "USER_ID",
      required: true,
      variadic: false,
      description: "unique user identifier, or the user's email address",
    },
  ]);
  assert.deepEqual(schema.exit_codes.map((e: { code: number }) => e.code), [0, 1, 2, 3, 4, 5, 130]);
  assert.deepEqual(schema.errors[0], {
    code: "CONFLICT",
    message: "Email already exists",
    remediation: "User already invited",
  });
});

Deno.test("schema gives a default in words as default_text, null elsewhere, and help shows it after [env: ...]", async () => {
  const schema = JSON.parse((await runCli(["schema"])).stdout);
  type Option = { long: string | null; default: unknown; default_text: string | null; description: string };
  const options = (path: string): Option[] =>
    schema.commands.find((c: { path: string }) => c.path === path).options;
  const option = (path: string, long: string): Option | undefined =>
    options(path).find((o) => o.long === long);
  for (const command of schema.commands as Array<{ path: string; options: Option[] }>) {
    for (const o of command.options) {
      assert.ok("default_text" in o, `${command.path} ${o.long}: default_text`);
      if (o.default_text !== null) {
        assert.equal(o.default, null, `${command.path} ${o.long}: a default is a value or words, not both`);
        assert.ok(o.description.endsWith(` (default: ${o.default_text})`), `${command.path} ${o.long}`);
      }
    }
  }
  assert.equal(option("users list", "--profile")?.default_text, 'the current one, else "default"');
  assert.equal(
    option("users list", "--profile")?.description,
    'saved profile to use [env: PHYCLOUD_PROFILE] (default: the current one, else "default")',
  );
  assert.equal(option("auth login", "--url")?.default_text, "the profile's, else http://localhost:8000");
  assert.equal(option("auth login", "--url")?.default, null);
  assert.deepEqual(
    [option("auth login", "--profile")?.default, option("auth login", "--profile")?.default_text],
    ["default", null],
  );
  assert.deepEqual(
    [option("users list", "--url")?.default, option("users list", "--url")?.default_text],
    ["http://localhost:8000", null],
  );
  assert.equal(option("users invite", "--max-wait")?.default_text, "no limit");
  assert.equal(option("api-keys create", "--expires-in")?.default_text, "never");
  assert.equal(option("server tenant create", "--admin-email")?.default_text, "admin@NAME.invalid");
});

Deno.test("every command that takes --fields says in schema what it prints by default and can print", async () => {
  const schema = JSON.parse((await runCli(["schema"])).stdout);
  type Command = {
    path: string;
    options: Array<{ long: string }>;
    output_fields?: { default: string[]; available: string[] };
  };
  const withFields = (schema.commands as Command[]).filter((c) =>
    c.options.some((o) => o.long === "--fields")
  );
  assert.deepEqual(withFields.map((c) => c.path), [
    "users invite",
    "users list",
    "users get",
    "users deactivate",
    "users set-role",
    "users resend-invite",
    "api-keys create",
    "api-keys list",
    "api-keys revoke",
    "events list",
  ]);
  for (const command of withFields) {
    const fields = command.output_fields;
    assert.ok(fields, `${command.path} has no output_fields`);
    assert.deepEqual(fields.default.filter((f) => !fields.available.includes(f)), [], command.path);
    const help = (await runCli([...command.path.split(" "), "--help"])).stdout.replace(/\s+/g, " ");
    assert.ok(help.includes(fields.available.join(", ")), `${command.path}'s help lists its fields`);
  }
  const setRole = withFields.find((c) => c.path === "users set-role");
  assert.deepEqual(setRole?.output_fields?.default, ["id", "email", "status", "role"]);
  const events = withFields.find((c) => c.path === "events list");
  assert.deepEqual(events?.output_fields?.default, [
    "time",
    "action",
    "actor_user_id",
    "actor_credential_id",
    "target",
    "client_address",
  ]);
});

Deno.test("every variable a flag declares is in schema's environment and in help environment", async () => {
  const schema = JSON.parse((await runCli(["schema"])).stdout);
  const declared = new Set<string>(
    (schema.commands as Array<{ options: Array<{ env: string | null }> }>)
      .flatMap((c) => c.options.map((o) => o.env)).filter((env): env is string => env !== null),
  );
  assert.ok(declared.has("PHYCLOUD_DATABASE_URL") && declared.has("PHYWARE_DEBUG"), [...declared].join());
  const names = (schema.environment as Array<{ name: string }>).map((v) => v.name);
  assert.deepEqual([...declared].filter((env) => !names.includes(env)), []);
  const help = (await runCli(["help", "environment"])).stdout;
  assert.deepEqual(names.filter((name) => !new RegExp(`^  ${name} `, "m").test(help)), []);
  assert.match(help, /^ {2}PHYCLOUD_DATABASE_URL +server: as --db, /m);
});
