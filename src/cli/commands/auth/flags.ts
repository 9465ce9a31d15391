/**
 * The flags of the auth verbs (src/flags/spec.ts); ./mod.ts gives them to commander. They are the connection
 * options of src/session/flags.ts, with the help (and, for login, the defaults) of what these verbs do.
 */
import { flags, without } from "../../../flags/spec.ts";
import { DEFAULT_URL } from "../../../session/config.ts";
import {
  DEBUG_FLAG,
  OUTPUT_FLAG,
  PROFILE_FLAG,
  TIMEOUT_FLAG,
  URL_FLAG,
  VERBOSE_FLAG,
} from "../../../session/flags.ts";

/** The flags of `auth login`. */
export const LOGIN_FLAGS = flags(
  // The profile login writes: a login names a profile or creates "default", never overwrites whichever one
  // happens to be current (src/cli/commands/auth/login.ts, parseProfileOption).
  { ...without(PROFILE_FLAG, "defaultText"), default: "default", defaultBy: "parse", help: "profile name" },
  // Help names the whole chain when no URL is given, the profile's and then DEFAULT_URL (resolveUrl in
  // src/session/credentials.ts), in words instead of the base's constant default.
  {
    ...without(URL_FLAG, "default", "defaultBy"),
    defaultText: `the profile's, else ${DEFAULT_URL}`,
    help: "PhyCloud service URL",
  },
  { ...TIMEOUT_FLAG, help: "time limit of the check, such as 30s or 500ms" },
  VERBOSE_FLAG,
  DEBUG_FLAG,
);

/** The flags of `auth logout`: its profile defaults to the current one, as every other command's does. */
export const LOGOUT_FLAGS = flags({ ...PROFILE_FLAG, help: "profile to remove" });

/** The flags of `auth profiles`. */
export const PROFILES_FLAGS = flags(OUTPUT_FLAG);
