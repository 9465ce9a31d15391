import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseFieldList } from "./field_list.ts";

const ALL = ["id", "email", "name", "created_at"] as const;
const DEFAULTS = ["id", "email"] as const;

Deno.test("parseFieldList: not given is the defaults, in any format", () => {
  for (const format of ["table", "json", "csv", "id"] as const) {
    assert.equal(parseFieldList(undefined, DEFAULTS, ALL, format), DEFAULTS, format);
  }
});

Deno.test("parseFieldList: names in the order given, trimmed, each once", () => {
  assert.deepEqual(parseFieldList("name,id", DEFAULTS, ALL, "table"), ["name", "id"]);
  assert.deepEqual(parseFieldList(" created_at , email ", DEFAULTS, ALL, "csv"), ["created_at", "email"]);
  assert.deepEqual(parseFieldList("id,id,name,id", DEFAULTS, ALL, "json"), ["id", "name"]);
  assert.deepEqual(parseFieldList("created_at", DEFAULTS, ALL, "yaml"), ["created_at"]);
});

Deno.test("parseFieldList: an empty or unknown name is one error quoting the flag's value, listing the fields", () => {
  const cases: Array<[string, string]> = [
    ["", 'Invalid --fields "": an empty field name'],
    ["id,", 'Invalid --fields "id,": an empty field name'],
    [",id", 'Invalid --fields ",id": an empty field name'],
    ["id,,email", 'Invalid --fields "id,,email": an empty field name'],
    ["id,nmae", 'Invalid --fields "id,nmae": unknown field "nmae"'],
    ["ID", 'Invalid --fields "ID": unknown field "ID"'],
    ["id email", 'Invalid --fields "id email": unknown field "id email"'],
    ["id,\u001b[31m", 'Invalid --fields "id,\\u001b[31m": unknown field "\\u001b[31m"'],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => parseFieldList(raw, DEFAULTS, ALL, "table"), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, message);
      assert.equal(error.remediation, "Valid fields: id, email, name, created_at");
      assert.equal(error.exitCode, 4);
      return true;
    }, raw);
  }
});

Deno.test("parseFieldList: --fields with --output id is refused, whatever the names", () => {
  for (const raw of ["id", "", "nope"]) {
    assert.throws(() => parseFieldList(raw, DEFAULTS, ALL, "id"), {
      name: "ValidationError",
      message: "Use --fields or --output id, not both",
      remediation: "--output id prints the ids only: drop --fields, or choose another --output",
    }, raw);
  }
});
