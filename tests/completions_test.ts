// Runs the generated completion scripts in the real shells. bash, zsh and fish are required (Debian packages
// bash, zsh, fish); PowerShell is not in Debian, so its script is only checked by its unit tests.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, runCliProcess } from "./support/context.ts";
import { commandTree } from "../src/commands/completions/command_tree.ts";
import { bashScript } from "../src/commands/completions/bash.ts";
import { fishScript } from "../src/commands/completions/fish.ts";
import { zshScript } from "../src/commands/completions/zsh.ts";
import { fixtureProgram } from "../src/commands/completions/fixture_program.ts";

type Shell = "bash" | "zsh" | "fish";

/** A command line typed up to the cursor, and the candidates each shell should offer. */
interface Case {
  line: string;
  expected: string[];
  /** bash splits `--output=nd` at the `=` and completes only "nd", so its candidates differ there. */
  bash?: string[];
}

const FORMATS = ["table", "json", "ndjson", "yaml", "csv", "id"];
const LIST_FLAGS = ["--status", "--role", "--limit", "--url", "--api-key", "--output", "-o", "--timeout"];

const PHYWARE_CASES: Case[] = [
  { line: "phyware us", expected: ["users"] },
  { line: "phyware ", expected: ["users", "server", "completions"] },
  { line: "phyware users ", expected: ["invite", "list", "get", "deactivate"] },
  { line: "phyware users list --output ", expected: FORMATS },
  { line: "phyware users list -o j", expected: ["json"] },
  { line: "phyware users list --st", expected: ["--status"] },
  { line: "phyware users list --status ", expected: ["pending", "active", "inactive"] },
  { line: "phyware users list --limit 5 --st", expected: ["--status"] },
  { line: "phyware users list --output=nd", expected: ["--output=ndjson"], bash: ["ndjson"] },
  { line: "phyware users list ", expected: [...LIST_FLAGS, "--verbose", "--help", "-h"] },
  { line: "phyware users list -- ", expected: [] },
  { line: "phyware users invite --email ", expected: [] },
  { line: "phyware users invite --url ", expected: [] },
  { line: "phyware users invite --email a@b.c --dry-run --ro", expected: ["--role"] },
  { line: "phyware users get ", expected: [] },
  { line: "phyware users get usr_1 --o", expected: ["--output"] },
  { line: "phyware users get usr_1 -", expected: [...LIST_FLAGS.slice(3), "--verbose", "--help", "-h"] },
  { line: "phyware -V users li", expected: ["list"] },
  { line: "phyware --", expected: ["--version", "--help"] },
  { line: "phyware completions ", expected: ["bash", "zsh", "fish", "powershell"] },
  { line: "phyware completions f", expected: ["fish"] },
];

const FIXTURE_CASES: Case[] = [
  { line: "tool items remove a b ", expected: [] },
  { line: "tool shell ", expected: ["bash", "zsh"] },
  { line: "tool shell bash ", expected: [] },
  { line: "tool shell bash out.sh ", expected: ["--help", "-h"] },
  { line: "tool items list --color ", expected: [] },
  { line: "tool items list --name x -o ", expected: ["table", "json"] },
  { line: "tool items ", expected: ["list", "remove"] },
  { line: "tool items list --deb", expected: [] },
];

const PACKAGES: Record<Shell, string> = { bash: "bash", zsh: "zsh", fish: "fish" };

