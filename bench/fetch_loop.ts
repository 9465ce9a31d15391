/**
 * The runtime floor of the client measurements, with no phyware code: given a path, one GET printed as
 * JSON; without, every page of `GET /v1/users?limit=PAGE_SIZE`, parsed and written out as ndjson. Compiled
 * like the release binary, so its start-up and memory show what the runtime itself costs.
 */
import { PAGE_SIZE } from "../src/api/client.ts";
import { Buffer } from "node:buffer";
import { write } from "node:fs";
import process from "node:process";

const headers = { authorization: `Bearer ${process.env.PHYCLOUD_API_KEY}`, accept: "application/json" };

async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return JSON.parse(await response.text());
}

// Straight to the descriptor: in Bun, process.stdout builds a Node stream on first use (milliseconds).
async function print(text: string): Promise<void> {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    const n = await new Promise<number>((resolve, reject) =>
      write(1, bytes, (e, n) => (e ? reject(e) : resolve(n)))
    );
    bytes = bytes.subarray(n);
  }
}

const one = process.argv[2];
if (one !== undefined) {
  await print(JSON.stringify(await get(`${process.env.PHYCLOUD_URL}${one}`), null, 2) + "\n");
} else {
  const base = `${process.env.PHYCLOUD_URL}/v1/users?limit=${PAGE_SIZE}`;
  let cursor: string | null = null;
  do {
    const page = await get(cursor === null ? base : `${base}&cursor=${cursor}`) as {
      data: unknown[];
      next_cursor: string | null;
    };
    await print(page.data.map((user) => JSON.stringify(user) + "\n").join(""));
    cursor = page.next_cursor;
  } while (cursor !== null);
}
