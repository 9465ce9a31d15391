// The error cases of the users verbs' parse steps (parseListOptions' --limit and --role: ./parse_test.ts). Each
// expected error is compared whole: message, class (so exit code), code and remediation.
import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseGetOptions } from "./get.ts";
import { parseInviteOptions } from "./invite.ts";
import { parseDeactivateOptions } from "./deactivate.ts";
import { parseSetRoleOptions } from "./set_role.ts";
import { parseResendInviteOptions } from "./resend_invite.ts";
import { parseListOptions } from "./list.ts";
import { BULK_INVITE_FIELDS, parseBulkInviteOptions } from "./bulk_invite.ts";
import { BULK_DEACTIVATE_FIELDS, parseBulkDeactivateOptions } from "./bulk_deactivate.ts";
import { USER_DETAIL_FIELDS, USER_FIELDS } from "./fields.ts";
import {
  BAD_TIMEOUT as badTimeout,
  DEFAULT_GLOBALS as globals,
  FIELDS_WITH_ID as fieldsWithId,
  unknownField,
} from "../../../../tests/support/parse_fixtures.ts";

const NOT_ONE_SEGMENT = "an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'";
const badId = (shown: string) => new ValidationError(`Invalid USER_ID ${shown}: ${NOT_ONE_SEGMENT}`);
const secretId = new ValidationError(
  'Invalid USER_ID "phy_...": it looks like a secret (an API key or token), not a user id',
  { remediation: "Give the user's id, such as usr_abc123: phyware users list prints the ids" },
);
const badRole = (shown: string) =>
  new ValidationError(`Invalid --role ${shown}: expected one of "admin", "member"`);

Deno.test("users get: a USER_ID, or an address in its place", () => {
  assert.deepEqual(parseGetOptions("usr_a", {}), {
    globals,
    id: "usr_a",
    email: undefined,
    fields: USER_DETAIL_FIELDS,
  });
  assert.deepEqual(
    parseGetOptions(" ann@b\u0075\u0308cher.example ", { output: "json", fields: "email,id" }),
    {
      globals: { ...globals, output: "json" },
      id: undefined,
      email: "ann@b\u00fccher.example",
      fields: ["email", "id"],
    },
  );
});

Deno.test("users get: a bad USER_ID, a bad address, bad --fields or --timeout are validation errors", () => {
  assert.throws(() => parseGetOptions("a/b", {}), badId('"a/b"'));
  assert.throws(() => parseGetOptions("phy_AbCdEf0123456789", {}), secretId);
  assert.throws(
    () => parseGetOptions("a@b@c.io", {}),
    new ValidationError('Invalid email "a@b@c.io": more than one "@"'),
  );
  assert.throws(
    () => parseGetOptions("bob@", {}),
    new ValidationError(
      'Invalid email "bob@": bad domain (expected dot-separated labels of letters, digits and inner hyphens)',
    ),
  );
  assert.throws(
    () => parseGetOptions("usr_a", { fields: "id,name" }),
    unknownField("id,name", "name", USER_DETAIL_FIELDS),
  );
  assert.throws(() => parseGetOptions("usr_a", { output: "id", fields: "id" }), fieldsWithId);
  assert.throws(() => parseGetOptions("usr_a", { timeout: "soon" }), badTimeout);
});

Deno.test("users invite: role lower-cased and checked, email normalised", () => {
  assert.deepEqual(parseInviteOptions({ email: " a@x.io ", role: " Admin " }), {
    globals,
    email: "a@x.io",
    role: "admin",
    dryRun: false,
    fields: USER_FIELDS,
  });
  assert.equal(parseInviteOptions({ email: "a@x.io", role: "member", dryRun: true }).dryRun, true);
});

Deno.test("users invite: a bad --role, --email, --fields or --timeout is a validation error", () => {
  assert.throws(() => parseInviteOptions({ email: "a@x.io", role: "owner" }), badRole('"owner"'));
  assert.throws(
    () => parseInviteOptions({ email: "a@x.io", role: "  " }),
    new ValidationError('Invalid --role "  ": must not be empty'),
  );
  assert.throws(
    () => parseInviteOptions({ email: "alice", role: "member" }),
    new ValidationError('Invalid --email "alice": no "@"'),
  );
  // The user's fields, not a bulk result's.
  assert.throws(
    () => parseInviteOptions({ email: "a@x.io", role: "member", fields: "result" }),
    unknownField("result", "result", USER_DETAIL_FIELDS),
  );
  assert.throws(
    () => parseInviteOptions({ email: "a@x.io", role: "member", output: "id", fields: "id" }),
    fieldsWithId,
  );
  assert.throws(() => parseInviteOptions({ email: "a@x.io", role: "member", timeout: "soon" }), badTimeout);
});

