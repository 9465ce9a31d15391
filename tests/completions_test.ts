// Runs the generated completion scripts in the real shells: bash, and zsh and fish where they are installed
// (Debian packages zsh, fish; under CI=true they are required). PowerShell is not in Debian, so its script is
// only checked by its unit tests.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, runCliProcess } from "./support/context.ts";
import { needs } from "./support/programs.ts";
import { commandTree } from "../src/cli/commands/completions/command_tree.ts";
import { bashScript } from "../src/cli/commands/completions/bash.ts";
import { fishScript } from "../src/cli/commands/completions/fish.ts";
import { zshScript } from "../src/cli/commands/completions/zsh.ts";
import { fixtureProgram } from "./support/fixture_program.ts";
import { tempDir } from "./support/temp_dir.ts";

type Shell = "bash" | "zsh" | "fish";

/** A command line typed up to the cursor, and the candidates each shell should offer. */
interface Case {
  line: string;
  expected: string[];
  /** bash splits `--output=nd` at the `=` and completes only "nd", so its candidates differ there. */
  bash?: string[];
  /** zsh offers options only once "-" is typed, unless the user sets the prefix-needed style to false. */
  zsh?: string[];
}

const FORMATS = ["table", "json", "ndjson", "yaml", "csv", "id"];
const GLOBAL_FLAGS = ["--url", "--api-key", "--api-key-file", "--profile", "--output", "-o", "--timeout"];
const LIST_FLAGS = ["--status", "--role", "--email", "--search", "--limit", "--fields", ...GLOBAL_FLAGS];

const PHYWARE_CASES: Case[] = [
  { line: "phyware us", expected: ["users"] },
  {
    line: "phyware ",
    expected: [
      "users",
      "api-keys",
      "events",
      "auth",
      "whoami",
      "server",
      "mcp",
      "api",
      "completions",
      "schema",
      "version",
    ],
  },
  { line: "phyware api-keys ", expected: ["create", "list", "revoke"] },
  { line: "phyware mcp --re", expected: ["--read-only"] },
  { line: "phyware users ", expected: ["invite", "list", "get", "deactivate", "set-role", "resend-invite"] },
  { line: "phyware users list --output ", expected: FORMATS },
  { line: "phyware users list -o j", expected: ["json"] },
  { line: "phyware users list --st", expected: ["--status"] },
  { line: "phyware users list --status ", expected: ["pending", "active", "inactive"] },
  { line: "phyware users list --limit 5 --st", expected: ["--status"] },
  { line: "phyware users list --output=nd", expected: ["--output=ndjson"], bash: ["ndjson"] },
  { line: "phyware users list ", expected: [...LIST_FLAGS, "--verbose", "--debug", "--help", "-h"], zsh: [] },
  { line: "phyware users list -- ", expected: [] },
  { line: "phyware users invite --email ", expected: [] },
  { line: "phyware users invite --url ", expected: [] },
  { line: "phyware users invite --email a@b.c --dry-run --ro", expected: ["--role", "--role-column"] },
  { line: "phyware users invite --from-file f.csv --max", expected: ["--max-wait"] },
  { line: "phyware users get ", expected: [] },
  { line: "phyware users get usr_1 --o", expected: ["--output"] },
  {
    line: "phyware users get usr_1 -",
    expected: ["--fields", ...GLOBAL_FLAGS, "--verbose", "--debug", "--help", "-h"],
  },
  { line: "phyware -V users li", expected: ["list"] },
  { line: "phyware --", expected: ["--version", "--help"] },
  { line: "phyware completions ", expected: ["bash", "zsh", "fish", "powershell"] },
  { line: "phyware completions f", expected: ["fish"] },
];

const FIXTURE_CASES: Case[] = [
  { line: "tool items remove a b ", expected: [] },
  { line: "tool shell ", expected: ["bash", "zsh"] },
  { line: "tool shell bash ", expected: [] },
  { line: "tool shell bash out.sh ", expected: ["--help", "-h"], zsh: [] },
  { line: "tool items list --color ", expected: [] },
  { line: "tool items list --name x -o ", expected: ["table", "json"] },
  { line: "tool items ", expected: ["list", "remove"] },
  { line: "tool items list --deb", expected: [] },
];

// Literal pairs, so tests/support/needs_listed_test.ts sees each program and its package.
const NEEDS: Record<Shell, () => { ignore: boolean }> = {
  bash: () => needs(["bash", "bash"]),
  zsh: () => needs(["zsh", "zsh"]),
  fish: () => needs(["fish", "fish"]),
};

/** Test options that skip a test of `shell` where it is not installed (outside CI). */
const needsShell = (shell: Shell) => NEEDS[shell]();

