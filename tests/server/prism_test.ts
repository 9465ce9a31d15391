// A test runner no one here wrote holds the live server to the document: Stoplight Prism's validation proxy
// sits between this client and the real server and reports, in `sl-violations`, every request or response
// the OpenAPI document does not allow.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../src/server/defaults.ts";
import { OPENAPI } from "../support/openapi.ts";
import { startTestServer } from "../support/server.ts";
import { invitationFrom } from "../support/smtp_sink.ts";
import { tempDir } from "../support/temp_dir.ts";

const PRISM = new URL("../../node_modules/.bin/prism", import.meta.url).pathname;

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

/** Prism's proxy on a free port in front of `upstream`, checking against `document`. */
async function prismProxy(document: unknown, upstream: string): Promise<{ url: string } & AsyncDisposable> {
  const dir = await tempDir();
  const file = join(dir.path, "openapi.json");
  await Deno.writeTextFile(file, JSON.stringify(document));
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command(PRISM, {
    args: ["proxy", file, upstream, "--host", "127.0.0.1", "--port", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Prism did not start listening in 30 s: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.status;
      await dir[Symbol.asyncDispose]();
    },
  };
}

/** One exchange through the proxy: the status, the body, and what Prism found wrong with it. */
async function exchange(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: Headers; violations: Violation[] }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.json === undefined ? null : JSON.stringify(options.json),
  });
  const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as Violation[];
  return { status: response.status, body: await response.text(), headers: response.headers, violations };
}

const responseViolations = (violations: Violation[]) =>
  violations.filter((v) => v.location[0] === "response");

Deno.test("Prism's validation proxy finds nothing undocumented in a whole session, at the default limits", async () => {
  await using server = await startTestServer({
    rateLimit: DEFAULT_RATE_LIMIT,
    inviteRateLimit: DEFAULT_INVITE_RATE_LIMIT,
    tenantRateLimit: DEFAULT_TENANT_RATE_LIMIT,
    tenantInviteRateLimit: DEFAULT_TENANT_INVITE_RATE_LIMIT,
    authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT,
  });
  await using prism = await prismProxy(OPENAPI, server.url);
  const key = server.apiKey;
  const seen: string[] = [];
  const step = async (
    expected: number,
    method: string,
    path: string,
    options: Parameters<typeof exchange>[3] = {},
    requestIsBad = false,
  ) => {
    const result = await exchange(prism.url, method, path, options);
    const what = `${method} ${path}`;
    assert.equal(result.status, expected, `${what}: ${result.body}`);
    // A request the test makes wrong on purpose is reported as such; the response never may be.
    const wrong = requestIsBad ? responseViolations(result.violations) : result.violations;
    assert.deepEqual(wrong, [], `${what} -> ${result.status}`);
    if (requestIsBad) assert.ok(result.violations.length > 0, `${what}: Prism saw the bad request`);
    seen.push(`${what} ${result.status}`);
    return result;
  };

  await step(200, "GET", "/healthz");
  await step(200, "GET", "/openapi.json");
  const invited = await step(201, "POST", "/v1/users", {
    token: key,
    json: { email: "ada@example.com", role: "member" },
    headers: { "idempotency-key": "prism-1" },
  });
  const id = (JSON.parse(invited.body) as { id: string }).id;
  const replayed = await step(201, "POST", "/v1/users", {
    token: key,
    json: { email: "ada@example.com", role: "member" },
    headers: { "idempotency-key": "prism-1" },
  });
  assert.equal(replayed.headers.get("idempotent-replayed"), "true");
  await step(409, "POST", "/v1/users", { token: key, json: { email: "ada@example.com" } });
  await step(400, "POST", "/v1/users", { token: key, json: { email: "not an address" } });
  await step(200, "GET", "/v1/users?limit=10&status=pending", { token: key });
  await step(400, "GET", "/v1/users?limit=0", { token: key }, true);
  await step(200, "GET", `/v1/users/${id}`, { token: key });
  await step(404, "GET", "/v1/users/usr_nobody", { token: key });
  await step(200, "POST", `/v1/users/${id}/invitation`, { token: key });
  await server.mailIdle();
  const files = [...Deno.readDirSync(server.outboxDir)].map((f) => f.name).sort();
  const mails = await Promise.all(files.map((f) => Deno.readTextFile(join(server.outboxDir, f))));
  const { token } = invitationFrom(mails.at(-1) ?? "");
  await step(200, "GET", `/accept?token=${token}`);
  const accepted = await step(200, "POST", "/v1/invitations/accept", { json: { token } });
  await step(400, "POST", "/v1/invitations/accept", { json: { token } });
  const session = (JSON.parse(accepted.body) as { session: { token: string } }).session.token;
  await step(200, "GET", "/v1/me", { token: session });
  await step(403, "GET", "/v1/users", { token: session });
  await step(201, "POST", "/v1/api-keys", { token: key, json: { name: "ci", scopes: ["admin:users"] } });
  await step(200, "POST", `/v1/users/${id}/deactivate`, { token: key });
  await step(401, "GET", "/v1/users", {}, true);
  await step(404, "GET", "/metrics", { token: key });
  assert.equal(seen.length, 20);
});

Deno.test("Prism's proxy does report a response the document does not allow", async () => {
  await using server = await startTestServer();
  // A document that wants a member the server does not send.
  const strict = structuredClone(OPENAPI) as { components: { schemas: { Health: { required: string[] } } } };
  strict.components.schemas.Health.required.push("uptime");
  await using prism = await prismProxy(strict, server.url);
  const result = await exchange(prism.url, "GET", "/healthz");
  assert.equal(result.status, 200);
  assert.equal(responseViolations(result.violations).length, 1, JSON.stringify(result.violations));
  assert.match(result.violations[0]?.message ?? "", /uptime/);
});