Deno.test("users deactivate: one USER_ID, --yes and --dry-run", () => {
  assert.deepEqual(parseDeactivateOptions("usr_a", { yes: true }), {
    globals,
    id: "usr_a",
    yes: true,
    dryRun: false,
    fields: USER_FIELDS,
  });
  assert.throws(() => parseDeactivateOptions("..", {}), badId('".."'));
  assert.throws(() => parseDeactivateOptions("phy_AbCdEf0123456789", { yes: true }), secretId);
  assert.throws(
    () => parseDeactivateOptions("usr_a", { fields: "" }),
    new ValidationError('Invalid --fields "": an empty field name', {
      remediation: `Valid fields: ${USER_DETAIL_FIELDS.join(", ")}`,
    }),
  );
  assert.throws(() => parseDeactivateOptions("usr_a", { timeout: "soon" }), badTimeout);
});

Deno.test("users set-role: --role is required (a usage error, exit 4), then checked as invite checks it", () => {
  assert.deepEqual(parseSetRoleOptions("usr_a", { role: "MEMBER", dryRun: true }), {
    globals,
    id: "usr_a",
    role: "member",
    dryRun: true,
    fields: USER_FIELDS,
  });
  assert.throws(
    () => parseSetRoleOptions("usr_a", {}),
    new ValidationError('Required option "--role <role>" not specified', { code: "USAGE_ERROR" }),
  );
  assert.throws(() => parseSetRoleOptions("usr_a", { role: "root" }), badRole('"root"'));
  assert.throws(() => parseSetRoleOptions("a?b", { role: "admin" }), badId('"a?b"'));
  assert.throws(() => parseSetRoleOptions("usr_a", { role: "admin", timeout: "soon" }), badTimeout);
});

Deno.test("users resend-invite: one USER_ID, --dry-run, --fields", () => {
  assert.deepEqual(parseResendInviteOptions("usr_a", { fields: "status" }), {
    globals,
    id: "usr_a",
    dryRun: false,
    fields: ["status"],
  });
  assert.throws(() => parseResendInviteOptions("a#b", {}), badId('"a#b"'));
  assert.throws(() => parseResendInviteOptions("phy_AbCdEf0123456789", {}), secretId);
  assert.throws(() => parseResendInviteOptions("usr_a", { output: "id", fields: "id" }), fieldsWithId);
  assert.throws(() => parseResendInviteOptions("usr_a", { timeout: "soon" }), badTimeout);
});

Deno.test("users list: a bad --email or --search, with their exact messages", () => {
  assert.throws(
    () => parseListOptions({ email: "nobody" }),
    new ValidationError('Invalid --email "nobody": no "@"'),
  );
  assert.throws(
    () => parseListOptions({ search: "a" }),
    new ValidationError('Invalid --search "a": expected 2 to 254 characters'),
  );
  assert.throws(
    () => parseListOptions({ limit: "0" }),
    new ValidationError('Invalid --limit "0": expected a whole number of at least 1'),
  );
  assert.throws(() => parseListOptions({ role: "guest" }), badRole('"guest"'));
  assert.equal(parseListOptions({ search: "al" }).search, "al");
});

const bulkInvite = { email: ["a@x.io", "b@x.io"], role: "member" };

Deno.test("bulk invite: the defaults, and what it keeps", () => {
  assert.deepEqual(parseBulkInviteOptions(bulkInvite), {
    globals,
    emails: ["a@x.io", "b@x.io"],
    fromFile: undefined,
    role: "member",
    concurrency: 4,
    maxWaitMs: undefined,
    dryRun: false,
    fields: BULK_INVITE_FIELDS,
    emailColumn: undefined,
    roleColumn: undefined,
  });
  const fromFile = parseBulkInviteOptions({
    email: [],
    role: " admin ",
    fromFile: "rows.csv",
    emailColumn: "mail",
    roleColumn: "kind",
    concurrency: "16",
    maxWait: "5m",
    fields: "email,result",
  });
  assert.equal(fromFile.role, "admin");
  assert.equal(fromFile.concurrency, 16);
  assert.equal(fromFile.maxWaitMs, 300_000);
  assert.deepEqual(fromFile.fields, ["email", "result"]);
  assert.equal(fromFile.emailColumn, "mail");
  assert.equal(fromFile.roleColumn, "kind");
});

