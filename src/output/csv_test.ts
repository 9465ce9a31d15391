import assert from "node:assert/strict";
import { csvLine, neutraliseFormula } from "./csv.ts";

Deno.test("csvLine: plain fields joined by commas, null as empty, CRLF at the end", () => {
  assert.equal(csvLine(["usr_1", "ann@example.com", null, ""]), "usr_1,ann@example.com,,\r\n");
  assert.equal(csvLine([]), "\r\n");
  assert.equal(csvLine(["zürich", "日本", "a b"]), "zürich,日本,a b\r\n");
});

Deno.test("csvLine: a comma, a quote or a line break quotes the field, quotes doubled (RFC 4180)", () => {
  const cases: Array<[string, string]> = [
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["crlf\r\nend", '"crlf\r\nend"'],
    ["tab\tinside", "tab\tinside"],
    ["semi;colon", "semi;colon"],
    ["it's", "it's"],
  ];
  for (const [value, field] of cases) assert.equal(csvLine([value, "x"]), `${field},x\r\n`, value);
});

Deno.test("neutraliseFormula: = + - @ tab and CR at the start get an apostrophe, nothing else", () => {
  for (const value of ["=SUM(A1:A2)", "+1", "-1", "@cmd", "\tx", "\rx"]) {
    assert.equal(neutraliseFormula(value), `'${value}`, JSON.stringify(value));
  }
  for (const value of ["", "a=b", "1+1", "ann@example.com", "'=1"]) {
    assert.equal(neutraliseFormula(value), value, JSON.stringify(value));
  }
});

Deno.test("csvLine: a formula is neutralised before quoting, so the apostrophe sits inside the quotes", () => {
  assert.equal(csvLine(["=1+2"]), "'=1+2\r\n");
  assert.equal(csvLine(['=HYPERLINK("http://x","y")']), `"'=HYPERLINK(""http://x"",""y"")"\r\n`);
  assert.equal(csvLine(["@a,b"]), `"'@a,b"\r\n`);
  assert.equal(csvLine(["\r=1"]), `"'\r=1"\r\n`);
  assert.equal(csvLine([null, "-", "x"]), ",'-,x\r\n");
});
