import assert from "node:assert/strict";
import { emailKey } from "./key.ts";

Deno.test("emailKey folds normalisation, compatibility forms and case, and the domain to its A-label", () => {
  assert.equal(emailKey("CAFE\u0301@Example.com"), emailKey("caf\u00e9@example.com"));
  assert.equal(emailKey("\uff43af\u00e9@example.com"), "caf\u00e9@example.com");
  assert.equal(emailKey("z@m\u00fcnchen.example"), "z@xn--mnchen-3ya.example");
  assert.equal(emailKey("Z@XN--MNCHEN-3YA.example"), "z@xn--mnchen-3ya.example");
  assert.equal(emailKey("J\u00f6rg@M\u00fcnchen.example"), "j\u00f6rg@xn--mnchen-3ya.example");
});
