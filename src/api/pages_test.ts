import assert from "node:assert/strict";
import { ConnectionError } from "../errors.ts";
import { cursorPages } from "./pages.ts";

Deno.test("cursorPages follows next_cursor until it is null, asking with each cursor in turn", async () => {
  const asked: Array<string | undefined> = [];
  const book: Record<string, { data: number[]; next_cursor: string | null }> = {
    "": { data: [1, 2], next_cursor: "b" },
    b: { data: [3], next_cursor: "c" },
    c: { data: [], next_cursor: null },
  };
  const pages: number[][] = [];
  for await (
    const page of cursorPages((cursor) => (asked.push(cursor), Promise.resolve(book[cursor ?? ""]!)), "x")
  ) {
    pages.push(page);
  }
  assert.deepEqual([pages, asked], [[[1, 2], [3], []], [undefined, "b", "c"]]);
});

Deno.test("cursorPages stops with an Unexpected response error when the server repeats a cursor", async () => {
  const loop = cursorPages(() => Promise.resolve({ data: [1], next_cursor: "same" }), "http://h");
  await assert.rejects(
    async () => {
      for await (const _ of loop) { /* the second "same" ends it */ }
    },
    new ConnectionError("Unexpected response from http://h: the cursor repeats"),
  );
});
