// Issue 17 section 3: CSV and NDJSON as people export them, against the real server at its default limits:
// a Google Workspace export, an Okta export (login), a `;`-separated Excel file with a BOM and CRLF, NDJSON
// {"Email": ...}, a plain list of addresses; roles in any case; duplicate mailboxes; --fields and -o id.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../support/context.ts";
import { startTestServer } from "../support/server.ts";
import { tempDir } from "../support/temp_dir.ts";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../src/server/defaults.ts";

const DEFAULT_LIMITS = {
  rateLimit: DEFAULT_RATE_LIMIT,
  inviteRateLimit: DEFAULT_INVITE_RATE_LIMIT,
  tenantRateLimit: DEFAULT_TENANT_RATE_LIMIT,
  tenantInviteRateLimit: DEFAULT_TENANT_INVITE_RATE_LIMIT,
  authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT,
};

const ndjson = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));

Deno.test("bulk invite reads real exports: Google Workspace, Okta, Excel ;+BOM+CRLF, NDJSON, a plain list", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await using dir = await tempDir("phyware-exports-");
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const write = async (name: string, content: string | Uint8Array) => {
    const path = join(dir.path, name);
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    return path;
  };
  const invite = (path: string, ...more: string[]) =>
    runCli(["users", "invite", "--from-file", path, "-o", "ndjson", ...more], { env });

  await t.step(
    "Google Workspace: Email Address [Required], a quoted name across two lines, Role Admin",
    async () => {
      const path = await write(
        "google.csv",
        "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Role\n" +
          "Grace,Hopper,grace@example.com,****,/,Admin\n" +
          '"Alan\nMathison",Turing,alan@example.com,****,/,\n' +
          'Ada,"Lovelace, Countess",ada@example.com,****,/,MEMBER\n',
      );
      const r = await invite(path);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(ndjson(r.stdout).map((x) => [x.line, x.email, x.role, x.result]), [
        [2, "grace@example.com", "admin", "invited"],
        [3, "alan@example.com", "member", "invited"],
        [5, "ada@example.com", "member", "invited"],
      ]);
    },
  );

  await t.step("Okta: the login column is the address", async () => {
    const path = await write(
      "okta.csv",
      "login,firstName,lastName,status,created\n" +
        "okta.one@example.com,One,Okta,ACTIVE,2024-01-02T03:04:05.000Z\n" +
        "okta.two@example.com,Two,Okta,PROVISIONED,2024-01-02T03:04:05.000Z\n",
    );
    const r = await invite(path);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ndjson(r.stdout).map((x) => [x.email, x.result]), [
      ["okta.one@example.com", "invited"],
      ["okta.two@example.com", "invited"],
    ]);
  });

  await t.step("Excel in a ; locale: BOM, CRLF, E-mail and User Role headers, quoted fields", async () => {
    const text =
      '\uFEFFName;E-mail;User Role\r\n"Müller; Jörg";joerg@example.com;Admin\r\n\r\nKim;"kim@example.com";\r\n';
    const path = await write("excel.csv", new TextEncoder().encode(text));
    const r = await invite(path);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ndjson(r.stdout).map((x) => [x.line, x.email, x.role, x.result]), [
      [2, "joerg@example.com", "admin", "invited"],
      [4, "kim@example.com", "member", "invited"],
    ]);
  });

  await t.step("a tab-separated file with email_address", async () => {
    const path = await write("tabs.tsv", "name\temail_address\nTab\ttab@example.com\n");
    const r = await invite(path);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(ndjson(r.stdout)[0].email, "tab@example.com");
  });

  await t.step('NDJSON with {"Email": ..., "Role": ...}', async () => {
    const path = await write(
      "people.ndjson",
      '{"Email": "nd1@example.com", "Role": "Admin"}\n{"Email": "nd2@example.com"}\n',
    );
    const r = await invite(path);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ndjson(r.stdout).map((x) => [x.email, x.role, x.result]), [
      ["nd1@example.com", "admin", "invited"],
      ["nd2@example.com", "member", "invited"],
    ]);
  });

  await t.step("a plain list of addresses (no header), with roles in a second column", async () => {
    const path = await write("list.txt", "list1@example.com\nlist2@example.com,admin\n");
    const r = await invite(path);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ndjson(r.stdout).map((x) => [x.line, x.email, x.role]), [
      [1, "list1@example.com", "member"],
      [2, "list2@example.com", "admin"],
    ]);
  });

  await t.step("several email columns: exit 4 naming them; --email-column chooses", async () => {
    const path = await write("two.csv", "Email,Mail,Name\ntwo1@example.com,other@example.com,Two\n");
    const r = await invite(path);
    assert.deepEqual([r.code, r.stdout], [4, ""]);
    assert.match(
      r.stderr,
      /^error: Invalid --from-file at line 1: several columns could be it: "Email", "Mail"; choose with --email-column - /,
    );
    const chosen = await invite(path, "--email-column", "mail");
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal(ndjson(chosen.stdout)[0].email, "other@example.com");
  });

  await t.step(
    "duplicate mailboxes (case, NFC, IDN) are reported with the earlier line, in dry runs too",
    async () => {
      const path = await write(
        "dupes.csv",
        "email\nDup@Example.com\ndup@example.com\nz\u00fcrich@m\u00fcnchen.example\nzu\u0308rich@xn--mnchen-3ya.example\n",
      );
      for (const dry of [true, false]) {
        const r = await invite(path, ...(dry ? ["--dry-run"] : []));
        assert.equal(r.code, 0, r.stderr);
        const rows = ndjson(r.stdout);
        assert.deepEqual(rows.map((x) => [x.line, x.result, x.error?.message ?? null]), [
          [2, dry ? "would_invite" : "invited", null],
          [3, "duplicate", "Same mailbox as line 2"],
          [4, dry ? "would_invite" : "invited", null],
          [5, "duplicate", "Same mailbox as line 4"],
        ]);
      }
      const list = JSON.parse((await runCli(["users", "list", "-o", "json"], { env })).stdout);
      assert.equal(list.filter((u: { email: string }) => /dup@|rich@/i.test(u.email)).length, 2);
    },
  );

  await t.step("an unknown role fails its row the same way in --dry-run and in a real run", async () => {
    const path = await write("roles.csv", "email,role\nsu@example.com,superuser\nok@example.com,Member\n");
    const dry = await invite(path, "--dry-run");
    const real = await invite(path);
    for (const r of [dry, real]) {
      assert.equal(r.code, 4);
      const [bad] = ndjson(r.stdout);
      assert.deepEqual(bad.error, {
        code: "VALIDATION_ERROR",
        message: 'Invalid "role" "superuser": expected one of "admin", "member"',
        remediation: null,
      });
    }
    assert.equal(ndjson(real.stdout)[1].result, "invited");
  });

  await t.step(
    "--fields picks bulk result fields; -o id prints ids; --fields with -o id exits 4",
    async () => {
      const path = await write("fields.csv", "email\nf1@example.com\nf2@example.com\nbad\n");
      const r = await runCli([
        "users",
        "invite",
        "--from-file",
        path,
        "--fields",
        "email,result",
        "-o",
        "csv",
      ], { env });
      assert.equal(r.code, 4);
      assert.equal(
        r.stdout,
        "email,result\r\nf1@example.com,invited\r\nf2@example.com,invited\r\nbad,failed\r\n",
      );
      const fresh = await write("fresh.csv", "email\nid1@example.com\nbad\nid2@example.com\n");
      const ids = await runCli(["users", "invite", "--from-file", fresh, "-o", "id"], { env });
      assert.equal(ids.code, 4);
      assert.match(ids.stdout, /^usr_\w+\nusr_\w+\n$/, "one id a line for the rows that have one");
      // Run again: the rows exist, and -o id prints the existing users' ids, in the same order.
      const again = await runCli(["users", "invite", "--from-file", fresh, "-o", "id"], { env });
      assert.equal(again.stdout, ids.stdout);
      const exists = await runCli(["users", "invite", "--from-file", fresh, "-o", "ndjson"], { env });
      assert.deepEqual(
        ndjson(exists.stdout).map((x) => [x.result, x.id, x.status]),
        [["exists", ids.stdout.split("\n")[0], "pending"], ["failed", null, null], [
          "exists",
          ids.stdout.split("\n")[1],
          "pending",
        ]],
      );
      const both = await runCli(["users", "invite", "--from-file", path, "-o", "id", "--fields", "id"], {
        env,
      });
      assert.equal(both.code, 4);
      assert.equal(both.stderr, "error: Use --fields or -o id, not both: -o id prints ids only\n");
      const unknown = await runCli(["users", "invite", "--from-file", path, "--fields", "nope"], { env });
      assert.equal(unknown.code, 4);
      assert.match(
        unknown.stderr,
        /^error: Invalid --fields "nope": unknown field "nope" - Fields of bulk results: line, email, role, result, id, status, error\n$/,
      );
    },
  );

  await t.step("--concurrency and --max-wait are checked whatever the number of rows", async () => {
    for (const args of [["--concurrency", "0"], ["--concurrency", "abc"], ["--concurrency", "17"]]) {
      const r = await runCli(["users", "invite", "--email", "one@example.com", ...args], { env });
      assert.equal(r.code, 4);
      assert.equal(r.stderr, `error: Invalid --concurrency "${args[1]}": expected 1 to 16\n`);
    }
    const wait = await runCli(["users", "invite", "--email", "one@example.com", "--max-wait", "soon"], {
      env,
    });
    assert.equal(wait.code, 4);
    assert.match(wait.stderr, /^error: Invalid --max-wait "soon": expected a duration/);
  });
});

