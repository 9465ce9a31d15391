/**
 * The runtime floor of the big-tenant listing: the same pages fetched with the runtime's bare `fetch`,
 * parsed and written out as ndjson, with no phyware code. Compiled like the release binary, so its
 * start-up and memory show what the runtime itself costs.
 */
import process from "node:process";

const base = `${process.env.PHYCLOUD_URL}/v1/users?limit=1000`;
const headers = { authorization: `Bearer ${process.env.PHYCLOUD_API_KEY}`, accept: "application/json" };
let cursor: string | null = null;
do {
  const response: Response = await fetch(cursor === null ? base : `${base}&cursor=${cursor}`, { headers });
  if (!response.ok) throw new Error(`GET ${base} answered ${response.status}`);
  const page = JSON.parse(await response.text()) as { data: unknown[]; next_cursor: string | null };
  const text = page.data.map((user) => JSON.stringify(user) + "\n").join("");
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => (e ? reject(e) : resolve()))
  );
  cursor = page.next_cursor;
} while (cursor !== null);
