// End-to-end: bulk deactivate (several ids, --from-file) against the real server: --yes off a terminal,
// the one confirmation on a terminal, per-id results in order, already_inactive, and exit codes. Issue 19
// defect 4: every id is checked before any request (a bad one stops the file, as a malformed row stops bulk
// invite), a repeated id is `duplicate` without a request, and the confirmation's look-ups are paced.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";

/** A fetch that notes each request it passes on, as "METHOD /path STATUS". */
function recordingFetch(): { fetch: typeof fetch; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      const url = new URL(input instanceof Request ? input.url : String(input));
      seen.push(`${method} ${url.pathname} ${response.status}`);
      return response;
    },
  };
}

Deno.test("bulk deactivate: several ids or a file of ids, one result each, --yes off a terminal", async (t) => {
  await using server = await startTestServer();
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const invite = async (email: string) =>
    (await runCli(["users", "invite", "--email", email, "-o", "id"], { env })).stdout.trim();
  const [a, b, c] = [
    await invite("a@example.com"),
    await invite("b@example.com"),
    await invite("c@example.com"),
  ];
  const statusOf = async (id: string) =>
    JSON.parse((await runCli(["users", "get", id, "-o", "json"], { env })).stdout).status;

  await t.step(
    "without a terminal, more than one id needs --yes: exit 4 before anything is sent",
    async () => {
      const r = await runCli(["users", "deactivate", a, b], { env });
      assert.deepEqual([r.code, r.stdout], [4, ""]);
      assert.equal(
        r.stderr,
        "error: Deactivating 2 users needs --yes when there is no terminal to confirm on\n",
      );
      assert.equal(await statusOf(a), "pending");
    },
  );

  await t.step(
    "on a terminal, one confirmation names the count and the emails; no changes nothing",
    async () => {
      const r = await runCli(["users", "deactivate", a, b], { env, terminal: true, answers: ["n"] });
      assert.equal(r.code, 1);
      assert.deepEqual(r.prompts, [
        "Deactivate 2 users (a@example.com, b@example.com)? This revokes all their sessions and API keys and cannot " +
        "be undone with phyware. [y/N] ",
      ]);
      assert.equal(await statusOf(b), "pending");
    },
  );

  await t.step("--yes: one result per id in order; an unknown id fails alone with exit 3", async () => {
    const r = await runCli(["users", "deactivate", a, "usr_nobody", b, "--yes", "-o", "ndjson"], { env });
    assert.equal(r.code, 3);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((row) => [row.line, row.id, row.result]), [
      [1, a, "deactivated"],
      [2, "usr_nobody", "failed"],
      [3, b, "deactivated"],
    ]);
    assert.deepEqual(Object.keys(rows[0]), ["line", "id", "email", "status", "result", "error"]);
    assert.equal(rows[1].error.code, "NOT_FOUND");
    assert.equal(r.stderr.split("\n")[0], "error: 2 deactivated, 0 already inactive, 1 failed");
  });

  await t.step("--from-file - with ids as -o id prints them; already inactive is not a failure", async () => {
    const r = await runCli(["users", "deactivate", "--from-file", "-", "--yes", "-o", "json"], {
      env,
      stdin: `${a}\n\n${c}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).map((row: { line: number; result: string }) => [row.line, row.result]),
      [
        [1, "already_inactive"],
        [3, "deactivated"],
      ],
    );
    assert.equal(r.stderr, "1 deactivated, 1 already inactive, 0 failed\n");
    assert.equal(await statusOf(c), "inactive");
  });

  await t.step("a single id behaves exactly as before", async () => {
    const d = await invite("d@example.com");
    const r = await runCli(["users", "deactivate", d], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^ID +EMAIL +STATUS +ROLE\n${d} +d@example\\.com +inactive +member\n$`),
    );
    assert.equal(
      (await runCli(["users", "deactivate"], { env })).stderr,
      'error: Missing required argument "USER_ID"\n',
    );
  });
});

