// End-to-end as a user runs it: phyware as a subprocess, pagination over thousands of users, pipes,
// a real .env file, and the confirmation prompt in a real terminal (tmux).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, runCliProcess } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { startTmux } from "../support/tmux.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("list follows pagination across several pages to the last of 2,500 users", async () => {
  await using server = await startTestServer();
  await server.seedUsers(2500);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const r = await runCli(["users", "list", "-o", "ndjson"], { env });
  assert.equal(r.code, 0, r.stderr);
  const users = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string });
  assert.equal(users.length, 2501);
  assert.equal(new Set(users.map((u) => u.id)).size, 2501);
  const limited = await runCli(["users", "list", "-o", "id", "--limit", "1500"], { env });
  assert.equal(limited.stdout.trimEnd().split("\n").length, 1500);
  assert.deepEqual(limited.stdout.trimEnd().split("\n"), users.slice(0, 1500).map((u) => u.id));
});

Deno.test("as a subprocess: output, exit codes, a real .env file, and a pipe closed by head", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-e2e-");
  await server.seedUsers(3000);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };

  await t.step("invite, then get, with stdout and exit code as a script sees them", async () => {
    const invited = await runCliProcess(["users", "invite", "--email", "proc@example.com", "-o", "id"], {
      env,
    });
    assert.deepEqual([invited.code, invited.stderr], [0, ""]);
    const id = invited.stdout.trim();
    const got = await runCliProcess(["users", "get", id, "-o", "json"], { env });
    assert.equal(got.code, 0);
    assert.equal(JSON.parse(got.stdout).email, "proc@example.com");
    const missing = await runCliProcess(["users", "get", "usr_missing"], { env });
    assert.deepEqual([missing.code, missing.stdout], [3, ""]);
    assert.match(missing.stderr, /^error: User not found - Check USER_ID \(request id: req_\w+\)\n$/);
  });

  await t.step(".env in the working directory is read, and a set variable wins over it", async () => {
    await Deno.writeTextFile(
      join(dir.path, ".env"),
      `PHYCLOUD_URL=${server.url}\nPHYCLOUD_API_KEY=${server.apiKey}\n`,
    );
    const r = await runCliProcess(["users", "list", "-o", "id", "--limit", "3"], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split("\n").length, 3);
    const overridden = await runCliProcess(["users", "list"], {
      cwd: dir.path,
      env: { PHYCLOUD_API_KEY: "phy_wrong" },
    });
    assert.equal(overridden.code, 2);
  });

  await t.step("list piped to head exits cleanly", async () => {
    const script =
      `set -o pipefail; "${Deno.execPath()}" run -A --quiet "${main}" users list -o ndjson | head -n 2`;
    const out = await new Deno.Command("bash", {
      args: ["-c", script],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(stderr, "");
    assert.equal(out.code, 0);
    assert.equal(new TextDecoder().decode(out.stdout).trimEnd().split("\n").length, 2);
  });

  await t.step("with no terminal, deactivate does not prompt", async () => {
    const id = (await runCliProcess(["users", "invite", "--email", "quiet@example.com", "-o", "id"], { env }))
      .stdout.trim();
    const r = await runCliProcess(["users", "deactivate", id], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, new RegExp(`${id}\\s+quiet@example\\.com\\s+inactive\\s+member`));
  });
});

Deno.test("in process with a terminal, deactivate asks first and a no changes nothing", async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const id = (await runCli(["users", "invite", "--email", "tty@example.com", "-o", "id"], { env })).stdout
    .trim();
  const no = await runCli(["users", "deactivate", id], { env, terminal: true, answers: ["n"] });
  assert.equal(no.code, 1);
  assert.deepEqual(no.prompts, [
    `Deactivate tty@example.com (${id})? This revokes all their sessions and API keys and cannot be undone with phyware. [y/N] `,
  ]);
  assert.equal(no.stderr, "error: Cancelled: tty@example.com was not deactivated\n");
  assert.equal(
    JSON.parse((await runCli(["users", "get", id, "-o", "json"], { env })).stdout).status,
    "pending",
  );
  const yes = await runCli(["users", "deactivate", id, "-o", "json"], {
    env,
    terminal: true,
    answers: ["y"],
  });
  assert.equal(yes.code, 0, yes.stderr);
  assert.equal(JSON.parse(yes.stdout).status, "inactive");
  const skipped = await runCli(["users", "deactivate", id, "--yes"], { env, terminal: true });
  assert.deepEqual(skipped.prompts, []);
});

Deno.test(
  "in a real terminal (tmux), deactivate shows the prompt and waits for the answer",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer();
    await using terminal = await startTmux();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    const id = (await runCli(["users", "invite", "--email", "carol@example.com", "-o", "id"], { env }))
      .stdout
      .trim();
    await terminal.type(
      `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=${server.apiKey} NO_COLOR=1 ` +
        `"${Deno.execPath()}" run -A --quiet "${main}" users deactivate ${id}; echo "exit=$?"`,
    );
    await terminal.waitFor(/Deactivate carol@example\.com \(usr_\w+\)\? .*\[y\/N\]/);
    const before = await runCli(["users", "get", id, "-o", "json"], { env });
    assert.equal(JSON.parse(before.stdout).status, "pending");
    await terminal.keys("y", "Enter");
    const text = await terminal.waitFor(/exit=\d+/);
    assert.match(text, /Deactivated carol@example\.com/);
    assert.match(text, /exit=0/);
    const after = await runCli(["users", "get", id, "-o", "json"], { env });
    assert.equal(JSON.parse(after.stdout).status, "inactive");
  },
);
