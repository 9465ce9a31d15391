import assert from "node:assert/strict";
import { errorFromResponse, SPEC_REMEDIATIONS } from "./http_errors.ts";
import type { PhywareError } from "../errors.ts";

/** docs/phyware-users.txt is the spec's page byte for byte (tests/man_copy_test.ts checks it). */
const SPEC_PAGE = new URL("../../docs/phyware-users.txt", import.meta.url);

/**
 * The rows of the spec's ERRORS table, the page's last section: after its header, lines of the form
 * `CODE | Message | Remediation |` (the page drops a row's leading "|").
 */
function specErrorRows(): { code: string; message: string; remediation: string }[] {
  const text = Deno.readTextFileSync(SPEC_PAGE);
  const lines = text.slice(text.indexOf("ERRORS\u00b6\n")).split("\n").filter((line) => line !== "");
  assert.deepEqual(lines.slice(0, 3), ["ERRORS\u00b6", "| Code | Message | Remediation |", "|---|---|---|"]);
  return lines.slice(3).map((line) => {
    const cells = line.replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
    assert.equal(cells.length, 3, line);
    const [code = "", message = "", remediation = ""] = cells;
    return { code, message, remediation };
  });
}

/** What a caller sees of an error: its class, exit code and details. */
function seen(error: PhywareError) {
  return {
    name: error.name,
    exitCode: error.exitCode,
    code: error.code,
    message: error.message,
    remediation: error.remediation,
    status: error.status,
    requestId: error.requestId,
  };
}

/** A problem+json body as the service sends it. */
function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return { type: "about:blank", title: "Title", status, detail, code, ...extra };
}

Deno.test("SPEC_REMEDIATIONS is the spec's ERRORS table, row for row and string for string", () => {
  assert.deepEqual(specErrorRows(), [
    { code: "CONFLICT", message: "Email already exists", remediation: "User already invited" },
    { code: "FORBIDDEN", message: "Insufficient scope", remediation: "Ensure admin:users" },
    { code: "NOT_FOUND", message: "User not found", remediation: "Check USER_ID" },
  ]);
  assert.deepEqual(SPEC_REMEDIATIONS, specErrorRows());
});

Deno.test("each row of the spec's ERRORS table gives its remediation and its exit code", () => {
  assert.deepEqual(seen(errorFromResponse(409, problem(409, "CONFLICT", "Email already exists"), "req_h")), {
    name: "ValidationError",
    exitCode: 4,
    code: "CONFLICT",
    message: "Email already exists",
    remediation: "User already invited",
    status: 409,
    requestId: "req_h",
  });
  assert.deepEqual(seen(errorFromResponse(403, problem(403, "FORBIDDEN", "Insufficient scope"), "req_h")), {
    name: "AuthError",
    exitCode: 2,
    code: "FORBIDDEN",
    message: "Insufficient scope",
    remediation: "Ensure admin:users",
    status: 403,
    requestId: "req_h",
  });
  assert.deepEqual(seen(errorFromResponse(404, problem(404, "NOT_FOUND", "User not found"), "req_h")), {
    name: "NotFoundError",
    exitCode: 3,
    code: "NOT_FOUND",
    message: "User not found",
    remediation: "Check USER_ID",
    status: 404,
    requestId: "req_h",
  });
});

Deno.test("a spec row matches its code and its whole message, nothing less", () => {
  const remediation = (status: number, code: string, detail: string) =>
    errorFromResponse(status, problem(status, code, detail), undefined).remediation;
  // Same message, another code; same code, another message; a message that only starts the same.
  assert.equal(remediation(409, "VALIDATION_ERROR", "Email already exists"), undefined);
  assert.equal(remediation(409, "CONFLICT", "Email already exists for this tenant"), undefined);
  assert.equal(remediation(409, "CONFLICT", "email already exists"), undefined);
  assert.equal(remediation(404, "NOT_FOUND", "User not found here"), undefined);
  assert.equal(remediation(404, "NOT_FOUND", "Not found"), undefined);
  // The message is read as one line, trimmed, so surrounding space or a line break still matches.
  assert.equal(remediation(409, "CONFLICT", "  Email already exists\n"), "User already invited");
});

Deno.test("the service's other documented conflicts and refusals get their own remediation", () => {
  const cases: [number, string, string, string, string][] = [
    [
      409,
      "CONFLICT",
      "Cannot deactivate the last active admin of the tenant: make another user an active admin first",
      "ValidationError",
      "Invite another admin first (phyware users invite --email EMAIL --role admin) and have them accept",
    ],
    [404, "NOT_FOUND", "API key not found", "NotFoundError", "Check KEY_ID (phyware api-keys list)"],
    [
      409,
      "CONFLICT",
      "Cannot revoke the tenant's last live admin:users API key: create another one first",
      "ValidationError",
      "Create another first: phyware api-keys create --name NAME --scope admin:users",
    ],
    [
      401,
      "UNAUTHENTICATED",
      "API key expired at 2026-01-01T00:00:00.000Z: ask an admin for a new key (phyware api-keys create)",
      "AuthError",
      "Use another key, or have an admin create one: phyware api-keys create --name NAME",
    ],
    [
      409,
      "CONFLICT",
      "Cannot demote the last active admin of the tenant: make another user an active admin first",
      "ValidationError",
      "Promote one with phyware users set-role USER_ID --role admin, then try again",
    ],
  ];
  for (const [status, code, detail, name, remediation] of cases) {
    const error = errorFromResponse(status, problem(status, code, detail), undefined);
    assert.equal(error.name, name, detail);
    assert.equal(error.message, detail);
    assert.equal(error.code, code);
    assert.equal(error.remediation, remediation, detail);
  }
});

