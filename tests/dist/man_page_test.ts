// The man pages hold the same text as --help, one page per command of the tree, and pass mandoc's and groff's
// own checks (Debian packages mandoc and groff-base).
import assert from "node:assert/strict";
import { buildProgram } from "../../src/cli/program.ts";
import { allCommands, commandTree } from "../../src/cli/commands/completions/command_tree.ts";
import { VERSION } from "../../src/version.ts";
import { manPages } from "../../scripts/release/man_page.ts";
import { runCli, testContext, testHost } from "../support/context.ts";
import { needs } from "../support/programs.ts";
import { tempDir } from "../support/temp_dir.ts";

const EPOCH = 1764547200; // 2025-12-01

function pages() {
  return manPages(buildProgram(testContext().ctx, [], testHost), VERSION, EPOCH);
}

/** Renders a page to plain text with mandoc, on lines long enough that nothing wraps. */
async function rendered(text: string): Promise<string> {
  const child = new Deno.Command("mandoc", {
    args: ["-T", "ascii", "-O", "width=400"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  assert.equal(new TextDecoder().decode(out.stderr), "");
  // mandoc sets bold and underline by overstriking ("X\bX", "_\bX"): a backspace takes back the character before.
  let plain = "";
  for (const char of new TextDecoder().decode(out.stdout)) {
    plain = char === "\b" ? plain.slice(0, -1) : plain + char;
  }
  return plain;
}

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

/** The pieces of a --help text that a man page must carry: usage, description, entries, added text. */
function helpPieces(help: string): string[] {
  const pieces: string[] = [];
  let entry: string | undefined;
  const flush = () => {
    if (entry !== undefined) pieces.push(squash(entry));
    entry = undefined;
  };
  let inList = false;
  for (const line of help.split("\n")) {
    if (/^(Options|Arguments|Commands|Global Options):$/.test(line)) {
      flush();
      inList = true;
    } else if (line.startsWith("Usage: ")) {
      pieces.push(line.slice("Usage: ".length));
    } else if (inList && /^ {2}\S/.test(line)) {
      flush();
      // The term and its description, as separate pieces: the man page sets them apart.
      const [term = "", ...rest] = line.trim().split(/ {2,}/);
      // commander's own `help` command gets no page (completions leave it out too).
      if (term === "help [command]") continue;
      pieces.push(term);
      entry = rest.join(" ");
    } else if (inList && /^ {3,}\S/.test(line) && entry !== undefined) {
      entry += ` ${line.trim()}`;
    } else {
      flush();
      inList = false;
      if (line.trim() !== "" && !/^[A-Z][A-Za-z ]*:$/.test(line)) pieces.push(squash(line));
    }
  }
  flush();
  return pieces.filter(Boolean);
}

Deno.test("man pages: one per command of the tree, named by its path", () => {
  const tree = commandTree(buildProgram(testContext().ctx, [], testHost));
  const expected = allCommands(tree).map((command) => `${command.path.join("-")}.1`);
  assert.deepEqual(pages().map((page) => page.name), expected);
  assert.ok(expected.includes("phyware-users-invite.1") && expected.includes("phyware-server-start.1"));
});

Deno.test("man pages carry each section of the spec, SEE ALSO naming pages that exist", () => {
  const all = pages();
  const names = new Set(all.map((page) => page.name.replace(/\.1$/, "")));
  for (const page of all) {
    const headings = page.text.split("\n").filter((line) => line.startsWith(".SH ")).map((l) => l.slice(4));
    for (const section of ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ARGUMENTS", "EXIT CODES"]) {
      assert.ok(headings.includes(section), `${page.name} lacks ${section}`);
    }
    for (const section of ["EXAMPLES", "AGENT NOTES", "ERRORS", "SEE ALSO"]) {
      const at = page.text.indexOf(`.SH ${section}\n`);
      assert.ok(at >= 0, `${page.name} lacks ${section}`);
      const body = page.text.slice(at).split("\n")[1] ?? "";
      assert.ok(body !== "" && !body.startsWith(".SH"), `${page.name}: ${section} is empty`);
    }
    const refs = [...page.text.matchAll(/^\.BR (\S+) \(1\)/gm)].map((m) =>
      (m[1] ?? "").replaceAll("\\-", "-")
    );
    assert.ok(refs.length > 0, `${page.name} has no SEE ALSO entry`);
    for (const ref of refs) assert.ok(names.has(ref), `${page.name} refers to missing ${ref}(1)`);
  }
  const invite = all.find((page) => page.name === "phyware-users-invite.1")?.text ?? "";
  assert.match(invite, /^\.TH PHYWARE\\-USERS\\-INVITE 1 2025-12-01 "phyware /m);
  assert.match(invite, /\.BR phyware\\-users \(1\)/);
});

Deno.test({
  name: "man pages say what --help says, for every command",
  ...needs(["mandoc", "mandoc"]),
  fn: async (t) => {
    // A page's name joins the command path with "-", and a verb may hold one (resend-invite): look it up.
    const paths = new Map(
      allCommands(commandTree(buildProgram(testContext().ctx, [], testHost)))
        .map((cmd) => [`${cmd.path.join("-")}.1`, cmd.path.slice(1)]),
    );
    for (const page of pages()) {
      const path = paths.get(page.name) ?? page.name.replace(/\.1$/, "").split("-").slice(1);
      await t.step(`phyware ${path.join(" ")}`, async () => {
        const help = await runCli([...path, "--help"]);
        assert.equal(help.code, 0);
        const text = squash(await rendered(page.text));
        for (const piece of helpPieces(help.stdout)) {
          assert.ok(text.includes(piece), `${page.name} lacks "${piece}" from --help`);
        }
      });
    }
  },
});

Deno.test({
  name: "man pages pass mandoc -T lint with no warning and groff -man -ww -z with no output",
  ...needs(["mandoc", "mandoc"], ["groff", "groff-base"]),
  fn: async () => {
    await using dir = await tempDir("phyware-man-");
    const files: string[] = [];
    for (const page of pages()) {
      await Deno.writeTextFile(`${dir.path}/${page.name}`, page.text);
      files.push(`${dir.path}/${page.name}`);
    }
    for (
      const [cmd, args] of [["mandoc", ["-T", "lint", "-W", "warning"]], ["groff", [
        "-man",
        "-ww",
        "-z",
      ]]] as const
    ) {
      const out = await new Deno.Command(cmd, {
        args: [...args, ...files],
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      const said = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(said, "", `${cmd} said: ${said}`);
      assert.equal(out.code, 0);
    }
  },
});

Deno.test("the users pages' ERRORS are the spec's table, in the words phyware prints", () => {
  // The spec's rows, read from its page: "CODE | Message | Remediation |".
  const spec = Deno.readTextFileSync(new URL("../../docs/phyware-users.txt", import.meta.url))
    .split("ERRORS¶")[1]!.split("\n").filter((line) => /^[A-Z_]+ \| /.test(line))
    .map((line) => line.split("|").map((cell) => cell.trim()).slice(0, 3));
  assert.equal(spec.length, 3);
  const users = pages().find((page) => page.name === "phyware-users.1")!.text;
  const errors = users.split(".SH ERRORS\n")[1]!.split("\n.SH ")[0]!;
  for (const [code, message, remediation] of spec) {
    const row = `.TP\n\\fB${code}\\fR\n${message}. ${remediation}.\n`;
    assert.ok(errors.includes(row), `${JSON.stringify(row)} is not in phyware-users(1)'s ERRORS:\n${errors}`);
  }
  assert.doesNotMatch(errors, /Use an API key with the admin:users scope/);
});
