/** Every `code` an error can carry (`--output json`'s error object, MCP's tool errors): `help errors`. */

/** One error code: the exit code it leads to, where it comes from, and what it means. */
export interface ErrorCodeDoc {
  code: string;
  exit: number;
  /** "service": the PhyCloud service's problem code, passed through; "phyware": the CLI's own. */
  from: "service" | "phyware";
  meaning: string;
}

/** The codes, the service's first (they are its problem+json `code`), then phyware's own. */
export const ERROR_CODES: readonly ErrorCodeDoc[] = [
  {
    code: "VALIDATION_ERROR",
    exit: 4,
    from: "service",
    meaning: "a bad value, body or method (400, 405, 413, 415, 422); also phyware's own check of a value",
  },
  {
    code: "UNAUTHENTICATED",
    exit: 2,
    from: "service",
    meaning: "no API key, or a malformed, unknown, revoked or expired one (401)",
  },
  { code: "FORBIDDEN", exit: 2, from: "service", meaning: "the key lacks the admin:users scope (403)" },
  {
    code: "NOT_FOUND",
    exit: 3,
    from: "service",
    meaning: "no such user or API key in this tenant (404), or no user with that email",
  },
  {
    code: "CONFLICT",
    exit: 4,
    from: "service",
    meaning: "the email exists, the user is not pending or is inactive, the tenant's last active admin or " +
      "last admin:users key (409)",
  },
  {
    code: "RATE_LIMITED",
    exit: 1,
    from: "service",
    meaning: "too many requests, and the wait was longer than phyware waits (429; a bulk row: --max-wait)",
  },
  { code: "INTERNAL", exit: 5, from: "service", meaning: "the service failed (500, 507)" },
  {
    code: "UNAVAILABLE",
    exit: 5,
    from: "service",
    meaning: "the service is busy or stopping: retry shortly (503)",
  },
  {
    code: "DUPLICATE",
    exit: 0,
    from: "phyware",
    meaning: "a bulk invite row with the mailbox of an earlier row (named): not sent, and not a failure",
  },
  {
    code: "USAGE_ERROR",
    exit: 4,
    from: "phyware",
    meaning: "an unknown command or flag, a missing argument or flag",
  },
  {
    code: "CONNECTION_ERROR",
    exit: 1,
    from: "phyware",
    meaning: "the service could not be reached, or answered what PhyCloud never does",
  },
  { code: "TIMEOUT", exit: 1, from: "phyware", meaning: "no answer within --timeout" },
  {
    code: "REDIRECT",
    exit: 1,
    from: "phyware",
    meaning: "the URL redirects elsewhere; phyware does not follow it with your key",
  },
  {
    code: "NOT_PHYCLOUD",
    exit: 1,
    from: "phyware",
    meaning: "the URL answers, but not as a PhyCloud service",
  },
  { code: "CONFIG_ERROR", exit: 1, from: "phyware", meaning: "config.json cannot be read or written" },
  {
    code: "DATABASE_BUSY",
    exit: 1,
    from: "phyware",
    meaning: "server tenant: another process holds the database's lock",
  },
  {
    code: "CANCELLED",
    exit: 1,
    from: "phyware",
    meaning: "a confirmation was declined; nothing was changed",
  },
  { code: "INTERRUPTED", exit: 130, from: "phyware", meaning: "Ctrl-C at a prompt; nothing was changed" },
  {
    code: "INTERNAL_ERROR",
    exit: 1,
    from: "phyware",
    meaning: "an unexpected error in phyware itself: please report it",
  },
];

/** The text of `phyware help errors`. */
export function errorCodesHelp(): string {
  const rows = ERROR_CODES.map((e) => `  ${e.code.padEnd(17)} ${String(e.exit).padEnd(4)} ${e.meaning}\n`)
    .join("");
  return "Error codes\n\n" +
    "With --output json or ndjson a failed command also writes one JSON object on stderr,\n" +
    '  {"error": {"code", "message", "remediation", "status", "request_id"}}\n' +
    "and phyware mcp's tool errors carry the same code. The service's codes come first, as it sent them;\n" +
    "the rest are phyware's own. A bulk command that fails reports the code of its first failed row.\n\n" +
    `  ${"CODE".padEnd(17)} EXIT MEANING\n${rows}`;
}
