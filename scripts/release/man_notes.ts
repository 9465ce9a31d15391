/**
 * What a man page says beyond `--help`: per command the AGENT NOTES, ERRORS, OUTPUT and EXAMPLES that help
 * does not carry (the EXIT CODES come from src/cli/commands/shared/exit_codes.ts, the spec's errors from
 * src/api/http_errors.ts). Keyed by the command's path after "phyware" ("users invite");
 * a command with no entry takes its nearest ancestor's, and a new command with none at all still gets filled
 * sections from the defaults below.
 */

import { SPEC_REMEDIATIONS, UNAUTHENTICATED_REMEDIATION } from "../../src/api/http_errors.ts";
import { USER_FIELDS } from "../../src/cli/commands/users/fields.ts";

/** One error a command can report: the server's or the CLI's code, its message, and what to do. */
export interface ErrorNote {
  code: string;
  message: string;
  remediation: string;
}

/** The extra sections of one command's page. */
export interface ManNotes {
  /** AGENT NOTES paragraphs. */
  agent?: string[];
  /** ERRORS entries. */
  errors?: ErrorNote[];
  /** OUTPUT: field name and meaning, for commands that print records. */
  output?: [field: string, meaning: string][];
  /** EXAMPLES for a command whose help shows none: title and command line. */
  examples?: [title: string, command: string][];
}

/** A row of the spec's ERRORS table, as phyware reports it (src/api/http_errors.ts): never restated here. */
function specError(code: string): ErrorNote {
  const row = SPEC_REMEDIATIONS.find((r) => r.code === code);
  if (row === undefined) throw new Error(`The spec's ERRORS table has no ${code}`);
  return { ...row };
}
const CONFLICT = specError("CONFLICT");
const FORBIDDEN = specError("FORBIDDEN");
const NOT_FOUND = specError("NOT_FOUND");
const UNAUTHORIZED: ErrorNote = {
  code: "UNAUTHENTICATED",
  message: "No API key, or a malformed, unknown, revoked or expired one",
  remediation: UNAUTHENTICATED_REMEDIATION,
};
const USAGE: ErrorNote = {
  code: "USAGE_ERROR",
  message: "An unknown option, a missing argument or a value out of range (exit 4)",
  remediation: "Read the message, which names the option or value, and this page's OPTIONS",
};

/** The agent note every page ends its AGENT NOTES with. */
export const COMMON_AGENT_NOTE = "Results go to standard output; an error is one line on standard error " +
  "and the exit code says which kind (see EXIT CODES).";

/** The agent note of a command whose --output offers json. */
export const JSON_AGENT_NOTE = "With --output json or ndjson an error is also printed as one JSON object " +
  "on standard error.";

/** Errors every command can report. */
export const COMMON_ERRORS: readonly ErrorNote[] = [USAGE];

/** What each field of a users list row means (the spec's OUTPUT), for the fields the verbs print by default. */
const FIELD_MEANINGS: Readonly<Record<typeof USER_FIELDS[number], string>> = {
  id: "User identifier",
  email: "User email address",
  status: "active, pending or inactive",
  role: "User role",
};

/** Notes per command path; looked up from the command up to the root. */
export const NOTES: Readonly<Record<string, ManNotes>> = {
  "": {
    agent: [
      "Every verb that talks to the service takes --url and --api-key (or PHYCLOUD_URL and PHYCLOUD_API_KEY) " +
      "and --output json for machine-readable results.",
    ],
    examples: [
      ["List users as JSON", "phyware users list --output json"],
      ["Run the reference service locally", "phyware server start --port 8000"],
      ["Install bash completion", "phyware completions bash > /etc/bash_completion.d/phyware"],
    ],
  },
  users: {
    agent: [
      "invite creates the user in pending status until the invitation is accepted. deactivate is " +
      "irreversible via the CLI. Requires the admin:users scope for all operations.",
    ],
    errors: [
      CONFLICT,
      FORBIDDEN,
      UNAUTHORIZED,
      NOT_FOUND,
    ],
    output: USER_FIELDS.map((field): [string, string] => [field, FIELD_MEANINGS[field]]),
  },
  "users invite": {
    agent: [
      "invite creates the user in pending status until the invitation is accepted; --dry-run prints the " +
      "request and sends nothing. Requires the admin:users scope.",
    ],
    errors: [
      CONFLICT,
      FORBIDDEN,
      UNAUTHORIZED,
    ],
  },
  "users list": {
    agent: ["list follows the service's pages until the last one. Requires the admin:users scope."],
    errors: [FORBIDDEN, UNAUTHORIZED],
  },
  "users get": {
    agent: ["get prints one user. Requires the admin:users scope."],
    errors: [NOT_FOUND, FORBIDDEN, UNAUTHORIZED],
  },
  "users deactivate": {
    agent: ["deactivate is irreversible via the CLI. Requires the admin:users scope."],
    errors: [NOT_FOUND, FORBIDDEN, UNAUTHORIZED],
  },
  server: {
    agent: [
      "The server is the reference implementation of the PhyCloud users service, for local development " +
      "and tests; it keeps its data in one SQLite file, or in PostgreSQL with --db postgres://...",
    ],
    examples: [
      ["Start the service on a free port with a fixed admin key", "phyware server start --port 0"],
      ["Create a second tenant", "phyware server tenant create acme"],
    ],
  },
  "server start": {
    agent: [
      'The first line on standard error is "phyware server listening on URL"; read it to learn the port ' +
      "when --port 0 is given. Set PHYCLOUD_BOOTSTRAP_API_KEY to choose the first admin key.",
    ],
    errors: [
      {
        code: "ERROR",
        message:
          "Cannot open database ...: the cause (locked, read-only, not a database, disk full, written by " +
          "a newer phyware, or PostgreSQL's login, database or server)",
        remediation: "The message's remediation says what to do about that cause",
      },
      {
        code: "CONNECTION_ERROR",
        message: "The address is in use or cannot be bound (exit 1)",
        remediation: "Choose another --port, or --port 0 for a free one",
      },
    ],
    examples: [
      ["Listen on a free port of the loopback interface", "phyware server start --port 0"],
      ["Keep the data in a chosen file", "phyware server start --db /var/lib/phyware/phyware.db"],
    ],
  },
  "server tenant": {
    errors: [{ code: "CONFLICT", message: "The tenant exists", remediation: "Choose another name" }],
    examples: [["Create a tenant and print its admin key once", "phyware server tenant create acme"]],
  },
  completions: {
    agent: ["The script is printed on standard output and nothing else is written."],
  },
};

/** The notes for a command path: its own fields, each missing one taken from the nearest ancestor. */
export function notesFor(path: readonly string[]): ManNotes {
  const merged: ManNotes = {};
  for (let n = path.length; n >= 0; n--) {
    const notes = NOTES[path.slice(0, n).join(" ")];
    if (!notes) continue;
    if (!merged.agent && notes.agent) merged.agent = notes.agent;
    if (!merged.errors && notes.errors) merged.errors = notes.errors;
    if (!merged.output && notes.output) merged.output = notes.output;
    // Examples are a command's own: an ancestor's would show another command.
    if (n === path.length && notes.examples) merged.examples = notes.examples;
  }
  return merged;
}