Deno.test("--from-file errors name a line or a count, never the file's content (it may be a secret)", async (t) => {
  await using server = await startTestServer(DEFAULT_LIMITS);
  await using dir = await tempDir("phyware-secret-");
  const env = { PHYCLOUD_URL: server.url, PHYCLOUD_API_KEY: server.apiKey };
  const secret = "phy_0123456789abcdefghijABCDEFGHIJ0123456789";
  await t.step("a .env file given by mistake", async () => {
    const path = join(dir.path, ".env");
    await Deno.writeTextFile(path, `PHYCLOUD_API_KEY=${secret}\nPHYCLOUD_URL=http://x\n`);
    const r = await runCli(["users", "invite", "--from-file", path], { env });
    assert.equal(r.code, 4);
    assert.ok(!r.stderr.includes(secret) && !r.stderr.includes("0123456789"), r.stderr);
    assert.match(
      r.stderr,
      /^error: Invalid --from-file at line 1: none of the header's 1 columns is an email column/,
    );
  });
  await t.step(
    "standard input for both --from-file and --api-key-file is refused before reading either",
    async () => {
      for (const verb of [["invite"], ["deactivate", "--yes"]]) {
        const r = await runCli(["users", ...verb, "--from-file", "-", "--api-key-file", "-"], {
          env: { PHYCLOUD_URL: server.url },
          stdin: `${secret}\n`,
        });
        assert.deepEqual([r.code, r.stdout], [4, ""]);
        assert.equal(
          r.stderr,
          "error: Use standard input for --from-file - or for --api-key-file -, not both - Give the key in a " +
            "file (--api-key-file PATH) or in PHYCLOUD_API_KEY\n",
        );
      }
    },
  );
  await t.step("deactivate --from-file with a key or a .env line among the ids: exit 4, unseen", async () => {
    const path = join(dir.path, "ids.txt");
    await Deno.writeTextFile(path, `usr_aaaaaaaaaaaaaaaaaaaaaa\n${secret}\n`);
    const r = await runCli(["users", "deactivate", "--from-file", path, "--yes", "-o", "ndjson"], { env });
    assert.deepEqual([r.code, r.stdout], [4, ""]);
    assert.ok(!r.stderr.includes("0123456789"), r.stderr);
    assert.match(
      r.stderr,
      /^error: Invalid --from-file at line 2: not a user id \(it looks like a secret or a setting\)/,
    );
  });
  await t.step("a key on standard input", async () => {
    const r = await runCli(["users", "invite", "--from-file", "-"], { env, stdin: `${secret}\n` });
    assert.equal(r.code, 4);
    assert.ok(!r.stderr.includes("0123456789"), r.stderr);
  });
  await t.step("one line over 1 MiB is an error naming its line number", async () => {
    const path = join(dir.path, "long.csv");
    await Deno.writeTextFile(path, `email\nok@example.com\n${"x".repeat(2 * 1024 * 1024)}@example.com\n`);
    const r = await runCli(["users", "invite", "--from-file", path], { env });
    assert.deepEqual([r.code, r.stdout], [4, ""]);
    assert.match(r.stderr, /^error: Invalid --from-file at line 3: longer than 1 MiB - /);
    const ids = join(dir.path, "ids.txt");
    await Deno.writeTextFile(ids, `usr_a\n${"y".repeat(1024 * 1024 + 10)}\n`);
    const d = await runCli(["users", "deactivate", "--from-file", ids, "--yes"], { env });
    assert.equal(d.code, 4);
    assert.match(d.stderr, /^error: Invalid --from-file at line 2: longer than 1 MiB - /);
  });
});
