// `phyware events list` against the real server on loopback, and --follow as a real subprocess stopped by
// SIGINT, as a person stops it with Ctrl-C.
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../support/default_limits.ts";
import { runCli } from "../support/context.ts";
import { startFaultyProxy } from "../support/faulty_proxy.ts";
import { needs } from "../support/programs.ts";
import { startTestServer } from "../support/server.ts";
import { startTmux } from "../support/tmux.ts";

const main = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("events list prints the audit log newest first, filtered, in the users verbs' formats", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const ids: string[] = [];
  for (const email of ["ann@example.com", "ben@example.com"]) {
    ids.push((await runCli(["users", "invite", "--email", email, "-o", "id"], { env })).stdout.trim());
  }
  const deactivated = await runCli(["users", "deactivate", ids[0] ?? "", "-o", "id"], { env });
  assert.equal(deactivated.code, 0, deactivated.stderr);

  const csv = await runCli(["events", "list", "--since", "1h", "-o", "csv", "--fields", "action,target"], {
    env,
  });
  assert.deepEqual([csv.code, csv.stderr], [0, ""]);
  const tenantId = JSON.parse(
    (await runCli(["events", "list", "-o", "json", "--action", "tenant.created"], { env }))
      .stdout,
  )[0].target;
  assert.equal(
    csv.stdout,
    "action,target\r\n" +
      `user.deactivated,${ids[0]}\r\nuser.invited,${ids[1]}\r\nuser.invited,${ids[0]}\r\n` +
      `api_key.created,${
        JSON.parse((await runCli(["api-keys", "list", "-o", "json"], { env })).stdout)[0].id
      }\r\ntenant.created,${tenantId}\r\n`,
  );
  const only = await runCli(["events", "list", "--action", "user.deactivated", "-o", "ndjson"], { env });
  const events = only.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(events.length, 1);
  assert.deepEqual(Object.keys(events[0]), [
    "time",
    "action",
    "actor_user_id",
    "actor_credential_id",
    "target",
    "client_address",
  ]);
  assert.equal(events[0].client_address, "127.0.0.1");
  assert.match(events[0].actor_credential_id, /^key_/);
  const limited = await runCli(["events", "list", "--limit", "2", "-o", "id"], { env });
  assert.equal(limited.stdout.trimEnd().split("\n").length, 2);
  assert.match(limited.stdout, /^evt_\w{22}\nevt_\w{22}\n$/);
  const table = await runCli(["events", "list", "--target", ids[1] ?? ""], { env });
  assert.match(
    table.stdout,
    /^TIME {2,}ACTION {2,}ACTOR_USER_ID {2,}ACTOR_CREDENTIAL_ID {2,}TARGET {2,}CLIENT_ADDRESS\n\S+Z {2}user\.invited {2}usr_\w+ {2}key_\w+ {2}usr_\w+ {2}127\.0\.0\.1\n$/,
  );
});

Deno.test("events list: errors as the users verbs give them", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  await t.step("a key without admin:users exits 2 with the spec's remediation", async () => {
    const member = await server.createKey([]);
    const r = await runCli(["events", "list"], { env: { ...env, PHYCLOUD_API_KEY: member } });
    assert.deepEqual([r.code, r.stdout], [2, ""]);
    assert.match(r.stderr, /^error: Insufficient scope - Ensure admin:users \(request id: req_\w+\)\n$/);
  });
  const cases: Array<[string, string[], string]> = [
    [
      "a --since without a unit",
      ["--since", "60"],
      'error: Invalid --since "60": expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, ' +
      "90d or 2w\n",
    ],
    [
      "--follow with -o json",
      ["--follow", "-o", "json"],
      'error: Invalid --output "json" with --follow: a JSON array never ends - Use -o ndjson with --follow: ' +
      "one JSON object a line\n",
    ],
    [
      "--follow with --limit",
      ["--follow", "--limit", "3"],
      "error: Invalid --limit with --follow: follow never stops\n",
    ],
    [
      "an --interval that would spin",
      ["--follow", "--interval", "5ms"],
      'error: Invalid --interval "5ms": must be at least 100ms\n',
    ],
  ];
  for (const [name, args, stderr] of cases) {
    await t.step(name, async () => {
      const r = await runCli(["events", "list", ...args], { env });
      assert.deepEqual([r.code, r.stdout, r.stderr.split("\n")[0] + "\n"], [4, "", stderr]);
    });
  }
  await t.step("an unknown action is refused before any request", async () => {
    const r = await runCli(["events", "list", "--action", "user.deleted"], { env });
    assert.equal(r.code, 4);
    assert.equal(
      r.stderr,
      'error: Invalid --action "user.deleted": expected one of user.invited, user.deactivated, ' +
        "user.role_changed, invitation.resent, invitation.accepted, api_key.created, api_key.revoked, " +
        "tenant.created, auth.failed\n",
    );
  });
});

