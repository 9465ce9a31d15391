import assert from "node:assert/strict";
import { AuthError, ConnectionError, NotFoundError, ServerError, ValidationError } from "../errors.ts";
import { toolError, toolRemediation } from "./tool_error.ts";

Deno.test("toolError carries the spec's words and the exit code the CLI would use", async (t) => {
  const cases: Array<[string, unknown, Record<string, unknown>, string]> = [
    [
      "404",
      new NotFoundError("User not found", {
        code: "NOT_FOUND",
        remediation: "Check USER_ID",
        status: 404,
        requestId: "req_1",
      }),
      {
        code: "NOT_FOUND",
        message: "User not found",
        remediation: "Check user_id: users_list gives the ids",
        exit_code: 3,
        request_id: "req_1",
      },
      "error: User not found - Check user_id: users_list gives the ids (request id: req_1)",
    ],
    [
      "no key",
      new AuthError("No API key", { remediation: "Pass --api-key" }),
      {
        code: "UNAUTHENTICATED",
        message: "No API key",
        remediation: "Pass --api-key",
        exit_code: 2,
        request_id: null,
      },
      "error: No API key - Pass --api-key",
    ],
    [
      "409",
      new ValidationError("Email already exists", { code: "CONFLICT", remediation: "User already invited" }),
      {
        code: "CONFLICT",
        message: "Email already exists",
        remediation: "User already invited",
        exit_code: 4,
        request_id: null,
      },
      "error: Email already exists - User already invited",
    ],
    [
      "5xx",
      new ServerError("Server error (HTTP 503)"),
      {
        code: "INTERNAL",
        message: "Server error (HTTP 503)",
        remediation: null,
        exit_code: 5,
        request_id: null,
      },
      "error: Server error (HTTP 503)",
    ],
    [
      "unreachable",
      new ConnectionError("Cannot reach http://x: connection refused"),
      {
        code: "CONNECTION_ERROR",
        message: "Cannot reach http://x: connection refused",
        remediation: null,
        exit_code: 1,
        request_id: null,
      },
      "error: Cannot reach http://x: connection refused",
    ],
    [
      "a bug",
      new TypeError("x is undefined"),
      {
        code: "INTERNAL_ERROR",
        message: "Unexpected error: x is undefined",
        remediation: null,
        exit_code: 1,
        request_id: null,
      },
      "error: Unexpected error: x is undefined",
    ],
  ];
  for (const [name, thrown, content, text] of cases) {
    await t.step(name, () => {
      assert.deepEqual(toolError(thrown), {
        isError: true,
        content: [{ type: "text", text }],
        structuredContent: content,
      });
    });
  }
});

Deno.test("README and docs/configuration.md quote the tools' remediation for an unknown user as it is", async () => {
  const said = toolRemediation("Check USER_ID");
  for (const file of ["../../README.md", "../../docs/configuration.md"]) {
    const text = (await Deno.readTextFile(new URL(file, import.meta.url))).replace(/\s+/g, " ");
    assert.ok(text.includes(`\`${said}\``), `${file} quotes ${said}`);
  }
});
