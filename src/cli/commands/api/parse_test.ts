// phyware api's parse step: what it gives, and each error compared whole (message, class and so exit code,
// code, remediation).
import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { API_METHODS, parseApiOptions } from "./api.ts";
import { DEFAULT_GLOBALS as globals } from "../../../../tests/support/parse_fixtures.ts";

Deno.test("api: METHOD in any case, PATH with a leading slash added, no body unless --data", () => {
  assert.deepEqual(parseApiOptions("get", "v1/users?limit=2", {}), {
    globals,
    method: "GET",
    path: "/v1/users?limit=2",
    data: { kind: "none" },
  });
  for (const method of API_METHODS) {
    assert.equal(parseApiOptions(method.toLowerCase(), "/v1/me", {}).method, method);
  }
  assert.equal(parseApiOptions("GET", "/v1/users/usr_a", {}).path, "/v1/users/usr_a");
});

Deno.test("api --data: inline JSON text, @FILE, or @- for standard input", () => {
  assert.deepEqual(parseApiOptions("POST", "/v1/users", { data: '{"email":"a@x.io"}' }).data, {
    kind: "inline",
    text: '{"email":"a@x.io"}',
  });
  assert.deepEqual(parseApiOptions("PUT", "/v1/x", { data: "@body.json" }).data, {
    kind: "file",
    path: "body.json",
  });
  assert.deepEqual(parseApiOptions("PATCH", "/v1/x", { data: "@-" }).data, { kind: "stdin" });
  assert.deepEqual(parseApiOptions("DELETE", "/v1/x", { data: "{}" }).data, { kind: "inline", text: "{}" });
});

Deno.test("api: an unknown METHOD names the ones it sends", () => {
  for (const method of ["TRACE", "", "OPTIONS", "G ET"]) {
    assert.throws(
      () => parseApiOptions(method, "/v1/users", {}),
      new ValidationError(
        `Invalid METHOD ${JSON.stringify(method)}: expected one of GET, HEAD, POST, PUT, PATCH, DELETE`,
      ),
      method,
    );
  }
});

Deno.test("api: a PATH with a scheme is refused, so the key only goes to --url's host", () => {
  for (const path of ["https://evil.test/v1/users", "http:/v1", "mailto:a@x.io", "localhost:8000/v1/users"]) {
    assert.throws(
      () => parseApiOptions("GET", path, {}),
      new ValidationError(
        `Invalid PATH ${JSON.stringify(path)}: give a path such as /v1/users; the host comes from --url`,
      ),
      path,
    );
  }
  for (const path of ["//evil.test/v1/users", "///v1"]) {
    assert.throws(
      () => parseApiOptions("GET", path, {}),
      new ValidationError(`Invalid PATH ${JSON.stringify(path)}: it may not start with "//"`),
      path,
    );
  }
});

Deno.test("api: an empty PATH, or one with a space, a control character or # is refused", () => {
  const cases: [string, string][] = [
    ["", '""'],
    ["/v1/users list", '"/v1/users list"'],
    ["/v1/users#x", '"/v1/users#x"'],
    ["/v1/users\n", '"/v1/users\\n"'],
    ["/v1\u007f", '"/v1\\u007f"'],
  ];
  for (const [path, shown] of cases) {
    assert.throws(
      () => parseApiOptions("GET", path, {}),
      new ValidationError(`Invalid PATH ${shown}: expected a path such as /v1/users, without spaces or "#"`),
      shown,
    );
  }
  // The echo is cut at 80 characters.
  const long = `https://${"x".repeat(100)}`;
  assert.throws(
    () => parseApiOptions("GET", long, {}),
    new ValidationError(
      `Invalid PATH "${long.slice(0, 80)}": give a path such as /v1/users; the host comes from --url`,
    ),
  );
});

Deno.test("api: --data @ without a file, or a body on GET or HEAD, is refused", () => {
  assert.throws(
    () => parseApiOptions("POST", "/v1/users", { data: "@" }),
    new ValidationError('Invalid --data "@": expected @FILE or @- for stdin'),
  );
  for (const method of ["GET", "head"]) {
    assert.throws(
      () => parseApiOptions(method, "/v1/users", { data: "{}" }),
      new ValidationError(
        `Invalid --data: a ${method.toUpperCase()} request has no body; use POST, PUT or PATCH`,
      ),
      method,
    );
  }
  assert.throws(
    () => parseApiOptions("GET", "/v1/users", { data: "@-" }),
    new ValidationError("Invalid --data: a GET request has no body; use POST, PUT or PATCH"),
  );
});

Deno.test("api: a bad --timeout", () => {
  assert.throws(
    () => parseApiOptions("GET", "/v1/users", { timeout: "soon" }),
    new ValidationError('Invalid --timeout "soon": expected a duration such as 30s, 500ms or 2m'),
  );
});

Deno.test("api: a key pasted into a bad PATH is not echoed", () => {
  assert.throws(
    () => parseApiOptions("GET", "/v1/users/phy_tAPlGkPsJpR9Hd6Tsh33 x", {}),
    new ValidationError(
      'Invalid PATH "/v1/users/phy_[redacted] x": expected a path such as /v1/users, without spaces or "#"',
    ),
  );
});
