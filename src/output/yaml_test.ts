import assert from "node:assert/strict";
import { parse } from "yaml";
import { yamlItems, yamlRecord } from "./yaml.ts";

// Strings that a YAML loader could read as something else: booleans of 1.1 (yes, on, y), nulls, numbers of
// either version (0777 is octal in 1.1, 0o17 in 1.2), sexagesimals (12:30), timestamps, and indicators.
const ODD = [
  "yes",
  "No",
  "ON",
  "off",
  "y",
  "n",
  "true",
  "False",
  "null",
  "Null",
  "~",
  "",
  "0777",
  "0o17",
  "0x1F",
  "0b101",
  "1_000",
  "1e3",
  "1.5",
  "+3",
  "-3",
  "0",
  ".inf",
  "-.Inf",
  ".NaN",
  "12:30",
  "12:30:00",
  "2024-01-01",
  "2024-01-01T10:00:00Z",
  " lead",
  "trail ",
  "a: b",
  "- x",
  "#c",
  "x #c",
  "@x",
  "`x",
  "*a",
  "&a",
  "!tag",
  "%x",
  "{a}",
  "[a]",
  "?",
  "-",
  "|",
  ">",
  "'q'",
  '"dq"',
  "two\nlines",
  "tab\tx",
  "\u001b[31mred",
  "\u202eevil",
  "usr_1",
  "ann@example.com",
];

Deno.test("yamlRecord: every odd string reads back as that string, in a YAML 1.1 and a 1.2 loader", async () => {
  const record = Object.fromEntries(ODD.map((value, i) => [`k${i}`, value]));
  const text = await yamlRecord(record);
  assert.deepEqual(parse(text, { version: "1.1" }), record);
  assert.deepEqual(parse(text, { version: "1.2" }), record);
  // Keys too: "n" and "on" are booleans to a 1.1 loader.
  const keys = Object.fromEntries(ODD.filter((k) => !k.includes("\n")).map((k) => [k, "v"]));
  const keyText = await yamlRecord(keys);
  assert.deepEqual(parse(keyText, { version: "1.1" }), keys);
  assert.deepEqual(parse(keyText, { version: "1.2" }), keys);
});

Deno.test("yamlRecord: the exact text of the values a 1.1 loader would misread, and of plain ones", async () => {
  const text = await yamlRecord({
    a: "yes",
    b: "0777",
    c: "0o17",
    d: "12:30",
    e: "2024-01-01",
    f: "1_000",
    g: "null",
    h: null,
    i: "usr_abc123",
    j: "ann@example.com",
    k: "two\nlines",
    n: "x",
  });
  assert.equal(
    text,
    'a: "yes"\nb: "0777"\nc: "0o17"\nd: "12:30"\ne: "2024-01-01"\nf: "1_000"\ng: "null"\nh: null\n' +
      'i: usr_abc123\nj: ann@example.com\nk: |-\n  two\n  lines\n"n": x\n',
  );
});

Deno.test("yamlRecord: a nested document (dry run) keeps its types: booleans, numbers, empty lists", async () => {
  const text = await yamlRecord({
    dry_run: true,
    request: { method: "POST", headers: { "Idempotency-Key": "k1" }, body: { role: "admin" } },
    count: 3,
    items: [],
    none: {},
  });
  assert.equal(
    text,
    "dry_run: true\nrequest:\n  method: POST\n  headers:\n    Idempotency-Key: k1\n  body:\n    role: admin\n" +
      "count: 3\nitems: []\nnone: {}\n",
  );
});

Deno.test("yamlItems: a block sequence; no records is no text, and pages concatenate into one list", async () => {
  assert.equal(await yamlItems([]), "");
  const one = { id: "usr_1", email: "a@example.com", role: null };
  const two = { id: "on", email: "b@example.com", role: "admin" };
  assert.equal(
    await yamlItems([one, two]),
    '- id: usr_1\n  email: a@example.com\n  role: null\n- id: "on"\n  email: b@example.com\n  role: admin\n',
  );
  const paged = (await yamlItems([one])) + (await yamlItems([])) + (await yamlItems([two]));
  assert.equal(paged, await yamlItems([one, two]));
  assert.deepEqual(parse(paged, { version: "1.1" }), [one, two]);
});