Deno.test("any other 403 or FORBIDDEN says to ensure admin:users; any 401 or UNAUTHENTICATED, to check the key", () => {
  const check = "Check --api-key or PHYCLOUD_API_KEY; the key may be revoked";
  assert.equal(
    errorFromResponse(403, problem(403, "FORBIDDEN", "Not your tenant"), undefined).remediation,
    "Ensure admin:users",
  );
  // By status alone: no problem body at all.
  assert.deepEqual(seen(errorFromResponse(403, "forbidden", undefined)), {
    name: "AuthError",
    exitCode: 2,
    code: "UNAUTHENTICATED",
    message: "Insufficient scope",
    remediation: "Ensure admin:users",
    status: 403,
    requestId: undefined,
  });
  assert.deepEqual(seen(errorFromResponse(401, undefined, "req_x")), {
    name: "AuthError",
    exitCode: 2,
    code: "UNAUTHENTICATED",
    message: "Authentication failed",
    remediation: check,
    status: 401,
    requestId: "req_x",
  });
  assert.equal(
    errorFromResponse(
      401,
      problem(401, "UNAUTHENTICATED", "Invalid, expired or revoked credentials"),
      undefined,
    )
      .remediation,
    check,
  );
  // The code alone decides too, whatever the status.
  assert.equal(
    errorFromResponse(400, problem(400, "FORBIDDEN", "x"), undefined).remediation,
    "Ensure admin:users",
  );
  assert.equal(errorFromResponse(400, problem(400, "UNAUTHENTICATED", "x"), undefined).remediation, check);
});

Deno.test("an error without a problem body is named by its status, its class by the status", () => {
  const cases: [number, string, string, number, string][] = [
    [404, "NotFoundError", "Not found", 3, "NOT_FOUND"],
    [400, "ValidationError", "Request failed (HTTP 400)", 4, "VALIDATION_ERROR"],
    [405, "ValidationError", "Request failed (HTTP 405)", 4, "VALIDATION_ERROR"],
    [409, "ValidationError", "Request failed (HTTP 409)", 4, "VALIDATION_ERROR"],
    [413, "ValidationError", "Request failed (HTTP 413)", 4, "VALIDATION_ERROR"],
    [415, "ValidationError", "Request failed (HTTP 415)", 4, "VALIDATION_ERROR"],
    [422, "ValidationError", "Request failed (HTTP 422)", 4, "VALIDATION_ERROR"],
    [418, "ConnectionError", "Request failed (HTTP 418)", 1, "CONNECTION_ERROR"],
    [500, "ServerError", "Server error (HTTP 500)", 5, "INTERNAL"],
    [503, "ServerError", "Server error (HTTP 503)", 5, "INTERNAL"],
  ];
  for (const [status, name, message, exitCode, code] of cases) {
    assert.deepEqual(seen(errorFromResponse(status, "<html>oops</html>", undefined)), {
      name,
      exitCode,
      code,
      message,
      remediation: undefined,
      status,
      requestId: undefined,
    }, String(status));
  }
});

Deno.test("429 is a connection error (exit 1), RATE_LIMITED unless the server names a code, with when to retry", () => {
  assert.deepEqual(seen(errorFromResponse(429, undefined, "req_r", 7)), {
    name: "ConnectionError",
    exitCode: 1,
    code: "RATE_LIMITED",
    message: "Too many requests",
    remediation: "Retry after 7 s",
    status: 429,
    requestId: "req_r",
  });
  assert.deepEqual(seen(errorFromResponse(429, problem(429, "QUOTA", "Invite quota reached"), undefined)), {
    name: "ConnectionError",
    exitCode: 1,
    code: "QUOTA",
    message: "Invite quota reached",
    remediation: undefined,
    status: 429,
    requestId: undefined,
  });
});

Deno.test("the message is the detail, else the title, as one line; the body's request id wins", () => {
  const withTitle = { ...problem(422, "VALIDATION_ERROR", ""), title: "Unprocessable Content" };
  assert.equal(errorFromResponse(422, withTitle, undefined).message, "Unprocessable Content");
  assert.equal(
    errorFromResponse(
      422,
      problem(422, "VALIDATION_ERROR", "Invalid email:\n\tno domain\u001b[2J"),
      undefined,
    )
      .message,
    "Invalid email: no domain[2J",
  );
  const body = problem(404, "NOT_FOUND", "User not found", { request_id: "req_body" });
  assert.equal(errorFromResponse(404, body, "req_header").requestId, "req_body");
  assert.equal(errorFromResponse(404, problem(404, "NOT_FOUND", "x"), "req_header").requestId, "req_header");
});
