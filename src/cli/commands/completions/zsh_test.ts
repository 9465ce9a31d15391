import assert from "node:assert/strict";
import { commandTree } from "./command_tree.ts";
import { fixtureProgram } from "../../../../tests/support/fixture_program.ts";
import { zshScript } from "./zsh.ts";

const script = zshScript(commandTree(fixtureProgram()));

Deno.test("zsh script is a #compdef file that also works when sourced", () => {
  assert.match(script, /^#compdef tool\n# zsh completion for tool/);
  assert.match(script, /# Install: add to ~\/\.zshrc, after compinit: source <\(tool completions zsh\)\n/);
  assert.ok(
    script.endsWith('if [[ $funcstack[1] == _tool ]]; then\n  _tool "$@"\nelse\n  compdef _tool tool\nfi\n'),
  );
});

Deno.test("zsh script describes subcommands and flags, quoting their help text", () => {
  assert.ok(
    script.includes("subcommand_entries=('items:Manage the items' 'shell:Print the shell'\\''s script')"),
  );
  assert.ok(script.includes("flag_entries=('--output:output format' '-o:output format' '--name:only items"));
  assert.ok(script.includes("value_flags=('--output' '-o' '--name' '--color')"));
});

Deno.test("zsh script gives choices for options and positional arguments", () => {
  assert.ok(
    script.includes("    ('tool items list --output'|'tool items list -o') choices=('table' 'json') ;;"),
  );
  assert.ok(script.includes("    ('tool shell 1') choices=('bash' 'zsh') ;;"));
  assert.ok(!script.includes("internal") && !script.includes("--debug-dump"));
});
