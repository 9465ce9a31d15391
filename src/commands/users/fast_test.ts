import assert from "node:assert/strict";
import type { CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { testContext, testHost } from "../../../tests/support/context.ts";
import type { FastFlags } from "../../fast_path.ts";
import { buildProgram } from "../../program.ts";
import { USERS_FAST_VERBS } from "./fast.ts";

function fromCommander(options: readonly Option[]) {
  return Object.fromEntries(
    options.flatMap((o) =>
      [o.long, o.short].filter((flag) => flag !== undefined).map((flag) => [flag, {
        key: o.attributeName(),
        value: o.required || o.optional,
        choices: o.argChoices,
        defaultValue: o.defaultValue,
      }])
    ),
  );
}

function fromFast(flags: FastFlags) {
  return Object.fromEntries(
    Object.entries(flags).map(([flag, f]) => [flag, {
      key: f.key,
      value: f.value,
      choices: f.choices === undefined ? undefined : [...f.choices],
      defaultValue: undefined,
    }]),
  );
}

function find(cmd: CommandUnknownOpts | undefined, name: string): CommandUnknownOpts | undefined {
  return cmd?.commands.find((sub) => sub.name() === name);
}

Deno.test("each fast users verb takes exactly the flags and arguments of its commander command", () => {
  const program = buildProgram(testContext().ctx, [], testHost);
  for (const verb of USERS_FAST_VERBS) {
    const group = find(program, verb.path[0]);
    const cmd = find(group, verb.path[1]);
    assert.ok(group && cmd, verb.path.join(" "));
    assert.deepEqual(fromFast(verb.groupFlags), fromCommander(group.options), `${verb.path[0]} flags`);
    assert.deepEqual(fromFast(verb.flags), fromCommander(cmd.options), `${verb.path.join(" ")} flags`);
    assert.equal(cmd.registeredArguments.length, verb.args);
    assert.ok(cmd.registeredArguments.every((a) => a.required && !a.variadic));
  }
});
