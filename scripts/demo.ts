/**
 * `deno task demo`: starts a throwaway phyware server (in-memory database, free loopback port), then runs
 * invite, list, get and deactivate against it as a user would, showing each command and its output.
 */
import { randomBytes } from "node:crypto";
import { startServerProcess } from "./server_process.ts";

const main = new URL("../main.ts", import.meta.url).pathname;
const decoder = new TextDecoder();
const apiKey = "phy_demo" + randomBytes(24).toString("hex");
const outbox = await Deno.makeTempDir({ prefix: "phyware-demo-" });
const env = { NO_COLOR: "1" };

await using server = await startServerProcess({
  args: ["--outbox", outbox],
  env: { ...env, PHYCLOUD_BOOTSTRAP_API_KEY: apiKey },
});
const url = server.url;
console.log(`A throwaway phyware server is listening on ${url} (in-memory database).`);
console.log("The commands below find it through PHYCLOUD_URL and PHYCLOUD_API_KEY.\n");

try {
  const invited = await show(["users", "invite", "--email", "alice@example.com"]);
  await show(["users", "invite", "--email", "bob@example.com", "--role", "admin"]);
  const id = invited.split("\n")[1]?.split(/\s+/)[0] ?? "";
  await show(["users", "list"]);
  await show(["users", "list", "--output", "json"]);
  await show(["users", "get", id]);
  await show(["users", "deactivate", id, "--yes"]);
  await show(["users", "get", "usr_doesnotexist"]);
  await show(["users", "invite", "--email", "bob@example.com"]);
  const mails = [...Deno.readDirSync(outbox)].filter((e) => e.name.endsWith(".eml")).length;
  console.log(
    `The server wrote ${mails} invitation emails to ${outbox} (it has no SMTP server in the demo).`,
  );
} finally {
  await server.stop();
  await Deno.remove(outbox, { recursive: true });
}

async function show(args: string[]): Promise<string> {
  console.log(`$ phyware ${args.join(" ")}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", main, ...args],
    env: { ...env, PHYCLOUD_URL: url, PHYCLOUD_API_KEY: apiKey },
    stdin: "null",
  }).output();
  const stdout = decoder.decode(out.stdout);
  await Deno.stdout.write(out.stdout);
  await Deno.stdout.write(out.stderr);
  console.log(`(exit code ${out.code})\n`);
  return stdout;
}
