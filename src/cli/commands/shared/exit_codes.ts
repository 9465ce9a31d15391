import { SPEC_REMEDIATIONS } from "../../../api/http_errors.ts";

/** The spec's exit codes, their meanings, and which errors lead to each (`help exit-codes`, `schema`). */
export const EXIT_CODES: ReadonlyArray<{ code: number; meaning: string; causes: string }> = [
  {
    code: 0,
    meaning: "Success",
    causes: "the command did what it was asked; help; every bulk row invited or exists",
  },
  {
    code: 1,
    meaning: "Generic / connection error",
    causes: "server unreachable, timeout, redirect, a server that is not PhyCloud, rate limit beyond the " +
      "wait, a declined confirmation, an unreadable config.json",
  },
  {
    code: 2,
    meaning: "Authentication / authorisation error",
    causes: "no API key, a malformed, unknown, revoked or expired key (401), a key without admin:users (403)",
  },
  { code: 3, meaning: "Resource not found", causes: "USER_ID unknown in this tenant (404 NOT_FOUND)" },
  {
    code: 4,
    meaning: "Validation error",
    causes: "unknown command or flag, bad value (email, --fields, --limit, ...), CONFLICT such as an email " +
      "that already exists, 400/422 from the server, a .env URL that would receive another source's key, " +
      "an unknown profile, a malformed --from-file, several ids without --yes off a terminal",
  },
  { code: 5, meaning: "Server-side error", causes: "the server answered 5xx" },
  { code: 130, meaning: "Interrupted", causes: "Ctrl-C at a prompt; nothing was changed" },
];

/** The text of `phyware help exit-codes`. */
export function exitCodesHelp(): string {
  const codes = EXIT_CODES.map((e) => `  ${String(e.code).padEnd(4)} ${e.meaning}\n       ${e.causes}\n`)
    .join("");
  const errors = SPEC_REMEDIATIONS.map((e) =>
    `  ${e.code.padEnd(10)} ${e.message.padEnd(21)} ${e.remediation}\n`
  )
    .join("");
  return `Exit codes\n\n${codes}\nErrors (code, message, remediation)\n\n${errors}\n` +
    "With --output json or ndjson, an error is also one JSON object on stderr:\n" +
    '  {"error": {"code", "message", "remediation", "status", "request_id"}}\n';
}
