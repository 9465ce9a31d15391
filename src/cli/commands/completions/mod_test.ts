import assert from "node:assert/strict";
import { runCli } from "../../../../tests/support/context.ts";

Deno.test("completions writes each shell's script on stdout", async (t) => {
  const heads = {
    bash: "# bash completion for phyware",
    zsh: "#compdef phyware\n",
    fish: "# fish completion for phyware",
    powershell: "# PowerShell completion for phyware",
  };
  for (const [shell, head] of Object.entries(heads)) {
    await t.step(shell, async () => {
      const result = await runCli(["completions", shell]);
      assert.equal(result.stderr, "");
      assert.equal(result.code, 0);
      assert.ok(result.stdout.startsWith(head), result.stdout.slice(0, 80));
    });
  }
});

Deno.test("completions rejects an unknown or missing shell with exit 4", async () => {
  const bad = await runCli(["completions", "tcsh"]);
  assert.deepEqual(bad, {
    code: 4,
    stdout: "",
    stderr: 'error: Invalid shell "tcsh": expected one of bash, zsh, fish, powershell\n',
    prompts: [],
  });
  const missing = await runCli(["completions"]);
  assert.equal(missing.code, 4);
  assert.equal(missing.stderr, 'error: Missing required argument "shell"\n');
});

Deno.test("completions --help tells how to install each script", async () => {
  const help = await runCli(["completions", "--help"]);
  assert.equal(help.code, 0);
  for (
    const line of [
      "phyware completions bash > /etc/bash_completion.d/phyware",
      "source <(phyware completions zsh)",
      "phyware completions fish > ~/.config/fish/completions/phyware.fish",
      "phyware completions powershell | Out-String | Invoke-Expression",
    ]
  ) assert.ok(help.stdout.includes(line), line);
});
