import { Argument, Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";

/** A small command tree with every shape the generators handle (used by the tests only). */
export function fixtureProgram(): CommandUnknownOpts {
  const list = new Command("list")
    .description("List the items\nSecond line is left out")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]))
    .option("--name <name>", "only items with this name")
    .option("--all", "include archived items")
    .option("--color [when]", "colour the output")
    .addOption(new Option("--debug-dump <file>", "internal").hideHelp());
  const items = new Command("items")
    .description("Manage the items")
    .addCommand(list)
    .addCommand(new Command("remove").description("Remove items").argument("<ids...>", "item ids"))
    .addCommand(new Command("internal").description("Not for users"), { hidden: true });
  const shell = new Command("shell")
    .description("Print the shell's script")
    .addArgument(new Argument("<shell>", "shell").choices(["bash", "zsh"]))
    .argument("[file]", "where to write it");
  return new Command("tool")
    .description("A tool")
    .version("1.0.0", "-V, --version", "print the version")
    .addCommand(items)
    .addCommand(shell);
}
