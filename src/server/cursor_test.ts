import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeCursor, encodeCursor } from "./cursor.ts";

const scope = { tenantId: "ten_a", status: undefined, role: "admin" };

Deno.test("a cursor decodes to its position only with its tenant, filters and secret", () => {
  const cursor = encodeCursor("s1", scope, 12345);
  assert.match(cursor, /^[A-Za-z0-9_-]{48}$/);
  assert.equal(decodeCursor("s1", scope, cursor), 12345);
  assert.throws(() => decodeCursor("s2", scope, cursor), /Invalid "cursor"/);
  assert.throws(() => decodeCursor("s1", { ...scope, tenantId: "ten_b" }, cursor), /Invalid "cursor"/);
  assert.throws(() => decodeCursor("s1", { ...scope, role: undefined }, cursor), /Invalid "cursor"/);
  assert.throws(() => decodeCursor("s1", { ...scope, status: "active" }, cursor), /Invalid "cursor"/);
});

Deno.test("every single-character change of a cursor is refused", () => {
  const cursor = encodeCursor("s1", scope, 7);
  for (let i = 0; i < cursor.length; i++) {
    const changed = cursor.slice(0, i) + (cursor[i] === "A" ? "B" : "A") + cursor.slice(i + 1);
    assert.throws(() => decodeCursor("s1", scope, changed), /Invalid "cursor"/, `position ${i}`);
  }
});

Deno.test("a cursor hides its position: random each time, the row number nowhere in its bytes", async (t) => {
  for (const seq of [1234567, 987654321]) {
    await t.step(String(seq), () => {
      const a = encodeCursor("s1", scope, seq);
      const b = encodeCursor("s1", scope, seq);
      assert.notEqual(a, b);
      assert.equal(decodeCursor("s1", scope, a), seq);
      assert.equal(decodeCursor("s1", scope, b), seq);
      for (const cursor of [a, b]) {
        const bytes = Buffer.from(cursor, "base64url");
        assert.ok(!bytes.toString("latin1").includes(String(seq)), "the seq in ASCII");
        const be = Buffer.alloc(8);
        be.writeBigUInt64BE(BigInt(seq));
        assert.ok(!bytes.includes(be.subarray(be.findIndex((x) => x !== 0))), "the seq in binary");
      }
    });
  }
});
