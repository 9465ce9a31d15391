// The api-keys verbs' parse steps: what they give, and each error compared whole (message, class and so exit
// code, code, remediation).
import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseKeyId } from "./key_id.ts";
import { parseListKeysOptions } from "./list.ts";
import { parseCreateKeyOptions } from "./create.ts";
import { parseRevokeKeyOptions } from "./revoke.ts";
import {
  API_KEY_DETAIL_FIELDS,
  API_KEY_FIELDS,
  CREATED_KEY_DETAIL_FIELDS,
  CREATED_KEY_FIELDS,
} from "./fields.ts";
import {
  BAD_TIMEOUT as badTimeout,
  DEFAULT_GLOBALS as globals,
  FIELDS_WITH_ID as fieldsWithId,
  unknownField,
} from "../../../../tests/support/parse_fixtures.ts";

const badKeyId = (shown: string) =>
  new ValidationError(`Invalid KEY_ID ${shown}: expected an identifier such as key_abc123`, {
    remediation: "List the keys with phyware api-keys list",
  });
const badSpan = (raw: string) =>
  new ValidationError(
    `Invalid --expires-in "${raw}": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w`,
  );

Deno.test("KEY_ID: one path segment of visible characters, up to 256", () => {
  for (const id of ["key_abc123", "k", "...", "x".repeat(256)]) assert.equal(parseKeyId(id), id);
  for (const raw of ["", ".", "..", "a/b", "a\\b", "a?b", "a#b", "a%2F", "a b", "a\tb"]) {
    assert.throws(() => parseKeyId(raw), badKeyId(JSON.stringify(raw)), JSON.stringify(raw));
  }
  assert.throws(() => parseKeyId("key_\u007f"), badKeyId('"key_\\u007f"'));
  assert.throws(() => parseKeyId("k".repeat(257)), badKeyId(`"${"k".repeat(80)}"`));
});

Deno.test("api-keys list: --limit and --fields", () => {
  assert.deepEqual(parseListKeysOptions({}), { globals, limit: undefined, fields: API_KEY_FIELDS });
  assert.deepEqual(parseListKeysOptions({ limit: "3", fields: "name, id", output: "csv" }), {
    globals: { ...globals, output: "csv" },
    limit: 3,
    fields: ["name", "id"],
  });
  assert.throws(
    () => parseListKeysOptions({ limit: "none" }),
    new ValidationError('Invalid --limit "none": expected a whole number of at least 1'),
  );
  // A listed key has no secret to print.
  assert.throws(
    () => parseListKeysOptions({ fields: "id,key" }),
    unknownField("id,key", "key", API_KEY_DETAIL_FIELDS),
  );
  assert.throws(() => parseListKeysOptions({ output: "id", fields: "id" }), fieldsWithId);
  assert.throws(() => parseListKeysOptions({ timeout: "soon" }), badTimeout);
});

Deno.test("api-keys create: the name trimmed, scopes once each in order, the span in milliseconds", () => {
  assert.deepEqual(
    parseCreateKeyOptions({ name: " ci ", scope: ["admin:users", "read", "admin:users"], expiresIn: "90d" }),
    {
      globals,
      name: "ci",
      scopes: ["admin:users", "read"],
      expiresInMs: 90 * 24 * 60 * 60_000,
      fields: CREATED_KEY_FIELDS,
    },
  );
  const bare = parseCreateKeyOptions({ name: "ci", fields: "key" });
  assert.deepEqual(bare.scopes, []);
  assert.equal(bare.expiresInMs, undefined);
  assert.deepEqual(bare.fields, ["key"]);
});

Deno.test("api-keys create: --name is required (a usage error, exit 4) and not empty", () => {
  assert.throws(
    () => parseCreateKeyOptions({}),
    new ValidationError('Required option "--name <name>" not specified', { code: "USAGE_ERROR" }),
  );
  assert.throws(
    () => parseCreateKeyOptions({ name: " \t" }),
    new ValidationError('Invalid --name "": must not be empty'),
  );
});

Deno.test("api-keys create refuses -o id, which would lose the key shown only once", () => {
  assert.throws(
    () => parseCreateKeyOptions({ name: "ci", output: "id" }),
    new ValidationError('Invalid --output "id" for api-keys create: it would not print the key', {
      remediation: "Use -o table, json, ndjson, yaml or csv; the key is shown only once",
    }),
  );
});

Deno.test("api-keys create: a bad --expires-in, --fields or --timeout", () => {
  for (const raw of ["30s", "0m", "1.5h", "1y", "", "-1d", "12345678m"]) {
    assert.throws(() => parseCreateKeyOptions({ name: "ci", expiresIn: raw }), badSpan(raw), raw);
  }
  assert.throws(
    () => parseCreateKeyOptions({ name: "ci", expiresIn: "3651d" }),
    new ValidationError('Invalid --expires-in "3651d": must be at most 3650d'),
  );
  assert.equal(parseCreateKeyOptions({ name: "ci", expiresIn: "3650d" }).expiresInMs, 3650 * 86_400_000);
  assert.equal(parseCreateKeyOptions({ name: "ci", expiresIn: "1m" }).expiresInMs, 60_000);
  assert.throws(
    () => parseCreateKeyOptions({ name: "ci", fields: "id,secret" }),
    unknownField("id,secret", "secret", CREATED_KEY_DETAIL_FIELDS),
  );
  assert.throws(() => parseCreateKeyOptions({ name: "ci", timeout: "soon" }), badTimeout);
});

Deno.test("api-keys revoke: a KEY_ID, --yes and --fields", () => {
  assert.deepEqual(parseRevokeKeyOptions("key_a", { yes: true }), {
    globals,
    id: "key_a",
    yes: true,
    fields: API_KEY_FIELDS,
  });
  assert.throws(() => parseRevokeKeyOptions("../key_a", {}), badKeyId('"../key_a"'));
  assert.throws(
    () => parseRevokeKeyOptions("key_a", { fields: "key" }),
    unknownField("key", "key", API_KEY_DETAIL_FIELDS),
  );
  assert.throws(() => parseRevokeKeyOptions("key_a", { output: "id", fields: "id" }), fieldsWithId);
  assert.throws(() => parseRevokeKeyOptions("key_a", { timeout: "soon" }), badTimeout);
});

Deno.test("KEY_ID: the key itself pasted in its place is refused, never echoed whole", () => {
  for (const raw of ["phy_3r3uDZrj1zAnVqySuadJTWxyz", "phs_abc", "phi_0"]) {
    assert.throws(
      () => parseKeyId(raw),
      new ValidationError(
        `Invalid KEY_ID "${raw.slice(0, 4)}...": it looks like the key itself (a secret), not its id`,
        { remediation: "Give the key's id, such as key_abc123: phyware api-keys list prints the ids" },
      ),
    );
  }
});

Deno.test("KEY_ID: a key inside it (a leading space, Bearer) is refused with the key redacted", () => {
  assert.throws(
    () => parseKeyId("Bearer phy_tAPlGkPsJpR9Hd6Tsh33xWQEbAUX5W0j4qbn1QWEZfQ"),
    new ValidationError(
      'Invalid KEY_ID "Bearer phy_[redacted]": it holds a key (a secret), not a key\'s id',
      {
        remediation: "Give the key's id, such as key_abc123: phyware api-keys list prints the ids",
      },
    ),
  );
});
