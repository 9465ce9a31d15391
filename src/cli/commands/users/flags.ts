/**
 * The flags of the users verbs, declared once (src/flags/spec.ts): ./mod.ts gives them to commander and
 * ./fast.ts to the fast start-up path. Adding a flag is one entry here and its parse in the verb. A flag two
 * verbs take is declared once, above them (or in ../shared/ when another group takes it too), and a verb
 * that says something of its own derives it: `{ ...DRY_RUN_FLAG, help: "..." }`.
 */
import { STATUSES } from "../../../wire/mod.ts";
import { flags } from "../../../flags/spec.ts";
import { YES_FLAG } from "../shared/confirm.ts";
import { fieldsFlag } from "../shared/field_list.ts";
import { LIMIT_FLAG } from "../shared/limit_flag.ts";
import { ROLE_FLAG } from "./role_flag.ts";
import { USER_DETAIL_FIELDS, USER_FIELDS } from "./fields.ts";

/** --fields, taken by every verb that prints users; they print the four fields of a list row unless told. */
export const FIELDS_FLAG = fieldsFlag(USER_FIELDS, USER_DETAIL_FIELDS);

/** --email: a user's address. */
const EMAIL_FLAG = { long: "--email", value: "email", help: "a user's email address" } as const;

/** --dry-run of the verbs that change a user. */
const DRY_RUN_FLAG = {
  long: "--dry-run",
  help: "print the request that would be sent, and send nothing",
} as const;

/** --from-file of the verbs that take many users at once (invite, deactivate), each saying what it reads. */
const FROM_FILE_FLAG = {
  long: "--from-file",
  value: "path",
  help: 'read the users from a file, "-" for stdin',
} as const;

/** --concurrency of the verbs that take many users at once; its default is applied by parseConcurrency. */
export const CONCURRENCY_FLAG = {
  long: "--concurrency",
  value: "n",
  default: "4",
  defaultBy: "parse",
  help: "most requests in flight at once with several users, 1 to 16",
} as const;

/** --max-wait of the verbs that take many users at once. */
const MAX_WAIT_FLAG = {
  long: "--max-wait",
  value: "duration",
  defaultText: "no limit",
  help: "longest a user waits out the server's rate limits, such as 5m",
} as const;

/** The flags of `users invite`. */
export const INVITE_FLAGS = flags(
  {
    ...EMAIL_FLAG,
    repeatable: true,
    help: "email address of the user to invite; repeat it to invite several",
  },
  {
    ...FROM_FILE_FLAG,
    help:
      'invite every row of a CSV or NDJSON file (the email column found by its name, or email[,role] lines), "-" for stdin',
  },
  {
    ...CONCURRENCY_FLAG,
    help: "most invitations in flight at once with several rows, 1 to 16",
  },
  {
    ...MAX_WAIT_FLAG,
    help: "longest a row waits out the server's rate limits, such as 5m",
  },
  {
    long: "--email-column",
    value: "name",
    help: "the --from-file column that holds the email (when it is not found by name)",
  },
  { long: "--role-column", value: "name", help: "the --from-file column that holds the role" },
  {
    ...ROLE_FLAG,
    default: "member",
    help: "role of the new user: member or admin (the server decides which it accepts)",
  },
  DRY_RUN_FLAG,
  FIELDS_FLAG,
);

/** The flags of `users list`. */
export const LIST_FLAGS = flags(
  { long: "--status", value: "status", choices: STATUSES, help: "only users in this state" },
  { ...ROLE_FLAG, help: "only users with this role, such as member or admin" },
  {
    ...EMAIL_FLAG,
    // A filter names a mailbox, matched in any case, not one user's address: help says <address>.
    value: "address",
    help: "only the users of this mailbox (any case; inactive records too), as users get ADDRESS finds one",
  },
  {
    long: "--search",
    value: "text",
    help: "only users whose email contains this text, in any case (2 characters or more)",
  },
  { ...LIMIT_FLAG, help: "stop after this many users" },
  FIELDS_FLAG,
);

/** The flags of `users get`. */
export const GET_FLAGS = flags(fieldsFlag(USER_DETAIL_FIELDS, USER_DETAIL_FIELDS));

/** The flags of `users deactivate`. */
export const DEACTIVATE_FLAGS = flags(
  {
    ...FROM_FILE_FLAG,
    help: 'deactivate the ids of a file, one a line (as -o id prints them), "-" for stdin',
  },
  { ...YES_FLAG, help: "do not ask for confirmation (needed off a terminal for more than one id)" },
  {
    ...CONCURRENCY_FLAG,
    help: "most users in flight at once with several ids, 1 to 16",
  },
  {
    ...MAX_WAIT_FLAG,
    help: "longest an id waits out the server's rate limits, such as 5m",
  },
  { ...DRY_RUN_FLAG, help: "print the request and the user's current state, and change nothing" },
  FIELDS_FLAG,
);

/** The flags of `users set-role`. */
export const SET_ROLE_FLAGS = flags(
  { ...ROLE_FLAG, help: "the new role: member or admin (the server decides which it accepts)" },
  DRY_RUN_FLAG,
  FIELDS_FLAG,
);

/** The flags of `users resend-invite`. */
export const RESEND_INVITE_FLAGS = flags(DRY_RUN_FLAG, FIELDS_FLAG);
