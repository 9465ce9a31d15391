import assert from "node:assert/strict";
import { CommanderError } from "@commander-js/extra-typings";
import { commanderMessage, errorJson, errorLine, exitCodeFor, toPhywareError } from "./error_report.ts";
import {
  AuthError,
  BrokenPipeError,
  ConnectionError,
  InterruptedError,
  NotFoundError,
  ServerError,
  ValidationError,
} from "./errors.ts";

Deno.test("exitCodeFor maps every error to the spec's codes", async (t) => {
  const cases: Array<[string, unknown, number]> = [
    ["connection", new ConnectionError("x"), 1],
    ["auth", new AuthError("x"), 2],
    ["not found", new NotFoundError("x"), 3],
    ["validation", new ValidationError("x"), 4],
    ["server", new ServerError("x"), 5],
    ["usage", new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"), 4],
    ["help", new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), 0],
    ["a closed pipe", new BrokenPipeError(), 0],
    ["Ctrl-C at a prompt", new InterruptedError(), 130],
    ["anything else", new TypeError("boom"), 1],
  ];
  for (const [name, error, code] of cases) {
    await t.step(name, () => assert.equal(exitCodeFor(error), code));
  }
});

Deno.test("errorLine is one line with the remediation and request id", () => {
  const error = new ValidationError("Email already exists", {
    code: "CONFLICT",
    remediation: "User already invited",
    requestId: "req_1",
    status: 409,
  });
  assert.equal(errorLine(error), "error: Email already exists - User already invited (request id: req_1)\n");
  assert.equal(errorLine(new NotFoundError("User not found")), "error: User not found\n");
  assert.deepEqual(JSON.parse(errorJson(error)), {
    error: {
      code: "CONFLICT",
      message: "Email already exists",
      remediation: "User already invited",
      status: 409,
      request_id: "req_1",
    },
  });
});

Deno.test("commanderMessage restates usage errors in the house style", async (t) => {
  const cases: Array<[string, string]> = [
    ["error: unknown option '--emial'", 'Unknown option "--emial"'],
    [
      "error: option '-o, --output <format>' argument 'xml' is invalid. Allowed choices are table, json.",
      'Invalid --output "xml": expected one of table, json',
    ],
    [
      "error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh.",
      'Invalid shell "tcsh": expected one of bash, zsh',
    ],
    [
      "error: too many arguments for 'get'. Expected 1 argument but got 2: a, b.",
      'Too many arguments for "get": expected 1 argument but got 2: a, b',
    ],
    ["error: unknown command 'lst'\n(Did you mean list?)", 'Unknown command "lst" (Did you mean list?)'],
  ];
  for (const [raw, expected] of cases) {
    await t.step(expected, () => assert.equal(commanderMessage(raw), expected));
  }
});

Deno.test("an unexpected error is reported as one line, never as a stack", () => {
  const reported = toPhywareError(new Error("first line\nsecond line"));
  assert.equal(reported?.message, "Unexpected error: first line second line");
  assert.equal(toPhywareError(new BrokenPipeError()), undefined);
});
