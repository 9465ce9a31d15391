import assert from "node:assert/strict";
import { join } from "node:path";
import { outboxTransport } from "./transport.ts";
import { tempDir } from "../../../tests/support/temp_dir.ts";

const MAIL = {
  envelopeFrom: "no-reply@example.com",
  to: "alice@example.com",
  raw: "Subject: hi\r\n\r\nhello\r\n",
};

Deno.test("the outbox writes each message 0600 in a folder it makes 0700", async () => {
  await using dir = await tempDir("phyware-outbox-");
  const outbox = join(dir.path, "outbox");
  await outboxTransport(outbox).send(MAIL, "inv_1");
  assert.equal((await Deno.stat(outbox)).mode! & 0o777, 0o700);
  const files = [...Deno.readDirSync(outbox)].map((e) => e.name);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^\d{4}-\d\d-\d\dT[\d-]+Z-inv_1\.eml$/);
  assert.equal((await Deno.stat(join(outbox, files[0]!))).mode! & 0o777, 0o600);
  assert.equal(await Deno.readTextFile(join(outbox, files[0]!)), MAIL.raw);
});

Deno.test("a folder that could not be made is tried again by the next send", async () => {
  await using dir = await tempDir("phyware-outbox-");
  const parent = join(dir.path, "parent");
  await Deno.writeTextFile(parent, "a file where the folder's parent should be");
  const transport = outboxTransport(join(parent, "outbox"));
  await assert.rejects(transport.send(MAIL, "inv_1"));
  await Deno.remove(parent);
  await transport.send(MAIL, "inv_2");
  assert.equal([...Deno.readDirSync(join(parent, "outbox"))].length, 1);
});
