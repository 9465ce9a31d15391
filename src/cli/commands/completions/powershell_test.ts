import assert from "node:assert/strict";
import { commandTree } from "./command_tree.ts";
import { fixtureProgram } from "../../../../tests/support/fixture_program.ts";
import { powershellScript } from "./powershell.ts";

const script = powershellScript(commandTree(fixtureProgram()));

Deno.test("powershell script registers a native argument completer and tells how to install it", () => {
  assert.match(script, /^# PowerShell completion for tool/);
  assert.ok(
    script.includes(
      "# Install: add to $PROFILE: tool completions powershell | Out-String | Invoke-Expression",
    ),
  );
  assert.ok(script.includes("Register-ArgumentCompleter -Native -CommandName 'tool' -ScriptBlock {"));
});

Deno.test("powershell script holds each command's subcommands, flags with choices, and arguments", () => {
  assert.ok(script.includes("        'tool items list' = @{"));
  assert.ok(script.includes(
    "[pscustomobject]@{ Name = '-o'; Description = 'output format'; TakesValue = $true; Values = @('table', 'json') }",
  ));
  assert.ok(script.includes(
    "[pscustomobject]@{ Name = '--all'; Description = 'include archived items'; TakesValue = $false; Values = @() }",
  ));
  assert.ok(
    script.includes("[pscustomobject]@{ Name = 'shell'; Description = 'Print the shell''s script' }"),
  );
  assert.ok(
    script.includes("            Arguments = @(,@('bash', 'zsh'); ,@())\n            Variadic = $false"),
  );
  assert.ok(script.includes("            Arguments = @(,@())\n            Variadic = $true"));
});

Deno.test("powershell script has balanced braces and parentheses", () => {
  // No pwsh on the CI image (it is not in Debian), so this is the syntax check we can do.
  const code = script.replaceAll(/'(?:[^']|'')*'/g, "''").replaceAll(/#.*$/gm, "");
  for (const [open, close] of [["{", "}"], ["(", ")"], ["[", "]"]] as const) {
    assert.equal(code.split(open).length, code.split(close).length, `${open}${close} balanced`);
  }
  assert.ok(!script.includes("internal") && !script.includes("--debug-dump"));
});