Deno.test("bulk invite: --concurrency is a whole number from 1 to 16", () => {
  for (const concurrency of ["0", "17", "100", "1000", "-1", "4.5", "", "four", " 4"]) {
    assert.throws(
      () => parseBulkInviteOptions({ ...bulkInvite, concurrency }),
      new ValidationError(`Invalid --concurrency ${JSON.stringify(concurrency)}: expected 1 to 16`),
      concurrency,
    );
  }
  assert.equal(parseBulkInviteOptions({ ...bulkInvite, concurrency: "1" }).concurrency, 1);
});

Deno.test("bulk invite: its flags that cannot go together, and a bad --role, --max-wait or --fields", () => {
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, fromFile: "rows.csv" }),
    new ValidationError("Use --email or --from-file, not both"),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, emailColumn: "mail" }),
    new ValidationError("--email-column needs --from-file"),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, roleColumn: "kind" }),
    new ValidationError("--role-column needs --from-file"),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, emailColumn: "mail", roleColumn: "kind" }),
    new ValidationError("--email-column needs --from-file"),
  );
  // --role is checked before any row, with what was typed, as a single invite checks it.
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, role: " " }),
    new ValidationError('Invalid --role " ": must not be empty'),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, role: "owner" }),
    new ValidationError('Invalid --role "owner": expected one of "admin", "member"'),
  );
  assert.equal(parseBulkInviteOptions({ ...bulkInvite, role: " Admin " }).role, "admin");
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, maxWait: "forever" }),
    new ValidationError('Invalid --max-wait "forever": expected a duration such as 30s, 500ms or 2m'),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, fields: "email,name" }),
    new ValidationError('Invalid --fields "email,name": unknown field "name"', {
      remediation: `Fields of bulk results: ${BULK_INVITE_FIELDS.join(", ")}`,
    }),
  );
  assert.throws(
    () => parseBulkInviteOptions({ ...bulkInvite, output: "id", fields: "id" }),
    new ValidationError("Use --fields or -o id, not both: -o id prints ids only"),
  );
  assert.throws(() => parseBulkInviteOptions({ ...bulkInvite, timeout: "soon" }), badTimeout);
});

Deno.test("bulk deactivate: every USER_ID checked before any request", () => {
  assert.deepEqual(parseBulkDeactivateOptions(["usr_a", "usr_b"], { yes: true, concurrency: "2" }), {
    globals,
    ids: ["usr_a", "usr_b"],
    fromFile: undefined,
    yes: true,
    dryRun: false,
    concurrency: 2,
    maxWaitMs: undefined,
    fields: BULK_DEACTIVATE_FIELDS,
  });
  assert.throws(() => parseBulkDeactivateOptions(["usr_a", "a/b"], {}), badId('"a/b"'));
  assert.throws(() => parseBulkDeactivateOptions(["usr_a", "phy_AbCdEf0123456789"], {}), secretId);
});

Deno.test("bulk deactivate: USER_IDs or --from-file, and bad --concurrency, --max-wait or --fields", () => {
  assert.equal(parseBulkDeactivateOptions([], { fromFile: "ids.txt" }).fromFile, "ids.txt");
  assert.throws(
    () => parseBulkDeactivateOptions(["usr_a"], { fromFile: "ids.txt" }),
    new ValidationError("Use USER_IDs or --from-file, not both"),
  );
  assert.throws(
    () => parseBulkDeactivateOptions(["usr_a", "usr_b"], { concurrency: "17" }),
    new ValidationError('Invalid --concurrency "17": expected 1 to 16'),
  );
  assert.throws(
    () => parseBulkDeactivateOptions(["usr_a", "usr_b"], { maxWait: "0s" }),
    new ValidationError('Invalid --max-wait "0s": must be at least 1ms'),
  );
  assert.throws(
    () => parseBulkDeactivateOptions(["usr_a", "usr_b"], { fields: "id,role" }),
    new ValidationError('Invalid --fields "id,role": unknown field "role"', {
      remediation: `Fields of bulk results: ${BULK_DEACTIVATE_FIELDS.join(", ")}`,
    }),
  );
  assert.throws(() => parseBulkDeactivateOptions(["usr_a", "usr_b"], { timeout: "soon" }), badTimeout);
});
