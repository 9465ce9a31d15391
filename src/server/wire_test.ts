import assert from "node:assert/strict";
import { userPageBody } from "./wire.ts";

Deno.test("userPageBody joins stored users into the page's JSON, byte for byte as JSON.stringify would", () => {
  const users = [{ id: "usr_1", email: "zoë@exämple.com" }, { id: "usr_2", email: 'a"b\\c@x.test' }];
  const bytes = users.map((user) => new TextEncoder().encode(JSON.stringify(user)));
  for (const [list, next] of [[bytes, "c_1"], [bytes.slice(0, 1), null], [[], null]] as const) {
    const body = new TextDecoder().decode(userPageBody(list, next));
    const data = users.slice(0, list.length);
    assert.equal(body, JSON.stringify({ data, next_cursor: next }));
  }
});
