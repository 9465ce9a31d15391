// deno-lint-ignore-file no-control-regex -- these tests look for escape sequences on purpose
import assert from "node:assert/strict";
import YAML from "yaml";
import { BufferWriter } from "../../tests/support/context.ts";
import { createListWriter, type OutputFormat, type OutputRecord, writeRecord } from "./mod.ts";
import { OUTPUT_FORMATS, useColor } from "./format.ts";

const columns = ["id", "email", "status", "role"] as const;
const alice: OutputRecord = { id: "usr_a", email: "alice@example.com", status: "active", role: "admin" };
const bob: OutputRecord = { id: "usr_b", email: "bob@example.com", status: "pending", role: "member" };
const carol: OutputRecord = { id: "usr_c", email: 'c,"q"@example.com', status: "inactive", role: "member" };

async function list(format: OutputFormat, pages: OutputRecord[][], color = false): Promise<string> {
  const out = new BufferWriter();
  const writer = createListWriter(out, { format, color, columns, terminal: color });
  for (const page of pages) await writer.page(page);
  await writer.end();
  return out.text;
}

Deno.test("list output is the same whether users arrive in one page or several", async (t) => {
  for (const format of ["table", "json", "ndjson", "yaml", "csv", "id"] as const) {
    await t.step(format, async () => {
      assert.equal(
        await list(format, [[alice], [], [bob, carol]]),
        await list(format, [[alice, bob, carol]]),
      );
    });
  }
});

Deno.test("list as JSON is an array of exactly the four fields", async () => {
  const text = await list("json", [[alice], [bob]]);
  assert.deepEqual(JSON.parse(text), [alice, bob]);
  assert.equal(text, JSON.stringify([alice, bob], null, 2) + "\n");
  assert.equal(await list("json", []), "[]\n");
});

Deno.test("list as NDJSON, YAML, CSV and ids", async () => {
  assert.equal(
    await list("ndjson", [[alice, bob]]),
    JSON.stringify(alice) + "\n" + JSON.stringify(bob) + "\n",
  );
  assert.deepEqual(YAML.parse(await list("yaml", [[alice], [bob]])), [alice, bob]);
  assert.equal(await list("yaml", []), "[]\n");
  assert.equal(
    await list("csv", [[alice, carol]]),
    'id,email,status,role\r\nusr_a,alice@example.com,active,admin\r\nusr_c,"c,""q""@example.com",inactive,member\r\n',
  );
  assert.equal(await list("csv", []), "id,email,status,role\r\n");
  assert.equal(await list("id", [[alice], [bob]]), "usr_a\nusr_b\n");
});

Deno.test("the table aligns columns under an upper-case header, without colour unless asked", async () => {
  assert.equal(
    await list("table", [[alice, bob]]),
    "ID     EMAIL              STATUS   ROLE\n" +
      "usr_a  alice@example.com  active   admin\n" +
      "usr_b  bob@example.com    pending  member\n",
  );
  const colored = await list("table", [[alice]], true);
  assert.match(colored, /\x1b\[1mID\x1b\[22m/);
  assert.match(colored, /\x1b\[32mactive\x1b\[39m/);
  assert.doesNotMatch(await list("table", [[alice]]), /\x1b/);
});

Deno.test("CSV prefixes values a spreadsheet would run as formulas", async () => {
  const sneaky: OutputRecord = {
    id: "usr_s",
    email: "=HYPERLINK(1)@x.com",
    status: "active",
    role: "-admin",
  };
  assert.equal(
    await list("csv", [[sneaky]]),
    "id,email,status,role\r\nusr_s,'=HYPERLINK(1)@x.com,active,'-admin\r\n",
  );
});

Deno.test("the table aligns wide characters by display width", async () => {
  // Four CJK characters take eight columns: the email column is 19 wide, not 15.
  const wide: OutputRecord = {
    id: "usr_w",
    email: "\u5c71\u7530\u592a\u90ce@example.jp",
    status: "active",
    role: "member",
  };
  assert.equal(
    await list("table", [[wide, bob]]),
    "ID     EMAIL                STATUS   ROLE\n" +
      "usr_w  \u5c71\u7530\u592a\u90ce@example.jp  active   member\n" +
      "usr_b  bob@example.com      pending  member\n",
  );
});

Deno.test("the table neutralises control characters from the server", async () => {
  const evil: OutputRecord = { id: "usr_x", email: "x\x1b[2J@example.com", status: "active", role: "member" };
  assert.doesNotMatch(await list("table", [[evil]]), /\x1b/);
});

Deno.test("one record prints as an object, key/value lines, or its id", async (t) => {
  const cases: Array<[OutputFormat, boolean, string]> = [
    ["json", false, JSON.stringify(alice, null, 2) + "\n"],
    ["ndjson", false, JSON.stringify(alice) + "\n"],
    ["id", false, "usr_a\n"],
    ["csv", false, "id,email,status,role\r\nusr_a,alice@example.com,active,admin\r\n"],
    ["table", false, "ID     EMAIL              STATUS  ROLE\nusr_a  alice@example.com  active  admin\n"],
    ["table", true, "id:     usr_a\nemail:  alice@example.com\nstatus: active\nrole:   admin\n"],
  ];
  for (const [format, keyValue, expected] of cases) {
    await t.step(`${format}${keyValue ? " as key/value" : ""}`, async () => {
      const out = new BufferWriter();
      await writeRecord(out, alice, { format, color: false, columns, keyValue, terminal: false });
      assert.equal(out.text, expected);
    });
  }
});

Deno.test("colour on a terminal or when FORCE_COLOR or CLICOLOR_FORCE say so, never with NO_COLOR or TERM=dumb", () => {
  assert.equal(useColor(true, {}), true);
  assert.equal(useColor(false, {}), false);
  assert.equal(useColor(true, { NO_COLOR: "1" }), false);
  assert.equal(useColor(true, { NO_COLOR: "" }), true);
  assert.equal(useColor(true, { TERM: "dumb" }), false);
  // Forced on when piped, by either convention; NO_COLOR still wins.
  assert.equal(useColor(false, { FORCE_COLOR: "1" }), true);
  assert.equal(useColor(false, { FORCE_COLOR: "" }), true);
  assert.equal(useColor(false, { FORCE_COLOR: "3" }), true);
  assert.equal(useColor(true, { FORCE_COLOR: "0" }), false);
  assert.equal(useColor(true, { FORCE_COLOR: "false" }), false);
  assert.equal(useColor(false, { CLICOLOR_FORCE: "1" }), true);
  assert.equal(useColor(false, { CLICOLOR_FORCE: "0" }), false);
  assert.equal(useColor(false, { FORCE_COLOR: "1", NO_COLOR: "1" }), false);
  assert.equal(useColor(false, { CLICOLOR_FORCE: "1", NO_COLOR: "1" }), false);
  assert.equal(useColor(true, { CLICOLOR: "0" }), false);
});

Deno.test("on a terminal every format prints escape sequences and bidi controls from the server as spaces", async () => {
  const evil = {
    id: "usr_1",
    email: "a\u001b]0;t\u0007\u202eb@example.com",
    status: "active",
    role: "member",
  };
  for (const format of OUTPUT_FORMATS) {
    const out = new BufferWriter();
    await writeRecord(out, evil, { format, color: false, columns, terminal: true });
    assert.doesNotMatch(out.text, /[\u001b\u0007\u202e]/, format);
  }
});
