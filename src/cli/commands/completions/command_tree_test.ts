import assert from "node:assert/strict";
import { Command, Option } from "@commander-js/extra-typings";
import { buildProgram } from "../../program.ts";
import { testContext, testHost } from "../../../../tests/support/context.ts";
import { allCommands, commandTree } from "./command_tree.ts";
import { fixtureProgram } from "../../../../tests/support/fixture_program.ts";

Deno.test("commandTree keeps visible commands and drops hidden ones and the help command", () => {
  const tree = commandTree(fixtureProgram());
  assert.deepEqual(allCommands(tree).map((cmd) => cmd.path.join(" ")), [
    "tool",
    "tool items",
    "tool items list",
    "tool items remove",
    "tool shell",
  ]);
  assert.equal(tree.subcommands[0]?.description, "Manage the items");
});

Deno.test("commandTree describes options: flags, whether they take a value, choices, help included", () => {
  const list = commandTree(fixtureProgram()).subcommands[0]?.subcommands[0];
  assert.equal(list?.description, "List the items");
  assert.deepEqual(list?.options, [
    { flags: ["--output", "-o"], description: "output format", takesValue: true, choices: ["table", "json"] },
    { flags: ["--name"], description: "only items with this name", takesValue: true, choices: [] },
    { flags: ["--all"], description: "include archived items", takesValue: false, choices: [] },
    { flags: ["--color"], description: "colour the output", takesValue: true, choices: [] },
    { flags: ["--help", "-h"], description: "display help for command", takesValue: false, choices: [] },
  ]);
});

Deno.test("commandTree describes positional arguments with their choices", () => {
  const tree = commandTree(fixtureProgram());
  assert.deepEqual(tree.subcommands[1]?.arguments, [
    { name: "shell", variadic: false, choices: ["bash", "zsh"] },
    { name: "file", variadic: false, choices: [] },
  ]);
  assert.deepEqual(tree.subcommands[0]?.subcommands[1]?.arguments, [{
    name: "ids",
    variadic: true,
    choices: [],
  }]);
  assert.deepEqual(tree.options.map((option) => option.flags), [["--version", "-V"], ["--help", "-h"]]);
});

Deno.test("commandTree refuses a choice that is not one plain shell word", () => {
  const cmd = new Command("tool").addOption(new Option("--mode <mode>").choices(["a b"]));
  assert.throws(() => commandTree(cmd), { message: 'Cannot complete --mode value "a b": not a plain word' });
});

Deno.test("commandTree of the real program has the users verbs and the choices of their options", () => {
  const tree = commandTree(buildProgram(testContext().ctx, [], testHost));
  assert.equal(tree.name, "phyware");
  const users = tree.subcommands.find((cmd) => cmd.name === "users");
  assert.deepEqual(users?.subcommands.map((cmd) => cmd.name), [
    "invite",
    "list",
    "get",
    "deactivate",
    "set-role",
    "resend-invite",
  ]);
  const list = users?.subcommands.find((cmd) => cmd.name === "list");
  const choices = (flag: string) => list?.options.find((option) => option.flags.includes(flag))?.choices;
  assert.deepEqual(choices("--output"), ["table", "json", "ndjson", "yaml", "csv", "id"]);
  assert.deepEqual(choices("--status"), ["pending", "active", "inactive"]);
  assert.deepEqual(choices("--role"), []);
  const completions = tree.subcommands.find((cmd) => cmd.name === "completions");
  assert.deepEqual(completions?.arguments[0]?.choices, ["bash", "zsh", "fish", "powershell"]);
});
