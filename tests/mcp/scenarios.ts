/**
 * What `phyware mcp` must do, against the real server, through the MCP SDK's own client; run for the
 * program from source and for the compiled binary.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// @ts-types="@modelcontextprotocol/sdk/types"
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { JsonSchemaType } from "@modelcontextprotocol/sdk/validation";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { runCli } from "../support/context.ts";
import { closedPortUrl, startFaultyProxy } from "../support/faulty_proxy.ts";
import type { TestServer } from "../support/server.ts";
import { NO_KEY_REMEDIATION } from "../../src/session/mod.ts";
import { parseEmail } from "../../src/arguments/email.ts";
import { ValidationError } from "../../src/errors.ts";
import { TOOL_NAMES } from "../../src/mcp/tool_names.ts";
import { VERSION } from "../../src/version.ts";
import { connectMcp, type Launcher } from "./mcp_client.ts";

const ALL_TOOLS: readonly string[] = TOOL_NAMES;
const READ_ONLY = ["users_list", "users_get", "events_list", "whoami"];

const ajv = new AjvJsonSchemaValidator();

/** Compiles a schema from tools/list with the SDK client's own validator (Ajv). */
function compile(schema: Record<string, unknown>): (value: unknown) => boolean {
  // The SDK's Tool and JsonSchemaType disagree only under exactOptionalPropertyTypes: the same JSON object.
  const validate = ajv.getValidator(schema as JsonSchemaType);
  return (value) => validate(value).valid;
}

/** The structured content of a result, which every result of phyware's tools has. */
export function structured(result: CallToolResult): Record<string, unknown> {
  assert.ok(result.structuredContent, `no structuredContent in ${JSON.stringify(result)}`);
  return result.structuredContent;
}

/** The text of a result's one text block. */
export function text(result: CallToolResult): string {
  const [block] = result.content;
  assert.equal(result.content.length, 1);
  assert.ok(block && block.type === "text");
  return block.text;
}

/** Asserts a tool error: isError, and exactly this structured content (request_id: "req" = some id). */
export function assertToolError(
  result: CallToolResult,
  expected: { code: string; message: string | RegExp; remediation: string | null; exit_code: number },
  requestId: "req" | null,
): void {
  assert.equal(result.isError, true, JSON.stringify(result));
  const { message, ...rest } = structured(result);
  const { message: wanted, ...fields } = expected;
  if (wanted instanceof RegExp) assert.match(String(message), wanted);
  else assert.equal(message, wanted);
  if (requestId === "req") assert.match(String(rest.request_id), /^req_\w+$/);
  assert.deepEqual(rest, { ...fields, request_id: requestId === null ? null : rest.request_id });
  assert.match(text(result), /^error: /);
}

async function userOnServer(server: TestServer, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/v1/users/${id}`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  assert.equal(response.status, 200);
  return await response.json();
}

async function usersWithEmail(server: TestServer, email: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(
      `${server.url}/v1/users?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { headers: { authorization: `Bearer ${server.apiKey}` } },
    );
    const page: { data: Array<{ email: string }>; next_cursor: string | null } = await response.json();
    count += page.data.filter((u) => u.email === email).length;
    cursor = page.next_cursor;
  } while (cursor !== null);
  return count;
}

/** How many invitation emails the server has sent to an address. */
async function mailsTo(server: TestServer, email: string): Promise<number> {
  await server.mailIdle();
  const mails = await Promise.all(
    [...Deno.readDirSync(server.outboxDir)].map((f) => Deno.readTextFile(join(server.outboxDir, f.name))),
  );
  return mails.filter((mail) => mail.includes(`To: ${email}`)).length;
}

/** The message the CLI refuses a value with. */
function cliRefusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
  }
  throw new Error("The CLI accepted the value");
}

/** The CLI's exit code for the same request, so a tool error's exit_code can be held against it. */
async function cliExitCode(server: TestServer, key: string, argv: string[]): Promise<number> {
  return (await runCli(argv, { env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: key } })).code;
}

