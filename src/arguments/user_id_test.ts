import assert from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { MAX_USER_ID_LENGTH, parseUserId, userIdProblem } from "./user_id.ts";

const NOT_AN_ID = "expected an identifier such as usr_abc123";
const NOT_ONE_SEGMENT = "an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or '..'";

Deno.test("parseUserId returns an id of visible characters unchanged, up to 256 of them", () => {
  assert.equal(MAX_USER_ID_LENGTH, 256);
  for (const id of ["usr_abc123", "u", "usr-\u00e9", "...", "a.b", "phy_", "PHY_abc", "x".repeat(256)]) {
    assert.equal(parseUserId(id), id, id);
    assert.equal(userIdProblem(id), undefined, id);
  }
});

Deno.test("an empty id, or one with a space or a control character, is no identifier", () => {
  // Each raw id and how the error quotes it: as JSON, with DEL escaped too.
  const cases: [string, string][] = [
    ["", '""'],
    ["a b", '"a b"'],
    ["a\tb", '"a\\tb"'],
    ["a\nb", '"a\\nb"'],
    ["usr_a\u0000", '"usr_a\\u0000"'],
    ["usr_a\u007f", '"usr_a\\u007f"'],
    [" usr_a", '" usr_a"'],
    ["a\u00a0b", '"a\u00a0b"'],
  ];
  for (const [raw, shown] of cases) {
    assert.equal(userIdProblem(raw), NOT_AN_ID, shown);
    assert.throws(
      () => parseUserId(raw),
      new ValidationError(`Invalid USER_ID ${shown}: ${NOT_AN_ID}`),
      shown,
    );
  }
});

Deno.test("an id that is not one path segment is refused, saying which characters are out", () => {
  for (const raw of [".", "..", "a/b", "a\\b", "a?b", "a#b", "a%2Fb", "../usr_a"]) {
    assert.equal(userIdProblem(raw), NOT_ONE_SEGMENT, raw);
    assert.throws(
      () => parseUserId(raw),
      new ValidationError(`Invalid USER_ID ${JSON.stringify(raw)}: ${NOT_ONE_SEGMENT}`),
      raw,
    );
  }
});

Deno.test("an id over 256 characters is refused, echoed cut at 80", () => {
  const raw = "x".repeat(257);
  assert.equal(userIdProblem(raw), "longer than 256 characters");
  assert.throws(
    () => parseUserId(raw),
    new ValidationError(`Invalid USER_ID "${"x".repeat(80)}": longer than 256 characters`),
  );
});

Deno.test("a pasted secret is refused before anything else, only its prefix echoed", () => {
  const remediation = "Give the user's id, such as usr_abc123: phyware users list prints the ids";
  for (const secret of ["phy_AbCdEf0123456789", "phs_session0token", "phi_invite", "phy_a b/c"]) {
    assert.throws(
      () => parseUserId(secret),
      new ValidationError(
        `Invalid USER_ID "${
          secret.slice(0, 4)
        }...": it looks like a secret (an API key or token), not a user id`,
        { remediation },
      ),
      secret,
    );
  }
});

Deno.test("a character that steers a terminal is escaped where the id is echoed", () => {
  assert.throws(
    () => parseUserId("usr_\u001b[2J"),
    new ValidationError(`Invalid USER_ID "usr_\\u001b[2J": ${NOT_AN_ID}`),
  );
  assert.throws(
    () => parseUserId("a/\u202e"),
    new ValidationError(`Invalid USER_ID "a/\\u202e": ${NOT_ONE_SEGMENT}`),
  );
});

Deno.test("a secret anywhere in a USER_ID (a leading space, Bearer) is refused and never echoed", () => {
  const key = "phy_tAPlGkPsJpR9Hd6Tsh33xWQEbAUX5W0j4qbn1QWEZfQ";
  for (
    const [raw, shown] of [[` ${key}`, '" phy_[redacted]"'], [`Bearer ${key}`, '"Bearer phy_[redacted]"']]
  ) {
    assert.throws(
      () => parseUserId(raw!),
      new ValidationError(
        `Invalid USER_ID ${shown}: it holds a secret (an API key or token), not a user id`,
        { remediation: "Give the user's id, such as usr_abc123: phyware users list prints the ids" },
      ),
    );
  }
});
