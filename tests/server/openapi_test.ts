import assert from "node:assert/strict";
import { join } from "node:path";
import { validate } from "@hyperjump/json-schema/openapi-3-1";
import { OPENAPI, undocumented } from "../support/openapi.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { testService } from "./service.ts";

const root = new URL("../..", import.meta.url).pathname;

interface OpenApiShape {
  openapi: string;
  paths: Record<
    string,
    Record<string, {
      security: unknown;
      parameters?: unknown;
      responses: Record<string, {
        headers: Record<string, unknown>;
        content: Record<string, { schema: { allOf: { properties: { code: unknown } }[] } }>;
      }>;
    }>
  >;
}

Deno.test("GET /openapi.json serves the document built from the route table, valid OpenAPI 3.1", async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.url}/openapi.json`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  const text = await response.text();
  assert.deepEqual(JSON.parse(text), OPENAPI);
  const document = JSON.parse(text) as OpenApiShape;
  assert.equal(document.openapi, "3.1.1");
  const output = await validate("https://spec.openapis.org/oas/3.1/schema-base", JSON.parse(text));
  assert.ok(output.valid, "the document passes OpenAPI 3.1's own schema");
  // Every path of the service is in it, each with the headers and errors its declaration implies.
  assert.deepEqual(Object.keys(document.paths).sort(), [
    "/accept",
    "/healthz",
    "/metrics",
    "/openapi.json",
    "/v1/api-keys",
    "/v1/api-keys/{id}",
    "/v1/events",
    "/v1/invitations/accept",
    "/v1/me",
    "/v1/users",
    "/v1/users/{id}",
    "/v1/users/{id}/deactivate",
    "/v1/users/{id}/invitation",
  ]);
  const invite = document.paths["/v1/users"]!.post!;
  assert.deepEqual(invite.security, [{ bearer: ["admin:users"] }]);
  assert.deepEqual(invite.parameters, [{ $ref: "#/components/parameters/IdempotencyKey" }]);
  assert.deepEqual(Object.keys(invite.responses), [
    "201",
    "400",
    "401",
    "403",
    "409",
    "413",
    "415",
    "422",
    "429",
    "500",
    "503",
    "507",
  ]);
  assert.deepEqual(invite.responses["429"]!.headers["Retry-After"], {
    $ref: "#/components/headers/Retry-After",
  });
  assert.deepEqual(
    invite.responses["409"]!.content["application/problem+json"]!.schema.allOf[1]!.properties.code,
    { const: "CONFLICT" },
  );
  assert.deepEqual(document.paths["/v1/invitations/accept"]!.post!.security, []);
});

Deno.test("Redocly CLI lints the document with redocly.yaml (recommended-strict): no error, no warning", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, "openapi.json");
  await Deno.writeTextFile(file, JSON.stringify(OPENAPI, null, 2));
  const out = await new Deno.Command(join(root, "node_modules/.bin/redocly"), {
    args: ["lint", file, "--config", join(root, "redocly.yaml"), "--format", "json"],
    env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, stdout + new TextDecoder().decode(out.stderr));
  const report = JSON.parse(stdout) as { totals: Record<string, number>; problems: unknown[] };
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 });
});

Deno.test("the response check refuses what the document does not describe", async () => {
  const user =
    (OPENAPI.components as { schemas: { User: { examples: unknown[] } } }).schemas.User.examples[0];
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", "x-request-id": "req_1", ...headers },
    });
  const check = async (method: string, path: string, response: Response) =>
    await undocumented(method, `http://x${path}`, response, await response.clone().text());
  assert.deepEqual(await check("GET", "/v1/users/usr_1", json(200, user)), []);
  assert.match(
    (await check("GET", "/v1/users/usr_1", json(418, user))).join(),
    /status 418 is not documented/,
  );
  const { email: _, ...noEmail } = user as Record<string, unknown>;
  assert.match((await check("GET", "/v1/users/usr_1", json(200, noEmail))).join(), /required/);
  assert.match(
    (await check("GET", "/v1/users/usr_1", json(200, { ...user as object, extra: 1 }))).join(),
    /additionalProperties/,
  );
  assert.match(
    (await check("POST", "/v1/users", json(201, user))).join(),
    /missing required header Location/,
  );
  const problem = (code: string) =>
    new Response(
      JSON.stringify({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        detail: "x",
        code,
        request_id: "r",
      }),
      { status: 404, headers: { "content-type": "application/problem+json", "x-request-id": "req_1" } },
    );
  assert.deepEqual(await check("GET", "/v1/users/usr_1", problem("NOT_FOUND")), []);
  assert.match((await check("GET", "/v1/users/usr_1", problem("CONFLICT"))).join(), /code/);
  assert.match((await check("GET", "/v1/nothing", json(200, {}))).join(), /undocumented path/);
  assert.match(
    (await check("GET", "/healthz", new Response("ok", { headers: { "content-type": "text/plain" } })))
      .join(),
    /no X-Request-Id/,
  );
});

Deno.test("a replayed invitation names the user in Location, as the first answer did", async () => {
  await using s = await testService();
  const headers = { "idempotency-key": "k-1" };
  const first = await s.call("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "a@example.com" },
    headers,
  });
  const again = await s.call("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "a@example.com" },
    headers,
  });
  assert.equal(first.status, 201);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  const id = (await first.json() as { id: string }).id;
  assert.equal(first.headers.get("location"), `/v1/users/${id}`);
  assert.equal(again.headers.get("location"), `/v1/users/${id}`);
  assert.equal((await again.json() as { id: string }).id, id);
});

Deno.test("every operation's examples and problems are in the document, one per code", () => {
  for (const [path, item] of Object.entries(OPENAPI.paths as Record<string, Record<string, unknown>>)) {
    for (
      const [method, op] of Object.entries(item as Record<string, { responses: Record<string, unknown> }>)
    ) {
      for (const [status, reply] of Object.entries(op.responses)) {
        const content =
          (reply as { content?: Record<string, { examples?: Record<string, unknown> }> }).content;
        const problem = content?.["application/problem+json"];
        if (Number(status) >= 400) {
          assert.ok(
            problem?.examples && Object.keys(problem.examples).length > 0,
            `${method} ${path} ${status}`,
          );
        }
      }
    }
  }
});

Deno.test("a method the table does not declare is a 405, whatever its name", async () => {
  await using s = await testService();
  for (const method of ["PUT", "DELETE", "PATCH", "constructor", "toString", "__proto__"]) {
    const response = await s.call(method, "/v1/me", { token: s.apiKey });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "GET");
    await response.body?.cancel();
  }
});
