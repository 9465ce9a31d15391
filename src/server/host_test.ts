import assert from "node:assert/strict";
import { hostProblem } from "./host.ts";

Deno.test("hostProblem accepts names, IPv4 and IPv6 literals, with or without a port", () => {
  for (
    const host of [
      "localhost",
      "localhost:8000",
      "127.0.0.1:80",
      "[::1]:8000",
      "[::1]",
      "xn--mnchen-3ya.example",
    ]
  ) {
    assert.equal(hostProblem(host), undefined, host);
  }
});

Deno.test("hostProblem refuses a missing, empty, repeated or malformed Host with a 400", () => {
  const cases: Array<[string | null, RegExp]> = [
    [null, /^Missing Host header/],
    ["", /^Empty Host header/],
    ["  ", /^Empty Host header/],
    ["a b", /^Malformed Host header "a b"/],
    ["[::1", /^Malformed/],
    ["x:99999", /^Malformed/],
    ["x:", /^Malformed/],
    ["u@x", /^Malformed/],
    ["x/y", /^Malformed/],
    ["a, b", /^Malformed/],
    ["m\u00fcnchen.example", /^Malformed/],
  ];
  for (const [value, detail] of cases) {
    const problem = hostProblem(value);
    assert.equal(problem?.status, 400, String(value));
    assert.match(problem.message, detail);
  }
});