Deno.test("bulk deactivate checks every id before any request; a repeated id is duplicate, unsent", async (t) => {
  await using server = await startTestServer();
  await using dir = await tempDir("phyware-bulk-deact-");
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const invite = async (email: string) =>
    (await runCli(["users", "invite", "--email", email, "-o", "id"], { env })).stdout.trim();
  const [a, b] = [await invite("a@example.com"), await invite("b@example.com")];
  const statuses = async () =>
    JSON.parse((await runCli(["users", "list", "--role", "member", "-o", "json"], { env })).stdout)
      .map((u: { email: string; status: string }) => `${u.email} ${u.status}`).sort();
  const file = async (name: string, text: string) => {
    const path = join(dir.path, name);
    await Deno.writeTextFile(path, text);
    return path;
  };
  const bad = await file("bad.txt", `${a}\n${b}\nbad/id\n${a}\n`);
  const badIdError =
    "error: Invalid --from-file at line 3: not a user id (an identifier has no '/', '\\', '?', " +
    "'#' or '%' and is not '.' or '..') - Give one user id a line, as phyware users list -o id prints them\n";

  await t.step("a bad id at line 3: exit 4 naming the line, and not one request", async () => {
    for (const extra of [["--yes"], ["--yes", "-o", "ndjson"], ["--dry-run"]]) {
      const net = recordingFetch();
      const r = await runCli(["users", "deactivate", "--from-file", bad, ...extra], {
        env,
        fetch: net.fetch,
      });
      assert.deepEqual([r.code, r.stdout], [4, ""], extra.join(" "));
      // With -o ndjson the error is also one JSON object, as for every command.
      const json = JSON.stringify({
        error: {
          code: "VALIDATION_ERROR",
          message: badIdError.slice("error: ".length, badIdError.indexOf(" - Give")),
          remediation: "Give one user id a line, as phyware users list -o id prints them",
          status: null,
          request_id: null,
        },
      });
      assert.equal(r.stderr, extra.includes("ndjson") ? `${badIdError}${json}\n` : badIdError);
      assert.deepEqual(net.seen, []);
    }
    assert.deepEqual(await statuses(), ["a@example.com pending", "b@example.com pending"]);
  });

  await t.step(
    "a CSV or NDJSON export given as a list of ids: exit 4 at its first line, nothing sent",
    async () => {
      const csv = await file(
        "export.csv",
        (await runCli(["users", "list", "-o", "csv", "--fields", "id"], { env })).stdout,
      );
      const ndjson = await file(
        "export.ndjson",
        (await runCli(["users", "list", "-o", "ndjson"], { env })).stdout,
      );
      for (const path of [csv, ndjson]) {
        const net = recordingFetch();
        const r = await runCli(["users", "deactivate", "--from-file", path, "--yes"], {
          env,
          fetch: net.fetch,
        });
        assert.deepEqual([r.code, r.stdout, net.seen], [4, "", []], path);
        assert.equal(
          r.stderr,
          "error: Invalid --from-file at line 1: not a user id (it looks like CSV or JSON, or a header) - " +
            "Give one user id a line, as phyware users list -o id prints them\n",
        );
      }
      assert.deepEqual(await statuses(), ["a@example.com pending", "b@example.com pending"]);
    },
  );

  await t.step("on a terminal, the bad file is refused before the confirmation", async () => {
    const net = recordingFetch();
    const r = await runCli(["users", "deactivate", "--from-file", bad], {
      env,
      terminal: true,
      answers: ["y"],
      fetch: net.fetch,
    });
    assert.deepEqual([r.code, r.prompts, net.seen], [4, [], []]);
    assert.equal(r.stderr, badIdError);
    assert.deepEqual(await statuses(), ["a@example.com pending", "b@example.com pending"]);
  });

  await t.step("a bad USER_ID among several: exit 4 as for one, and not one request", async () => {
    const net = recordingFetch();
    const r = await runCli(["users", "deactivate", a, "bad/id", b, "--yes"], { env, fetch: net.fetch });
    assert.deepEqual([r.code, r.stdout, net.seen], [4, "", []]);
    assert.equal(
      r.stderr,
      `error: Invalid USER_ID "bad/id": an identifier has no '/', '\\', '?', '#' or '%' and is not '.' or ` +
        "'..'\n",
    );
    assert.deepEqual(await statuses(), ["a@example.com pending", "b@example.com pending"]);
  });

  const repeated = await file("repeated.txt", `${a}\n${b}\n\n${a}\n`);

  await t.step("the confirmation counts and names each user once, one look-up each", async () => {
    const net = recordingFetch();
    const r = await runCli(["users", "deactivate", "--from-file", repeated], {
      env,
      terminal: true,
      answers: ["n"],
      fetch: net.fetch,
    });
    assert.equal(r.code, 1);
    assert.deepEqual(r.prompts, [
      "Deactivate 2 users (a@example.com, b@example.com)? This revokes all their sessions and API keys and " +
      "cannot be undone with phyware. [y/N] ",
    ]);
    assert.deepEqual(net.seen, [`GET /v1/users/${a} 200`, `GET /v1/users/${b} 200`]);
  });

  await t.step("--dry-run: the repeated id is duplicate, naming line 1, and is not looked up", async () => {
    const net = recordingFetch();
    const r = await runCli(["users", "deactivate", "--from-file", repeated, "--dry-run", "-o", "csv"], {
      env,
      fetch: net.fetch,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "line,id,email,status,result,error\r\n" +
        `1,${a},a@example.com,pending,would_deactivate,\r\n` +
        `2,${b},b@example.com,pending,would_deactivate,\r\n` +
        `4,${a},,,duplicate,DUPLICATE: Same user id as line 1\r\n`,
    );
    assert.equal(r.stderr, "Dry run: nothing was changed\n");
    assert.deepEqual(net.seen, [`GET /v1/users/${a} 200`, `GET /v1/users/${b} 200`]);
  });

  await t.step("--yes: one result per line, the repeat not sent; -o id prints each user once", async () => {
    const net = recordingFetch();
    const r = await runCli(["users", "deactivate", "--from-file", repeated, "--yes", "-o", "ndjson"], {
      env,
      fetch: net.fetch,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)), [
      { line: 1, id: a, email: "a@example.com", status: "inactive", result: "deactivated", error: null },
      { line: 2, id: b, email: "b@example.com", status: "inactive", result: "deactivated", error: null },
      {
        line: 4,
        id: a,
        email: null,
        status: null,
        result: "duplicate",
        error: {
          code: "DUPLICATE",
          message: "Same user id as line 1",
          remediation: "Line 1 deactivates it; this row was not sent",
        },
      },
    ]);
    assert.equal(r.stderr, "2 deactivated, 0 already inactive, 1 duplicate, 0 failed\n");
    assert.deepEqual(
      net.seen.toSorted(),
      [
        `GET /v1/users/${a} 200`,
        `GET /v1/users/${b} 200`,
        `POST /v1/users/${a}/deactivate 200`,
        `POST /v1/users/${b}/deactivate 200`,
      ].toSorted(),
    );
    assert.deepEqual(await statuses(), ["a@example.com inactive", "b@example.com inactive"]);
    // -o id prints the users: not the repeat, nor the id that names nobody.
    const ids = await runCli(["users", "deactivate", a, b, a, "usr_nobody", "--yes", "-o", "id"], { env });
    assert.deepEqual([ids.code, ids.stdout], [3, `${a}\n${b}\n`]);
    assert.equal(
      ids.stderr.split("\n")[0],
      "error: 0 deactivated, 2 already inactive, 1 duplicate, 1 failed",
    );
  });
});