/** Runs every scenario as a step of `t`. `server` is fresh: its default tenant has only its admin. */
export async function mcpScenarios(
  t: Deno.TestContext,
  launcher: Launcher,
  server: TestServer,
): Promise<void> {
  const env = (key?: string): Record<string, string> => ({
    PHYCLOUD_URL: server.url,
    ...(key === undefined ? {} : { PHYCLOUD_API_KEY: key }),
  });
  const admin = env(server.apiKey);

  await t.step("initialize names the server and offers tools; stderr says what it serves", async () => {
    await using mcp = await connectMcp(launcher, { env: admin });
    assert.deepEqual(mcp.client.getServerVersion(), {
      name: "phyware",
      title: "phyware: PhyCloud users",
      version: VERSION,
    });
    assert.deepEqual(mcp.client.getServerCapabilities(), { tools: {} });
    assert.match(mcp.client.getInstructions() ?? "", /irreversible through phyware/);
    await mcp.client.ping();
    assert.equal(
      mcp.stderr(),
      `phyware mcp: serving ${
        ALL_TOOLS.join(", ")
      } on stdio for ${server.url} (API key phy_[redacted] from PHYCLOUD_API_KEY)\n`,
    );
  });

  await t.step(
    "the SDK client's own request timeout (notifications/cancelled), then close: phyware mcp exits by itself",
    async () => {
      // A service that takes the request and never answers, so the call is still in flight when cancelled.
      const hung = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        (request) =>
          new Promise<Response>((resolve) =>
            request.signal.addEventListener("abort", () => resolve(new Response()))
          ),
      );
      try {
        await using mcp = await connectMcp(launcher, {
          env: { PHYCLOUD_URL: `http://127.0.0.1:${hung.addr.port}`, PHYCLOUD_API_KEY: server.apiKey },
        });
        await assert.rejects(
          mcp.client.callTool({ name: "whoami", arguments: {} }, undefined, { timeout: 300 }),
          (error: unknown) => error instanceof McpError && error.code === ErrorCode.RequestTimeout,
        );
        // close() ends stdin, then waits 2 s before SIGTERM: a server that exits on its own ends it sooner.
        const started = performance.now();
        await mcp.client.close();
        const elapsed = performance.now() - started;
        assert.ok(
          elapsed < 1_900,
          `phyware mcp was still running ${Math.round(elapsed)} ms after stdin closed`,
        );
      } finally {
        await hung.shutdown();
      }
    },
  );

  await t.step(
    "tools/list: every tool with a title, annotations, and schemas that compile and hold",
    async () => {
      await using mcp = await connectMcp(launcher, { env: admin });
      const { tools } = await mcp.client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name), ALL_TOOLS);
      const anError = {
        code: "NOT_FOUND",
        message: "User not found",
        remediation: "Check USER_ID",
        exit_code: 3,
        request_id: null,
      };
      for (const tool of tools) {
        assert.ok(tool.title && tool.description, tool.name);
        assert.equal(tool.annotations?.title, tool.title);
        assert.equal(tool.annotations?.readOnlyHint, READ_ONLY.includes(tool.name), tool.name);
        assert.equal(tool.inputSchema.type, "object");
        assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name} refuses unknown arguments`);
        assert.ok(tool.outputSchema, tool.name);
        assert.equal(tool.outputSchema.type, "object");
        assert.equal(compile(tool.inputSchema)({ surely_not_an_argument: 1 }), false, tool.name);
        const output = compile(tool.outputSchema);
        assert.equal(output(anError), true, `${tool.name}: the error shape is part of the output schema`);
        assert.equal(output({ ...anError, exit_code: "3" }), false, tool.name);
      }
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      const deactivate = byName.get("users_deactivate");
      assert.equal(deactivate?.annotations?.destructiveHint, true);
      assert.match(deactivate?.description ?? "", /irreversible through phyware/);
      assert.equal(byName.get("users_invite")?.annotations?.destructiveHint, false);
      const list = compile(byName.get("users_list")?.inputSchema ?? {});
      assert.equal(list({ limit: 500, status: "active", role: "admin", cursor: "c" }), true);
      assert.equal(list({ limit: 501 }), false);
      assert.equal(list({ status: "deleted" }), false);
      // users_get takes user_id or email: exactly one, which the tool checks (a schema cannot say it simply).
      assert.equal(byName.get("users_get")?.inputSchema.required, undefined);
      assert.deepEqual(Object.keys(byName.get("users_get")?.inputSchema.properties ?? {}), [
        "user_id",
        "email",
      ]);
      assert.equal(list({ email: "a@example.com", query: "ex" }), true);
      assert.equal(list({ query: "e" }), false, "query has 2 characters or more");
      const setRole = byName.get("users_set_role");
      assert.deepEqual(
        [setRole?.annotations?.idempotentHint, setRole?.annotations?.destructiveHint],
        [true, false],
      );
      assert.deepEqual(setRole?.inputSchema.required, ["user_id", "role"]);
      assert.deepEqual(byName.get("users_invite")?.inputSchema.required, ["email"]);
    },
  );

  await t.step("every tool does its work, with structured content and a short text", async (t) => {
    await using mcp = await connectMcp(launcher, { env: admin });
    let id = "";

    await t.step("whoami says who the key belongs to and where the settings came from", async () => {
      const result = await mcp.call("whoami", {});
      assert.equal(result.isError, undefined);
      const status = structured(result);
      assert.equal(status.url, server.url);
      assert.deepEqual(status.sources, { url: "env", api_key: "env" });
      assert.deepEqual((status.tenant as { name: string }).name, "default");
      assert.deepEqual(status.user, {
        id: (status.user as { id: string }).id,
        email: "admin@default.invalid",
        role: "admin",
        status: "active",
      });
      const credential = status.credential as { type: string; id: string; scopes: string[] };
      assert.deepEqual([credential.type, credential.scopes], ["api_key", ["admin:users"]]);
      assert.match(credential.id, /^key_\w+$/);
      assert.match(text(result), /tenant default .*admin@default\.invalid/);
    });

    await t.step("users_invite creates one pending user and emails the invitation", async () => {
      const result = await mcp.call("users_invite", { email: " alice@example.com ", role: "admin" });
      const user = structured(result);
      id = String(user.id);
      assert.deepEqual(user, { ...user, email: "alice@example.com", status: "pending", role: "admin" });
      assert.deepEqual(await userOnServer(server, id), user);
      assert.equal(
        text(result),
        `Invited alice@example.com as admin: ${id}, pending until the invitation is accepted`,
      );
      assert.equal(await mailsTo(server, "alice@example.com"), 1);
    });

    await t.step("users_invite's role defaults to member", async () => {
      const result = await mcp.call("users_invite", { email: "bob@example.com" });
      assert.equal(structured(result).role, "member");
    });

    await t.step("users_get returns every detail", async () => {
      const result = await mcp.call("users_get", { user_id: id });
      const user = structured(result);
      assert.deepEqual(Object.keys(user), [
        "id",
        "email",
        "status",
        "role",
        "created_at",
        "invited_by",
        "activated_at",
        "deactivated_at",
      ]);
      assert.deepEqual(user, await userOnServer(server, id));
      assert.equal(text(result), `${id}  alice@example.com  pending  admin`);
    });

    await t.step("users_list returns a page and filters by status and role", async () => {
      const all = await mcp.call("users_list", {});
      const page = structured(all) as { users: Array<{ email: string }>; next_cursor: string | null };
      assert.deepEqual(page.users.map((u) => u.email), [
        "admin@default.invalid",
        "alice@example.com",
        "bob@example.com",
      ]);
      assert.equal(page.next_cursor, null);
      assert.match(text(all), /^3 users:\n.*admin@default\.invalid.*\n.*\n.*\nThis is the last page\.$/);
      const pendingAdmins = await mcp.call("users_list", { status: "pending", role: "admin" });
      const filtered = structured(pendingAdmins) as { users: Array<{ id: string }> };
      assert.deepEqual(filtered.users.map((u) => u.id), [id]);
    });

    await t.step("users_get and users_list find users by email, and users_list searches", async () => {
      const byEmail = await mcp.call("users_get", { email: "ALICE@Example.com" });
      assert.deepEqual(structured(byEmail), await userOnServer(server, id));
      const missing = await mcp.call("users_get", { email: "nobody@example.com" });
      assertToolError(missing, {
        code: "NOT_FOUND",
        message: "User not found",
        remediation: 'No user has the email "nobody@example.com"; call users_list with query to search',
        exit_code: 3,
      }, null);
      const mailbox = structured(await mcp.call("users_list", { email: "Bob@example.com" })) as {
        users: Array<{ email: string }>;
      };
      assert.deepEqual(mailbox.users.map((u) => u.email), ["bob@example.com"]);
      const search = structured(await mcp.call("users_list", { query: "EXAMPLE.com" })) as {
        users: Array<{ email: string }>;
      };
      assert.deepEqual(search.users.map((u) => u.email), ["alice@example.com", "bob@example.com"]);
    });

    await t.step("users_set_role changes a role, says so, and again changes nothing", async () => {
      const result = await mcp.call("users_set_role", { user_id: id, role: "member" });
      assert.equal(structured(result).role, "member");
      assert.equal((await userOnServer(server, id)).role, "member");
      assert.equal(text(result), `alice@example.com (${id}) is now member (was admin)`);
      const again = await mcp.call("users_set_role", { user_id: id, role: "member" });
      assert.equal(text(again), `alice@example.com (${id}) already had the role member; nothing changed`);
      await mcp.call("users_set_role", { user_id: id, role: "admin" });
    });

    await t.step("users_resend_invite sends a pending user a new invitation email", async () => {
      const result = await mcp.call("users_resend_invite", { user_id: id });
      assert.deepEqual(structured(result), await userOnServer(server, id));
      assert.equal(text(result), `Sent alice@example.com (${id}) a new invitation`);
      assert.equal(await mailsTo(server, "alice@example.com"), 2);
    });

    await t.step(
      "users_deactivate makes the user inactive, and again succeeds changing nothing",
      async () => {
        const firstResult = await mcp.call("users_deactivate", { user_id: id });
        const first = structured(firstResult);
        assert.equal(first.status, "inactive");
        assert.equal((await userOnServer(server, id)).status, "inactive");
        assert.equal(
          text(firstResult),
          `Deactivated alice@example.com (${id}): inactive since ${first.deactivated_at}; its sessions, ` +
            "API keys and open invitations are revoked",
        );
        const againResult = await mcp.call("users_deactivate", { user_id: id });
        assert.deepEqual(structured(againResult), first);
        assert.equal(
          text(againResult),
          `alice@example.com (${id}) was already inactive (since ${first.deactivated_at}); nothing changed`,
        );
        const inactive = await mcp.call("users_set_role", { user_id: id, role: "member" });
        assertToolError(inactive, {
          code: "CONFLICT",
          message: `User ${id} is inactive: the role of a deactivated user cannot be changed`,
          remediation: null,
          exit_code: 4,
        }, "req");
      },
    );

    await t.step("events_list reads the audit log of what the tools just did, newest first", async () => {
      const result = await mcp.call("events_list", { target: id });
      assert.equal(result.isError, undefined);
      const page = structured(result) as {
        events: Array<{ action: string; target: string; actor_credential_id: string }>;
        next_cursor: string | null;
      };
      assert.deepEqual(page.events.map((e) => e.action), [
        "user.deactivated",
        "invitation.resent",
        "user.role_changed",
        "user.role_changed",
        "user.invited",
      ]);
      assert.equal(page.next_cursor, null);
      assert.match(page.events[0]?.actor_credential_id ?? "", /^key_/);
      assert.match(
        text(result),
        /^5 events:\n- \S+ user\.deactivated by usr_\w+ on usr_\w+ from 127\.0\.0\.1\n/,
      );
      const one = await mcp.call("events_list", { action: "user.invited", target: id, limit: 1 });
      assert.equal((structured(one) as { events: unknown[] }).events.length, 1);
      const bad = await mcp.call("events_list", { since: "1h" });
      assert.equal(structured(bad).code, "VALIDATION_ERROR");
    });
  });

  await t.step("users_invite retries a lost answer with the same Idempotency-Key: one user", async () => {
    const proxy = startFaultyProxy(server.url);
    try {
      await using mcp = await connectMcp(launcher, { env: { ...admin, PHYCLOUD_URL: proxy.url } });
      proxy.inject("lose-response");
      const result = await mcp.call("users_invite", { email: "once@example.com" });
      assert.equal(structured(result).status, "pending");
      assert.deepEqual(proxy.seen, ["POST /v1/users", "POST /v1/users"]);
      assert.equal(await usersWithEmail(server, "once@example.com"), 1);
      // A second call is a second invitation, with its own key: the server says the email exists.
      const second = await mcp.call("users_invite", { email: "once@example.com" });
      assert.equal(structured(second).code, "CONFLICT");
    } finally {
      await proxy.close();
    }
  });

  await t.step("errors are tool results with the spec's words and the CLI's exit code", async (t) => {
    await t.step("no key: it starts, and every tool answers with the authentication error", async () => {
      await using mcp = await connectMcp(launcher, { env: env() });
      const noKey = {
        code: "UNAUTHENTICATED",
        message: "No API key",
        remediation: NO_KEY_REMEDIATION,
        exit_code: 2,
      };
      const calls: Array<[string, Record<string, unknown>]> = [
        ["users_list", {}],
        ["users_get", { user_id: "usr_1" }],
        ["users_invite", { email: "x@example.com" }],
        ["users_deactivate", { user_id: "usr_1" }],
        ["users_resend_invite", { user_id: "usr_1" }],
        ["whoami", {}],
      ];
      for (const [name, args] of calls) {
        assertToolError(await mcp.call(name, args), noKey, null);
      }
      assert.equal(noKey.exit_code, await cliExitCode(server, "", ["users", "list", "--api-key", ""]));
      assert.match(mcp.stderr(), /every tool will answer with error: No API key - Pass --api-key/);
    });

    await t.step("a refused key", async () => {
      const refused = "phy_" + "0".repeat(43);
      await using mcp = await connectMcp(launcher, { env: env(refused) });
      const expected = {
        code: "UNAUTHENTICATED",
        message: "Invalid, expired or revoked credentials",
        // The key came from PHYCLOUD_API_KEY in the host's configuration: the remediation says so.
        remediation: "Set PHYCLOUD_API_KEY to a valid key; this one may be revoked",
        exit_code: await cliExitCode(server, refused, ["users", "list"]),
      };
      assert.equal(expected.exit_code, 2);
      assertToolError(
        await mcp.call("whoami", {}),
        expected,
        "req",
      );
      assertToolError(
        await mcp.call("users_list", {}),
        expected,
        "req",
      );
    });

    await t.step("a member's key: 403 for the users tools, whoami says what it lacks", async () => {
      const member = await server.createKey([]);
      await using mcp = await connectMcp(launcher, { env: env(member) });
      const forbidden = {
        code: "FORBIDDEN",
        message: "Insufficient scope",
        remediation: "Ensure admin:users",
        exit_code: await cliExitCode(server, member, ["users", "get", "usr_1"]),
      };
      assert.equal(forbidden.exit_code, 2);
      for (const [name, args] of [["users_list", {}], ["users_get", { user_id: "usr_1" }]] as const) {
        assertToolError(
          await mcp.call(name, args),
          forbidden,
          "req",
        );
      }
      const who = await mcp.call("whoami", {});
      assert.equal(who.isError, undefined);
      assert.deepEqual((structured(who).credential as { scopes: string[] }).scopes, []);
      assert.match(text(who), /This key lacks the admin:users scope/);
    });

    await using mcp = await connectMcp(launcher, { env: admin });

    type Spec = { code: string; message: string; remediation: string };
    const serviceErrors: Array<[string, string, Record<string, unknown>, string[], Spec]> = [
      [
        "an unknown user: NOT_FOUND, exit code 3",
        "users_get",
        { user_id: "usr_doesnotexist" },
        ["users", "get", "usr_doesnotexist"],
        // An agent is told about the tool's argument, not the CLI's USER_ID.
        {
          code: "NOT_FOUND",
          message: "User not found",
          remediation: "Check user_id: users_list gives the ids",
        },
      ],
      [
        "an email that exists: CONFLICT, exit code 4",
        "users_invite",
        { email: "bob@example.com" },
        ["users", "invite", "--email", "bob@example.com"],
        { code: "CONFLICT", message: "Email already exists", remediation: "User already invited" },
      ],
    ];
    for (const [name, tool, args, argv, spec] of serviceErrors) {
      await t.step(name, async () => {
        const exit_code = await cliExitCode(server, server.apiKey, argv);
        assertToolError(await mcp.call(tool, args), { ...spec, exit_code }, "req");
      });
    }

    await t.step("the last active admin: CONFLICT from the server", async () => {
      const me = structured(await mcp.call("whoami", {}));
      const adminId = (me.user as { id: string }).id;
      const result = await mcp.call("users_deactivate", { user_id: adminId });
      assert.equal(structured(result).code, "CONFLICT");
      assert.equal(structured(result).exit_code, 4);
      // The remediation names the tool to call, not a phyware command.
      assert.equal(
        structured(result).remediation,
        "Invite another admin first (users_invite with role admin) and have them accept",
      );
      assert.equal((await userOnServer(server, adminId)).status, "active");
    });

    await t.step("resending to a user who is not pending: CONFLICT, exit code 4, as the CLI", async () => {
      const me = structured(await mcp.call("whoami", {}));
      const adminId = (me.user as { id: string }).id;
      assertToolError(await mcp.call("users_resend_invite", { user_id: adminId }), {
        code: "CONFLICT",
        message: "User is active: only a pending user's invitation can be resent",
        remediation: null,
        exit_code: await cliExitCode(server, server.apiKey, ["users", "resend-invite", adminId]),
      }, "req");
    });

    await t.step("a role the server does not know: its VALIDATION_ERROR, exit code 4", async () => {
      const result = await mcp.call("users_invite", { email: "carol@example.com", role: "owner" });
      assert.deepEqual(
        { ...structured(result), request_id: null },
        {
          code: "VALIDATION_ERROR",
          message: 'Invalid "role" "owner": expected one of "admin", "member"',
          remediation: null,
          exit_code: await cliExitCode(server, server.apiKey, [
            "users",
            "invite",
            "--email",
            "c@x.io",
            "--role",
            "owner",
          ]),
          request_id: null,
        },
      );
      assert.equal(await usersWithEmail(server, "carol@example.com"), 0);
    });

    await t.step(
      "bad arguments are refused by the schema, naming the argument, before any request",
      async () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
          [
            "users_list",
            { limit: 501 },
            "Invalid arguments for users_list: limit: Too big: expected number to be <=500",
          ],
          [
            "users_list",
            { limit: 0 },
            "Invalid arguments for users_list: limit: Too small: expected number to be >=1",
          ],
          [
            "users_list",
            { status: "deleted" },
            'Invalid arguments for users_list: status: Invalid option: expected one of "pending"|"active"|"inactive"',
          ],
          [
            "users_get",
            { user_id: "../admin" },
            "Invalid arguments for users_get: user_id: Invalid USER_ID \"../admin\": an identifier has no '/', " +
            "'\\', '?', '#' or '%' and is not '.' or '..'",
          ],
          [
            "users_get",
            {},
            "Invalid arguments for users_get: give exactly one of user_id and email",
          ],
          [
            "users_invite",
            { email: "not-an-address" },
            // The CLI's own rule, word for word.
            `Invalid arguments for users_invite: email: ${cliRefusal(() => parseEmail("not-an-address"))}`,
          ],
          [
            "users_invite",
            { email: "d@example.com", role: " " },
            "Invalid arguments for users_invite: role: must not be empty",
          ],
          ["whoami", { verbose: true }, 'Invalid arguments for whoami: Unrecognized key: "verbose"'],
        ];
        for (const [name, args, message] of cases) {
          const result = await mcp.callRaw(name, args);
          assertToolError(result, {
            code: "VALIDATION_ERROR",
            message,
            remediation: `Call ${name} with arguments that match its inputSchema`,
            exit_code: 4,
          }, null);
        }
        assert.equal(await usersWithEmail(server, "d@example.com"), 0);
      },
    );

    await t.step("an unknown tool is a JSON-RPC error, not a tool result", async () => {
      const error = await mcp.call("users_delete", {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof McpError);
      assert.equal(error.code, ErrorCode.InvalidParams);
      assert.match(error.message, /Unknown tool "users_delete": this server offers users_list, users_get/);
    });
  });

  await t.step("a server that cannot be reached: CONNECTION_ERROR, exit code 1", async () => {
    await using mcp = await connectMcp(launcher, { env: { ...admin, PHYCLOUD_URL: closedPortUrl() } });
    const result = await mcp.call("users_get", { user_id: "usr_1" });
    assert.equal(structured(result).code, "CONNECTION_ERROR");
    assert.equal(structured(result).exit_code, 1);
  });

  await t.step("users_list walks 600 users by cursor, a page at a time", async () => {
    await server.seedUsers(600);
    await using mcp = await connectMcp(launcher, { env: admin });
    const total = (await fetch(`${server.url}/v1/users?limit=1000`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    }).then((r) => r.json())).data.length;
    assert.ok(total > 600);
    for (const limit of [undefined, 500]) {
      const seen = new Set<string>();
      let cursor: string | null | undefined;
      let calls = 0;
      do {
        const args: Record<string, unknown> = {
          ...(limit === undefined ? {} : { limit }),
          ...(cursor ? { cursor } : {}),
        };
        const page = structured(
          await mcp.call("users_list", args),
        ) as { users: Array<{ id: string }>; next_cursor: string | null };
        calls++;
        assert.ok(page.users.length <= (limit ?? 50));
        for (const user of page.users) seen.add(user.id);
        cursor = page.next_cursor;
      } while (cursor !== null);
      assert.equal(seen.size, total, `limit ${limit}`);
      assert.equal(calls, Math.ceil(total / (limit ?? 50)));
    }
  });

  await t.step("--read-only offers only the tools that change nothing", async () => {
    await using mcp = await connectMcp(launcher, { env: admin, args: ["--read-only"] });
    assert.deepEqual((await mcp.client.listTools()).tools.map((tool) => tool.name), READ_ONLY);
    const error = await mcp.call("users_invite", { email: "ro@example.com" })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof McpError && error.code === ErrorCode.InvalidParams);
    assert.equal(await usersWithEmail(server, "ro@example.com"), 0);
  });

  await t.step("--tools offers a chosen subset; --url and --api-key work as for users commands", async () => {
    await using mcp = await connectMcp(launcher, {
      env: { PHYCLOUD_URL: closedPortUrl(), PHYCLOUD_API_KEY: "phy_wrong" },
      args: ["--tools", "whoami,users_get", "--url", server.url, "--api-key", server.apiKey],
    });
    assert.deepEqual((await mcp.client.listTools()).tools.map((tool) => tool.name), ["users_get", "whoami"]);
    const status = structured(await mcp.call("whoami", {}));
    assert.deepEqual(status.sources, { url: "flag", api_key: "flag" });
  });

  await t.step(
    "the key can come from --api-key-file, but not from standard input, the protocol's",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "phyware-mcp-keyfile-" });
      try {
        const file = join(dir, "key");
        await Deno.writeTextFile(file, `${server.apiKey}\n`, { mode: 0o600 });
        {
          await using mcp = await connectMcp(launcher, { env: env(), args: ["--api-key-file", file] });
          const status = structured(await mcp.call("whoami", {}));
          assert.deepEqual(status.sources, { url: "env", api_key: "file" });
        }
        const fromStdin: Array<[string[], Record<string, string>]> = [
          [["--api-key-file", "-"], {}],
          [[], { PHYCLOUD_API_KEY_FILE: "-" }],
        ];
        for (const [args, extra] of fromStdin) {
          await using mcp = await connectMcp(launcher, { env: { ...env(), ...extra }, args });
          assertToolError(await mcp.call("users_list", {}), {
            code: "VALIDATION_ERROR",
            message:
              'Cannot read the API key from standard input ("-"): phyware mcp reads the protocol there',
            remediation: "Give --api-key-file a path, or use PHYCLOUD_API_KEY or a profile",
            exit_code: 4,
          }, null);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );

  await t.step("the URL and key can come from a saved profile", async () => {
    const dir = await Deno.makeTempDir({ prefix: "phyware-mcp-profile-" });
    try {
      const profiles = { profiles: { ci: { url: server.url, api_key: server.apiKey } } };
      await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(profiles), { mode: 0o600 });
      await using mcp = await connectMcp(launcher, {
        env: { PHYCLOUD_CONFIG_DIR: dir },
        args: ["--profile", "ci"],
      });
      const status = structured(await mcp.call("whoami", {}));
      assert.deepEqual(status.sources, { url: "profile", api_key: "profile" });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("the URL and key can come from .env in the working directory", async () => {
    const dir = await Deno.makeTempDir({ prefix: "phyware-mcp-dotenv-" });
    try {
      await Deno.writeTextFile(
        join(dir, ".env"),
        `PHYCLOUD_URL=${server.url}\nPHYCLOUD_API_KEY=${server.apiKey}\n`,
      );
      await using mcp = await connectMcp(launcher, { cwd: dir });
      const status = structured(
        await mcp.call("whoami", {}),
      );
      assert.deepEqual(status.sources, { url: "dotenv", api_key: "dotenv" });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