async function run(shell: Shell, args: string[], home: string): Promise<string> {
  const output = await new Deno.Command(shell, {
    args,
    env: { HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
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

// zsh's completion builtins work only inside its line editor, so this types each line and a TAB into a real
// interactive zsh on a pseudo-terminal (zsh/zpty), with compinit loaded and the script sourced. The real
// _describe and compset run; only the final compadd is wrapped to print the matches it accepts.
// Every marker is typed split ("<""<", M''ARK) so that zsh's echo of the typed text, which may arrive late
// on a loaded machine, never reads as a match.
const ZSH = `
zmodload zsh/zpty zsh/datetime
local out chunk found
integer i
float deadline
# Reads the terminal until $1 shows up, for up to 60 s (a loaded machine can take seconds to run compinit);
# markers are typed as M''ARK so that the echo does not match.
await() {
  out='' deadline=$(( EPOCHREALTIME + 60 ))
  while [[ $out != *$1* ]] && (( EPOCHREALTIME < deadline )); do
    if zpty -r -t z chunk; then out+=$chunk; else sleep 0.01; fi
  done
}
zpty z zsh -f -i
zpty -w z "PS1='' RPS1=''; autoload -U compinit; compinit -u -D; source \${(q)1}; print -r -- RE''ADY"
await READY
zpty -w z 'compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a hits; local hit
  builtin compadd -A hits "$@"
  for hit in $hits; do print -r -- "<""<\${IPREFIX}\${hit}>"">"; done
}
capture-complete() { zle complete-word; print -r -- "<<>>DO""NE" }
zle -N capture-complete; bindkey "^I" capture-complete; print -r -- DEF''INED'
await DEFINED
shift
for (( i = 1; i <= $#; i++ )); do
  zpty -w -n z "\${@[i]}"$'\\t'
  await '<<>>DONE'
  found=$out
  zpty -w z $'\\C-c'
  zpty -w z "print -r -- E''ND$i"
  await END$i
  print -r -- "<<<case>>>"
  [[ $found == *'<<>>DONE'* ]] || print -r -- "error: no completion for: \${@[i]}"
  [[ $found == *_*:<->:* ]] && print -r -- "error: zsh reported: \${(q)found}"
  found=\${found%'<<>>DONE'*}
  while [[ $found == *'<<'*'>>'* ]]; do
    found=\${found#*<<}
    print -r -- \${found%%'>>'*}
    found=\${found#*'>>'}
  done
done
zpty -d z
`;

function candidates(out: string): string[] {
  // fish prints "candidate<TAB>description"; the others print candidates only.
  return out.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0] ?? "").sort();
}

/** The candidates the shell offers for each line, typed up to the cursor. */
async function completeAll(shell: Shell, script: string, lines: string[], home: string): Promise<string[][]> {
  if (shell === "zsh") {
    const out = await run("zsh", ["-f", "-c", ZSH, "_", script, ...lines], home);
    return out.split("<<<case>>>\n").slice(1).map(candidates);
  }
  const results: string[][] = [];
  for (const line of lines) {
    const args = shell === "bash"
      ? ["--norc", "--noprofile", "-c", BASH, "_", script, ...bashWords(line)]
      : ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line];
    results.push(candidates(await run(shell, args, home)));
  }
  return results;
}

async function checkCases(t: Deno.TestContext, shell: Shell, script: string, cases: Case[]): Promise<void> {
  await using dir = await tempDir("phyware_completions_");
  const file = join(dir.path, `script.${shell}`);
  await Deno.writeTextFile(file, script);
  const results = await completeAll(shell, file, cases.map((c) => c.line), dir.path);
  assert.equal(results.length, cases.length);
  for (const [index, { line, expected, ...special }] of cases.entries()) {
    await t.step(JSON.stringify(`${line}<TAB>`), () => {
      const want = (shell === "fish" ? expected : special[shell] ?? expected).toSorted();
      assert.deepEqual(results[index], want);
    });
  }
}

async function phywareScript(shell: Shell): Promise<string> {
  const result = await runCli(["completions", shell]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const fixture = commandTree(fixtureProgram());

for (const shell of ["bash", "zsh", "fish"] as const) {
  Deno.test({
    name: `${shell} completes phyware's subcommands, options and option values`,
    ...needsShell(shell),
    fn: async (t) => await checkCases(t, shell, await phywareScript(shell), PHYWARE_CASES),
  });
}

Deno.test("generated scripts complete positional arguments, variadic and optional values", async (t) => {
  const scripts = { bash: bashScript(fixture), zsh: zshScript(fixture), fish: fishScript(fixture) };
  for (const shell of ["bash", "zsh", "fish"] as const) {
    await t.step({
      name: shell,
      ...needsShell(shell),
      fn: async (t) => await checkCases(t, shell, scripts[shell], FIXTURE_CASES),
    });
  }
});

Deno.test("bash completes --output=value as one word when COMP_WORDBREAKS has no =", async () => {
  await using dir = await tempDir("phyware_completions_");
  const file = join(dir.path, "phyware.bash");
  await Deno.writeTextFile(file, await phywareScript("bash"));
  const words = ["phyware", "users", "list", "--output=nd"];
  const out = await run("bash", ["--norc", "--noprofile", "-c", BASH, "_", file, ...words], dir.path);
  assert.equal(out, "--output=ndjson\n");
});

Deno.test("zsh and fish accept the generated scripts' syntax", async (t) => {
  await using dir = await tempDir("phyware_completions_");
  for (const [shell, args] of [["zsh", ["-n"]], ["fish", ["--no-config", "--no-execute"]]] as const) {
    await t.step({
      name: shell,
      ...needsShell(shell),
      fn: async () => {
        const file = join(dir.path, `phyware.${shell}`);
        await Deno.writeTextFile(file, await phywareScript(shell));
        assert.equal(await run(shell, [...args, file], dir.path), "");
      },
    });
  }
});

Deno.test("the built CLI prints the same bash script as the in-process run", async () => {
  const process = await runCliProcess(["completions", "bash"]);
  assert.equal(process.stderr, "");
  assert.equal(process.code, 0);
  assert.equal(process.stdout, await phywareScript("bash"));
});