Deno.test("the confirmation's look-ups are paced: a spent limit is not hit, and --max-wait bounds the wait", async () => {
  // Two requests a minute per key: the third look-up would be refused, and --max-wait 1s cannot wait for it.
  await using server = await startTestServer({ rateLimit: 2 });
  await server.seedUsers(3);
  const listed = await runCli(["users", "list", "--role", "member", "-o", "json"], {
    env: { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey },
  });
  const users: Array<{ id: string; email: string }> = JSON.parse(listed.stdout);
  assert.equal(users.length, 3, listed.stderr);
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: await server.createKey(["admin:users"]) };
  const net = recordingFetch();
  const r = await runCli(
    ["users", "deactivate", ...users.map((u) => u.id), "--concurrency", "1", "--max-wait", "1s"],
    { env, terminal: true, answers: ["n"], fetch: net.fetch },
  );
  assert.equal(r.code, 1);
  const [first, second, third] = users;
  assert.deepEqual(r.prompts, [
    `Deactivate 3 users (${first?.email}, ${second?.email}, ${third?.id})? This revokes all their sessions and ` +
    "API keys and cannot be undone with phyware. [y/N] ",
  ]);
  assert.deepEqual(net.seen, [`GET /v1/users/${first?.id} 200`, `GET /v1/users/${second?.id} 200`]);
});
