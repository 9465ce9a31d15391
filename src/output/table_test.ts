import assert from "node:assert/strict";
import { renderKeyValue, renderTable } from "./table.ts";

const BOLD = (s: string) => `\x1b[1m${s}\x1b[22m`;
const GREEN = (s: string) => `\x1b[32m${s}\x1b[39m`;
const YELLOW = (s: string) => `\x1b[33m${s}\x1b[39m`;
const GRAY = (s: string) => `\x1b[90m${s}\x1b[39m`;

Deno.test("columns are as wide as their widest cell or header, two spaces apart, the last not padded", async () => {
  assert.equal(
    await renderTable(["id", "email", "role"], [
      { id: "usr_a", email: "a@x.io", role: "admin" },
      { id: "usr_bbbbbb", email: "bob@example.com", role: "member" },
    ], false),
    "ID          EMAIL            ROLE\n" +
      "usr_a       a@x.io           admin\n" +
      "usr_bbbbbb  bob@example.com  member\n",
  );
});

Deno.test("a header wider than every cell sets the width; no rows leave the header alone", async () => {
  assert.equal(
    await renderTable(["status", "id"], [{ status: "ok", id: "1" }], false),
    "STATUS  ID\nok      1\n",
  );
  assert.equal(await renderTable(["id", "email"], [], false), "ID  EMAIL\n");
});

Deno.test("a null or missing value shows as -", async () => {
  assert.equal(
    await renderTable(["id", "activated_at", "role"], [{ id: "usr_a", activated_at: null }], false),
    "ID     ACTIVATED_AT  ROLE\nusr_a  -             -\n",
  );
});

Deno.test("wide characters take two columns: the padding counts display width, not code units", async () => {
  // 日本語 is 3 characters and 6 columns; "abcdefg" 7 columns.
  assert.equal(
    await renderTable(["name", "id"], [{ name: "日本語", id: "1" }, { name: "abcdefg", id: "2" }], false),
    "NAME     ID\n" +
      "日本語   1\n" +
      "abcdefg  2\n",
  );
  // An emoji is two columns too.
  assert.equal(
    await renderTable(["name", "id"], [{ name: "\u{1F44D}\u{1F44D}\u{1F44D}", id: "1" }], false),
    "NAME    ID\n\u{1F44D}\u{1F44D}\u{1F44D}  1\n",
  );
});

Deno.test("a combining mark takes no column: e and U+0301 is one column wide", async () => {
  // "cafe\u0301" is 5 code units and 4 columns; "abcdef" 6 columns, so it gets 2 spaces of padding, plus the gap.
  assert.equal(
    await renderTable(["name", "id"], [{ name: "cafe\u0301", id: "1" }, { name: "abcdef", id: "2" }], false),
    "NAME    ID\n" +
      "cafe\u0301    1\n" +
      "abcdef  2\n",
  );
});

Deno.test("characters that steer a terminal become spaces, so a value cannot break its row", async () => {
  assert.equal(
    await renderTable(["id", "email"], [{ id: "a\nb", email: "\u001b[2Jx\u202e" }], false),
    "ID   EMAIL\na b   [2Jx \n",
  );
});

Deno.test("without colour there is no escape sequence; with it the header is bold and statuses coloured", async () => {
  const rows = [
    { id: "usr_a", status: "active" },
    { id: "usr_b", status: "pending" },
    { id: "usr_c", status: "inactive" },
    { id: "usr_d", status: "odd" },
  ];
  assert.equal(
    await renderTable(["id", "status"], rows, false),
    "ID     STATUS\nusr_a  active\nusr_b  pending\nusr_c  inactive\nusr_d  odd\n",
  );
  // Padding goes outside the styles and is computed on the plain text.
  assert.equal(
    await renderTable(["status", "id"], rows, true),
    `${BOLD("STATUS")}    ${BOLD("ID")}\n` +
      `${GREEN("active")}    usr_a\n` +
      `${YELLOW("pending")}   usr_b\n` +
      `${GRAY("inactive")}  usr_c\n` +
      "odd       usr_d\n",
  );
});

Deno.test("only the status column is coloured, whatever another column holds", async () => {
  assert.equal(
    await renderTable(["role", "id"], [{ role: "active", id: "1" }], true),
    `${BOLD("ROLE")}    ${BOLD("ID")}\nactive  1\n`,
  );
});

Deno.test("key-value lines pad every key: to the longest key and its colon, then one space", () => {
  assert.equal(
    renderKeyValue({ id: "usr_a", email: "a@x.io", status: "active", invited_by: null }, false),
    "id:         usr_a\n" +
      "email:      a@x.io\n" +
      "status:     active\n" +
      "invited_by: -\n",
  );
  assert.equal(renderKeyValue({}, false), "");
});

Deno.test("key-value values are neutralised; with colour the labels are bold and the status coloured", () => {
  assert.equal(renderKeyValue({ id: "a\u0007b" }, false), "id: a b\n");
  assert.equal(
    renderKeyValue({ id: "usr_a", status: "pending", role: "active" }, true),
    `${BOLD("id:    ")} usr_a\n${BOLD("status:")} ${YELLOW("pending")}\n${BOLD("role:  ")} active\n`,
  );
});
