/**
 * The flags of the users verbs, declared once (src/flags/spec.ts): ./mod.ts gives them to commander and
 * ./fast.ts to the fast start-up path. Adding a flag is one entry here and its parse in the verb.
 */
import { STATUSES } from "../../../wire/mod.ts";
import { flags } from "../../../flags/spec.ts";

/** --fields, taken by every verb that prints users. */
export const FIELDS_FLAG = {
  long: "--fields",
  value: "list",
  help: "comma-separated fields to print, in order: id, email, status, role, created_at, invited_by, " +
    "activated_at, deactivated_at (not with -o id)",
} as const;

/** The flags of `users invite`. */
export const INVITE_FLAGS = flags(
  {
    long: "--email",
    value: "email",
    repeatable: true,
    help: "email address of the user to invite; repeat it to invite several",
  },
  {
    long: "--from-file",
    value: "path",
    help:
      'invite every row of a CSV or NDJSON file (the email column found by its name, or email[,role] lines), "-" for stdin',
  },
  {
    long: "--concurrency",
    value: "n",
    help: "most invitations in flight at once with several rows, 1 to 16 (default: 4)",
  },
  {
    long: "--max-wait",
    value: "duration",
    help: "longest a row waits out the server's rate limits, such as 5m (default: no limit)",
  },
  {
    long: "--email-column",
    value: "name",
    help: "the --from-file column that holds the email (when it is not found by name)",
  },
  { long: "--role-column", value: "name", help: "the --from-file column that holds the role" },
  {
    long: "--role",
    value: "role",
    default: "member",
    help: "role of the new user: member or admin (the server decides which it accepts)",
  },
  { long: "--dry-run", help: "print the request that would be sent, and send nothing" },
  FIELDS_FLAG,
);

/** The flags of `users list`. */
export const LIST_FLAGS = flags(
  { long: "--status", value: "status", choices: STATUSES, help: "only users in this state" },
  { long: "--role", value: "role", help: "only users with this role, such as member or admin" },
  {
    long: "--email",
    value: "address",
    help: "only the users of this mailbox (any case; inactive records too), as users get ADDRESS finds one",
  },
  {
    long: "--search",
    value: "text",
    help: "only users whose email contains this text, in any case (2 characters or more)",
  },
  { long: "--limit", value: "n", help: "stop after this many users" },
  FIELDS_FLAG,
);

/** The flags of `users get`. */
export const GET_FLAGS = flags(FIELDS_FLAG);

/** The flags of `users deactivate`. */
export const DEACTIVATE_FLAGS = flags(
  {
    long: "--from-file",
    value: "path",
    help: 'deactivate the ids of a file, one a line (as -o id prints them), "-" for stdin',
  },
  {
    long: "--yes",
    short: "-y",
    help: "do not ask for confirmation (needed off a terminal for more than one id)",
  },
  {
    long: "--concurrency",
    value: "n",
    help: "most users in flight at once with several ids, 1 to 16 (default: 4)",
  },
  {
    long: "--max-wait",
    value: "duration",
    help: "longest an id waits out the server's rate limits, such as 5m (default: no limit)",
  },
  { long: "--dry-run", help: "print the request and the user's current state, and change nothing" },
  FIELDS_FLAG,
);

/** The flags of `users set-role`. */
export const SET_ROLE_FLAGS = flags(
  {
    long: "--role",
    value: "role",
    help: "the new role: member or admin (the server decides which it accepts)",
  },
  { long: "--dry-run", help: "print the request that would be sent, and send nothing" },
  FIELDS_FLAG,
);

/** The flags of `users resend-invite`. */
export const RESEND_INVITE_FLAGS = flags(
  { long: "--dry-run", help: "print the request that would be sent, and send nothing" },
  FIELDS_FLAG,
);
