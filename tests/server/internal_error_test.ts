import assert from "node:assert/strict";
import { testService } from "./service.ts";

Deno.test("an unexpected failure is a 500 INTERNAL problem with a request id, logged without secrets", async () => {
  await using s = await testService();
  await s.service.store.close();
  const r = await s.callJson<{ code: string; title: string; detail: string; request_id: string }>(
    "GET",
    "/v1/me",
    { token: s.apiKey },
  );
  assert.equal(r.status, 500);
  assert.equal(r.headers.get("content-type"), "application/problem+json");
  assert.deepEqual([r.body.code, r.body.title, r.body.detail], [
    "INTERNAL",
    "Internal Server Error",
    "Internal server error",
  ]);
  assert.equal(r.body.request_id, r.headers.get("x-request-id"));
  const errorLine = s.log.find((line) => line.includes(` error ${r.body.request_id}: `));
  assert.ok(errorLine, s.log.join("\n"));
  assert.ok(!s.log.some((line) => line.includes(s.apiKey.slice(4))));
  assert.match(s.log.at(-1)!, / GET \/v1\/me 500 /);
});
