// Issue 17 section 4: the progress line never garbles output. In a real terminal (tmux), against the real
// server at its default limits with the key's invitation budget spent (so rows wait for the limit while the
// line is drawn): the table's header starts at column 0, streamed NDJSON lines each parse, and with stdout
// piped to a JSON line parser (Ruby's, as `jq -c .`) every line parses. Also bulk deactivate, which shares the same run.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import { startTmux } from "../support/tmux.ts";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../src/server/defaults.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;
// A real line parser on the other end of the pipe, as `jq -c .` would be: Ruby's JSON, which .ci/run installs.
// It fails on the first line that is not one JSON document, and prints each one compact.
const LINE_PARSER = `ruby -rjson -e 'STDIN.each_line { |l| puts JSON.generate(JSON.parse(l)) }'`;
const DEFAULT_LIMITS = {
  rateLimit: DEFAULT_RATE_LIMIT,
  inviteRateLimit: DEFAULT_INVITE_RATE_LIMIT,
  tenantRateLimit: DEFAULT_TENANT_RATE_LIMIT,
  tenantInviteRateLimit: DEFAULT_TENANT_INVITE_RATE_LIMIT,
  authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT,
};

/** The pane's lines after the command line that ends in `# marker`, up to its `marker=CODE` line. */
function outputOf(screen: string, marker: string): string[] {
  const lines = screen.split("\n");
  const start = lines.findIndex((l) => l.endsWith(`# ${marker}`));
  const end = lines.findIndex((l, i) => i > start && l.startsWith(`${marker}=`));
  return lines.slice(start + 1, end);
}

Deno.test(
  "in a real terminal (tmux), bulk invite's progress line never garbles the table, NDJSON or a piped stdout",
  needs(["tmux", "tmux"], ["ruby", "ruby"]),
  async (t) => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using dir = await tempDir("phyware-tty-");
    await using terminal = await startTmux();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    // Spend the key's burst of 60 invitations: what follows goes at one a second, waiting on the limit.
    const burst = join(dir.path, "burst.txt");
    await Deno.writeTextFile(burst, Array.from({ length: 60 }, (_, i) => `burst${i}@example.com`).join("\n"));
    assert.equal((await runCli(["users", "invite", "--from-file", burst, "-o", "id"], { env })).code, 0);
    const phyware = `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=${server.apiKey} NO_COLOR=1 ` +
      `"${Deno.execPath()}" run -A --quiet "${main}"`;
    const file = async (name: string, emails: string[]) => {
      const path = join(dir.path, name);
      await Deno.writeTextFile(path, ["Email,Role", ...emails].join("\n") + "\n");
      return path;
    };

    await t.step("the table: its header at column 0 after the line was drawn and erased", async () => {
      const path = await file("table.csv", [
        "t1@example.com,member",
        "not-an-email,member",
        "t2@example.com,Admin",
        "t3@example.com,superuser",
        "t4@example.com,",
        "also bad,",
        "t5@example.com,member",
        "@nope,",
      ]);
      await terminal.type(`${phyware} users invite --from-file ${path} ; echo "table=$?" # table`);
      // While rows wait for the limit, the progress line shows the count, the wait and the time left.
      const drawn = await terminal.waitFor(
        /Inviting: \d of 8 done, \d failed; rate limited, resuming in 1 s; about \d+ s left/,
      );
      assert.doesNotMatch(drawn, /Inviting: .*\n.*Inviting: /, "one progress line, redrawn in place");
      const screen = await terminal.waitFor(/^table=\d+/m);
      const out = outputOf(screen, "table");
      assert.match(out[0] ?? "", /^LINE +EMAIL +ROLE +RESULT +ID +STATUS +ERROR$/);
      assert.equal(out.length, 10, screen);
      assert.match(out[9] ?? "", /^error: 4 invited, 0 already existed, 4 failed$/);
      assert.ok(out.every((l) => !l.includes("done,")), screen);
      assert.match(screen, /^table=4$/m);
    });

    await t.step(
      "NDJSON on the terminal: the line is erased before each result and drawn after it",
      async () => {
        const path = await file("nd.csv", ["n1@example.com,", "n2@example.com,", "n3@example.com,"]);
        await terminal.type(
          `clear; ${phyware} users invite --from-file ${path} -o ndjson; echo "nd=$?" # nd`,
        );
        const screen = await terminal.waitFor(/^nd=\d+/m);
        const out = outputOf(screen, "nd");
        assert.equal(out.length, 4, screen);
        assert.deepEqual(out.slice(0, 3).map((l) => JSON.parse(l).result), ["invited", "invited", "invited"]);
        assert.equal(out[3], "3 invited, 0 already existed, 0 failed");
        assert.match(screen, /^nd=0$/m);
      },
    );

    await t.step(
      "stdout piped to a JSON line parser (as to jq -c .): every line it prints parses",
      async () => {
        const path = await file("jq.csv", ["j1@example.com,", "bad,", "j2@example.com,", "j3@example.com,"]);
        await terminal.type(
          `clear; ${phyware} users invite --from-file ${path} -o ndjson | ${LINE_PARSER}; echo "jq=\${PIPESTATUS[0]}" # jq`,
        );
        const screen = await terminal.waitFor(/^jq=\d+/m);
        const out = outputOf(screen, "jq");
        // The parser's lines and the error on stderr (its line, and with -o ndjson its JSON object), in whatever
        // order the two processes reach the terminal: each line whole, every one but the summary a JSON document.
        assert.equal(out.length, 6, screen);
        const summary = out.filter((l) => l.startsWith("error: "));
        assert.deepEqual(summary, ["error: 3 invited, 0 already existed, 1 failed"]);
        const docs = out.filter((l) => !l.startsWith("error: ")).map((l) => JSON.parse(l));
        assert.deepEqual(docs.filter((d) => "line" in d).map((d) => d.line), [2, 3, 4, 5]);
        assert.equal(docs.find((d) => "error" in d && !("line" in d))?.error.code, "VALIDATION_ERROR");
        assert.match(screen, /^jq=4$/m);
      },
    );

    await t.step(
      "bulk deactivate --from-file shows the same progress and leaves the table clean",
      async () => {
        const ids =
          (await runCli(["users", "list", "--status", "pending", "-o", "id", "--limit", "5"], { env }))
            .stdout;
        const path = join(dir.path, "ids.txt");
        await Deno.writeTextFile(path, ids);
        await terminal.type(
          `clear; ${phyware} users deactivate --from-file ${path} --yes; echo "deact=$?" # deact`,
        );
        const screen = await terminal.waitFor(/^deact=\d+/m);
        const out = outputOf(screen, "deact");
        assert.match(out[0] ?? "", /^LINE +ID +EMAIL +STATUS +RESULT +ERROR$/);
        assert.equal(out.length, 7, screen);
        assert.equal(out[6], "5 deactivated, 0 already inactive, 0 failed");
        assert.match(screen, /^deact=0$/m);
      },
    );
  },
);