/** Reads a child's stdout as it comes; `until` waits for a pattern. */
function lines(
  child: Deno.ChildProcess,
): { text: () => string; until: (pattern: RegExp) => Promise<string> } {
  let text = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += value;
    }
  })();
  return {
    text: () => text,
    async until(pattern) {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern}; stdout:\n${text}`);
        await Promise.race([pump, new Promise((resolve) => setTimeout(resolve, 25))]);
      }
      return text;
    },
  };
}

// `events list --follow --interval 100ms -o ndjson` as its own process, asking `url` (the proxy in front of
// the server) with `key`.
function follower(url: string, key: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", main, "events", "list", "--follow", "--interval", "100ms", "-o", "ndjson"],
    env: {
      PHYCLOUD_URL: url,
      PHYCLOUD_API_KEY: key,
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

// Resolves once a --follow child has polled through `proxy` three times: it is following by then, however slowly
// the loaded machine started it.
async function following(proxy: { seen: string[] }): Promise<void> {
  for (let waited = 0; proxy.seen.length < 3; waited += 20) {
    if (waited > 30_000) throw new Error("events list --follow never polled");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("events list --follow prints new events as they come until SIGINT (a real subprocess)", async () => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const before = (await runCli(["users", "invite", "--email", "old@example.com", "-o", "id"], { env })).stdout
    .trim();
  // Every request passes; the proxy only shows when the child is following (it has polled a few times).
  await using observer = startFaultyProxy(server.url);
  const child = follower(observer.url, server.apiKey);
  const stderr = new Response(child.stderr).text();
  const out = lines(child);
  try {
    // Once it has read where the log stands and follows (a loaded machine starts it slowly), write.
    await following(observer);
    const first = (await runCli(["users", "invite", "--email", "new1@example.com", "-o", "id"], { env }))
      .stdout
      .trim();
    await out.until(new RegExp(first));
    const second = (await runCli(["users", "invite", "--email", "new2@example.com", "-o", "id"], { env }))
      .stdout
      .trim();
    await runCli(["users", "deactivate", second, "-o", "id"], { env });
    await out.until(/user\.deactivated/);
    child.kill("SIGINT");
    const status = await child.status;
    assert.equal(status.signal, "SIGINT");
    assert.equal(status.code, 130);
    const printed = out.text().trimEnd().split("\n").map((line) => JSON.parse(line));
    // Only what happened after it started, oldest first, each once; nothing from before.
    assert.deepEqual(printed.map((e) => [e.action, e.target]), [
      ["user.invited", first],
      ["user.invited", second],
      ["user.deactivated", second],
    ]);
    assert.ok(!out.text().includes(before));
    assert.equal(await stderr, "");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
  }
});

Deno.test("events list --follow --since 1h prints the last hour oldest first, then follows", async () => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const earlier = (await runCli(["users", "invite", "--email", "early@example.com", "-o", "id"], { env }))
    .stdout
    .trim();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      main,
      "events",
      "list",
      "--follow",
      "--since",
      "1h",
      "--interval",
      "100ms",
      "--fields",
      "action,target",
    ],
    env: { ...env, PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out = lines(child);
  try {
    await out.until(new RegExp(earlier));
    const later = (await runCli(["users", "invite", "--email", "later@example.com", "-o", "id"], { env }))
      .stdout
      .trim();
    await out.until(new RegExp(later));
    child.kill("SIGINT");
    await child.status;
    const rows = out.text().trimEnd().split("\n").map((line) => line.split(/\s+/));
    assert.deepEqual(rows[0], ["ACTION", "TARGET"]);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [
      "tenant.created",
      "api_key.created",
      "user.invited",
      "user.invited",
    ]);
    assert.deepEqual(rows.slice(3).map((r) => r[1]), [earlier, later]);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
  }
});

Deno.test("events list --follow rides out a failing gateway, says so once, and goes on printing", async () => {
  await using server = await startTestServer();
  await using proxy = startFaultyProxy(server.url);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const child = follower(proxy.url, server.apiKey);
  const stderr = new Response(child.stderr).text();
  const out = lines(child);
  try {
    await following(proxy);
    // One poll's four attempts (the first and three retries) meet a gateway's 502.
    proxy.inject("502", "502", "502", "502");
    const id = (await runCli(["users", "invite", "--email", "through@example.com", "-o", "id"], { env }))
      .stdout
      .trim();
    await out.until(new RegExp(id));
    child.kill("SIGINT");
    assert.equal((await child.status).signal, "SIGINT");
    assert.deepEqual(out.text().trimEnd().split("\n").map((l) => JSON.parse(l).target), [id]);
    assert.equal(
      await stderr,
      "Server error (HTTP 502); still following, asking again every 100 ms\n" +
        "The service answers again; following\n",
    );
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
  }
});

Deno.test(
  "in a real terminal (tmux), events list --follow prints rows as they come and stops on Ctrl-C",
  needs(["tmux", "tmux"]),
  async () => {
    await using server = await startTestServer(DEFAULT_LIMITS);
    await using terminal = await startTmux();
    const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
    await terminal.type(
      `PHYCLOUD_URL=${server.url} PHYCLOUD_API_KEY=${server.apiKey} NO_COLOR=1 ` +
        `"${Deno.execPath()}" run -A --quiet "${main}" events list --follow --since 1h ` +
        "--fields action,target",
    );
    await terminal.waitFor(/ACTION +TARGET\n(.*\n)*api_key\.created +key_\w+/);
    const id = (await runCli(["users", "invite", "--email", "tty@example.com", "-o", "id"], { env })).stdout
      .trim();
    await terminal.waitFor(new RegExp(`user\\.invited +${id}`));
    await terminal.keys("C-c");
    // Bash drops the rest of a command line whose command died of SIGINT: ask for the status on its own.
    await terminal.waitFor(/\^C\n[^\n]*[#$]/);
    await terminal.type('echo "exit=$?"');
    const text = await terminal.waitFor(/exit=\d+/);
    assert.match(text, /exit=130/);
  },
);
