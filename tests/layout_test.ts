// The rooms of src/ (docs/development.md, "Layout") hold: the wire contract imports nothing, the server and the
// client meet only there and in the email rule, the command line (cli/) is imported by nothing but main.ts, the
// MCP server and the session reach neither the command line nor the server, the store does not reach into the
// HTTP layer, the mail sender reaches the store only through its types, a verb module is imported only by its
// command registration, and no import runs in a circle.
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;
const SRC = join(ROOT, "src");

/** Every module under src/ (tests left out) with the src/ modules it imports, statically or lazily. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(path);
        const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.ts)"/g)]
          .map(([, target]) => relative(SRC, join(dirname(path), target ?? "")));
        graph.set(relative(SRC, path), targets);
      }
    }
  };
  await walk(SRC);
  return graph;
}

const graph = await importGraph();

function importsOf(prefix: string): Array<[string, string]> {
  return [...graph].filter(([file]) => file.startsWith(prefix))
    .flatMap(([file, targets]) => targets.map((target): [string, string] => [file, target]));
}

Deno.test("the wire contract imports nothing", () => {
  assert.deepEqual(importsOf("wire/").filter(([, target]) => !target.startsWith("wire/")), []);
});

Deno.test("the server imports only the server, the contract, the email rule, the runtime, the Context, the version", () => {
  const allowed = ["server/", "wire/", "email/", "runtime/", "context.ts", "version.ts"];
  assert.deepEqual(
    importsOf("server/").filter(([, target]) => !allowed.some((room) => target.startsWith(room))),
    [],
  );
});

Deno.test("the client imports nothing of the server, the session, the command line or the MCP server", () => {
  const forbidden = ["server/", "session/", "cli/", "mcp/"];
  assert.deepEqual(
    importsOf("api/").filter(([, target]) => forbidden.some((room) => target.startsWith(room))),
    [],
  );
});

Deno.test("nothing below the command line imports it", () => {
  assert.deepEqual(
    importsOf("").filter(([file, target]) => !file.startsWith("cli/") && target.startsWith("cli/")),
    [],
  );
});

Deno.test("the MCP server and the session import nothing of the server, and the session nothing of MCP", () => {
  assert.deepEqual(
    [...importsOf("mcp/"), ...importsOf("session/"), ...importsOf("arguments/")]
      .filter(([file, target]) =>
        target.startsWith("server/") || (!file.startsWith("mcp/") && target.startsWith("mcp/"))
      ),
    [],
  );
});

Deno.test("the store does not reach into the HTTP layer", () => {
  const http = /^server\/(app|auth|body|call|email|host|problem|request_log)\.ts$|^server\/routes\//;
  assert.deepEqual(importsOf("server/store/").filter(([, target]) => http.test(target)), []);
});

Deno.test("the mail sender reaches the store only through its types (the outbox interface)", () => {
  assert.deepEqual(
    importsOf("server/mail/").filter(([, target]) =>
      target.startsWith("server/store/") && target !== "server/store/types.ts"
    ),
    [],
  );
});

Deno.test("the app (the route table) is imported only by the service that serves it", () => {
  assert.deepEqual(
    [...graph].filter(([file, targets]) => targets.includes("server/app.ts") && file !== "server/mod.ts"),
    [],
  );
});

Deno.test("a verb module is imported only by its command registration", async () => {
  const verbs: string[] = [];
  for (const [file] of graph) {
    if (!file.startsWith("cli/commands/")) continue;
    if (/^export async function run[A-Z]/m.test(await Deno.readTextFile(join(SRC, file)))) verbs.push(file);
  }
  assert.ok(verbs.includes("cli/commands/users/invite.ts") && verbs.includes("cli/commands/auth/login.ts"));
  const registration = (verb: string) =>
    new Set([join(dirname(verb), "mod.ts"), join(dirname(verb), "fast.ts")]);
  const stray = [...graph].flatMap(([file, targets]) =>
    targets.filter((target) => verbs.includes(target) && !registration(target).has(file))
      .map((target) => `${file} imports ${target}`)
  );
  assert.deepEqual(stray, []);
});

Deno.test("no import runs in a circle", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