async function run(shell: Shell, args: string[], home: string): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(shell, {
      args,
      env: { HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${shell} is required by the completion tests: apt-get install ${PACKAGES[shell]}`);
    }
    throw error;
  }
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(stderr, "", `${shell} wrote on stderr`);
  assert.ok(output.success, `${shell} exited with ${output.code}`);
  return new TextDecoder().decode(output.stdout);
}

/** The words bash would put in COMP_WORDS with its default COMP_WORDBREAKS (which splits at `=`). */
function bashWords(line: string): string[] {
  return line.split(" ").flatMap((word) => {
    const match = /^(--[^=]+)=(.*)$/.exec(word);
    return match ? [match[1] ?? "", "=", match[2] ?? ""] : [word];
  });
}

const BASH =
  `. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _$1; printf '%s\\n' "\${COMPREPLY[@]}"`;

// zsh completes through builtins that work only inside its completion system; these stand-ins print what
// the script offers, filtered by the typed prefix the way _describe filters it.
const ZSH = `
compdef() { :; }
compset() {
  [[ $1 == -P && $PREFIX == *=* ]] || return 1
  IPREFIX=\${PREFIX%%=*}= PREFIX=\${PREFIX#*=}
}
_describe() {
  local entry
  for entry in \${(P)4}; do
    [[ \${entry%%:*} == \${PREFIX}* ]] && print -r -- "$IPREFIX\${entry%%:*}"
  done
  return 0
}
source "$1"
program=$2
shift 2
words=("$@") CURRENT=$# PREFIX=\${@[-1]} IPREFIX=''
# Its status only tells zsh whether anything was offered.
_$program || true
`;

async function complete(shell: Shell, script: string, line: string, home: string): Promise<string[]> {
  const program = line.split(" ")[0] ?? "";
  let out: string;
  if (shell === "bash") {
    out = await run("bash", ["--norc", "--noprofile", "-c", BASH, "_", script, ...bashWords(line)], home);
  } else if (shell === "zsh") {
    out = await run("zsh", ["-f", "-c", ZSH, "_", script, program, ...line.split(" ")], home);
  } else {out = await run("fish", [
      "--no-config",
      "-c",
      "source $argv[1]; complete -C $argv[2]",
      script,
      line,
    ], home);}
  // fish prints "candidate<TAB>description"; the others print candidates only.
  return out.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0] ?? "").sort();
}

async function checkCases(t: Deno.TestContext, shell: Shell, script: string, cases: Case[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "phyware_completions_" });
  try {
    const file = join(dir, `script.${shell}`);
    await Deno.writeTextFile(file, script);
    for (const { line, expected, bash } of cases) {
      await t.step(JSON.stringify(`${line}<TAB>`), async () => {
        const want = (shell === "bash" && bash ? bash : expected).toSorted();
        assert.deepEqual(await complete(shell, file, line, dir), want);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function phywareScript(shell: Shell): Promise<string> {
  const result = await runCli(["completions", shell]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const fixture = commandTree(fixtureProgram());

for (const shell of ["bash", "zsh", "fish"] as const) {
  Deno.test(`${shell} completes phyware's subcommands, options and option values`, async (t) => {
    await checkCases(t, shell, await phywareScript(shell), PHYWARE_CASES);
  });
}

Deno.test("generated scripts complete positional arguments, variadic and optional values", async (t) => {
  const scripts = { bash: bashScript(fixture), zsh: zshScript(fixture), fish: fishScript(fixture) };
  for (const shell of ["bash", "zsh", "fish"] as const) {
    await t.step(shell, async (t) => await checkCases(t, shell, scripts[shell], FIXTURE_CASES));
  }
});

Deno.test("bash completes --output=value as one word when COMP_WORDBREAKS has no =", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware_completions_" });
  try {
    const file = join(dir, "phyware.bash");
    await Deno.writeTextFile(file, await phywareScript("bash"));
    const words = ["phyware", "users", "list", "--output=nd"];
    const out = await run("bash", ["--norc", "--noprofile", "-c", BASH, "_", file, ...words], dir);
    assert.equal(out, "--output=ndjson\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zsh and fish accept the generated scripts' syntax", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware_completions_" });
  try {
    for (const [shell, args] of [["zsh", ["-n"]], ["fish", ["--no-config", "--no-execute"]]] as const) {
      const file = join(dir, `phyware.${shell}`);
      await Deno.writeTextFile(file, await phywareScript(shell));
      assert.equal(await run(shell, [...args, file], dir), "");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the built CLI prints the same bash script as the in-process run", async () => {
  const process = await runCliProcess(["completions", "bash"]);
  assert.equal(process.stderr, "");
  assert.equal(process.code, 0);
  assert.equal(process.stdout, await phywareScript("bash"));
});
