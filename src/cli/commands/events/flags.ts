/** The flags of `events list`, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { EVENT_ACTIONS } from "../../../wire/mod.ts";
import { flags } from "../../../flags/spec.ts";
import { fieldsFlag } from "../shared/field_list.ts";
import { EVENT_DETAIL_FIELDS, EVENT_FIELDS } from "./fields.ts";
import { LIMIT_FLAG } from "../shared/limit_flag.ts";

/** --interval of --follow; its default is applied by the verb's parse step. */
export const INTERVAL_FLAG = {
  long: "--interval",
  value: "duration",
  default: "2s",
  defaultBy: "parse",
  help: "how often --follow polls, such as 2s or 500ms",
} as const;

/** The flags of `events list`. */
export const LIST_FLAGS = flags(
  { long: "--since", value: "span", help: "only events of the last span, such as 30m, 1h, 7d" },
  { long: "--action", value: "action", choices: EVENT_ACTIONS, help: "only this action" },
  {
    long: "--actor",
    value: "id",
    help: "only events by this user (usr_...) or credential (key_..., ses_...)",
  },
  { long: "--target", value: "id", help: "only events about this user, key or tenant" },
  { ...LIMIT_FLAG, help: "stop after this many events" },
  { long: "--follow", help: "keep polling and print new events as they come, until interrupted (Ctrl-C)" },
  INTERVAL_FLAG,
  fieldsFlag(EVENT_FIELDS, EVENT_DETAIL_FIELDS),
);
