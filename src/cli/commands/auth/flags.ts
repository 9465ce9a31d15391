/** The flags of the auth verbs, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { DEFAULT_TIMEOUT_MS } from "../../../session/config.ts";
import { flags } from "../../../flags/spec.ts";
import { DEBUG_FLAG, OUTPUT_FLAG, VERBOSE_FLAG } from "../../../session/flags.ts";

/** --profile of login and logout: the profile to write or remove. */
export const PROFILE_FLAG = {
  long: "--profile",
  value: "name",
  env: "PHYCLOUD_PROFILE",
  default: "default",
  defaultBy: "parse",
  help: "profile name",
} as const;

/** The flags of `auth login`. */
export const LOGIN_FLAGS = flags(
  PROFILE_FLAG,
  {
    long: "--url",
    value: "url",
    env: "PHYCLOUD_URL",
    help: "PhyCloud service URL (default: the profile's, else http://localhost:8000)",
  },
  {
    long: "--timeout",
    value: "duration",
    default: `${DEFAULT_TIMEOUT_MS / 1000}s`,
    defaultBy: "parse",
    help: "time limit of the check, such as 30s or 500ms",
  },
  VERBOSE_FLAG,
  DEBUG_FLAG,
);

/** The flags of `auth logout`: its profile defaults to the current one, not to "default". */
export const LOGOUT_FLAGS = flags({
  long: "--profile",
  value: "name",
  env: "PHYCLOUD_PROFILE",
  help: 'profile to remove (default: the current one, else "default")',
});

/** The flags of `auth profiles`. */
export const PROFILES_FLAGS = flags(OUTPUT_FLAG);
