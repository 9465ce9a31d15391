import assert from "node:assert/strict";
import { PageCache } from "./page_cache.ts";

const page = (name: string, size: number) => ({ name, size });

Deno.test("a page is served only under the stamp it was read at; a new stamp empties the cache", () => {
  const cache = new PageCache<{ name: string; size: number }>(1000);
  cache.set("a", page("a", 10), "1:0");
  cache.set("b", page("b", 10), "1:0");
  assert.equal(cache.get("a", "1:0")?.name, "a");
  assert.equal(cache.get("a", "1:1"), undefined, "this process wrote");
  assert.deepEqual(cache.stats, { pages: 0, bytes: 0 });
  cache.set("a", page("a2", 10), "1:1");
  assert.equal(cache.get("a", "2:1"), undefined, "another connection committed");
  assert.equal(cache.get("b", "2:1"), undefined);
});

Deno.test("the least recently used pages go first, and a page over a quarter of the budget is not kept", () => {
  const cache = new PageCache<{ name: string; size: number }>(100);
  for (const name of ["a", "b", "c", "d"]) cache.set(name, page(name, 25), "s");
  assert.equal(cache.get("a", "s")?.name, "a"); // a is now the most recent
  cache.set("e", page("e", 25), "s");
  assert.equal(cache.get("b", "s"), undefined, "b was the least recently used");
  assert.deepEqual(["a", "c", "d", "e"].map((name) => cache.get(name, "s")?.name), ["a", "c", "d", "e"]);
  assert.deepEqual(cache.stats, { pages: 4, bytes: 100 });
  cache.set("big", page("big", 26), "s");
  assert.equal(cache.get("big", "s"), undefined);
  cache.set("c", page("c2", 5), "s");
  assert.deepEqual(cache.stats, { pages: 4, bytes: 80 });
  assert.equal(new PageCache<{ size: number }>(0).get("x", "s"), undefined);
});
