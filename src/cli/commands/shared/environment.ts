import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { specOf } from "../../../flags/commander.ts";

/** One environment variable phyware reads, and what it does. */
export interface EnvironmentVariable {
  name: string;
  description: string;
}

/** The variables no flag declares: the config folder, colour, and what the server's first start reads. */
const OTHER_VARIABLES: readonly EnvironmentVariable[] = [
  {
    name: "PHYCLOUD_CONFIG_DIR",
    description:
      "folder of config.json (else $XDG_CONFIG_HOME/phyware, ~/.config/phyware, %APPDATA%\\phyware)",
  },
  { name: "XDG_CONFIG_HOME", description: "see PHYCLOUD_CONFIG_DIR" },
  { name: "NO_COLOR", description: "set and not empty: tables without colour, whatever else is set" },
  { name: "FORCE_COLOR", description: 'set, not "0" or "false": colour even when stdout is piped' },
  { name: "CLICOLOR_FORCE", description: 'set, not "0": colour even when stdout is piped' },
  { name: "CLICOLOR", description: '"0": no colour on a terminal' },
  { name: "TERM", description: '"dumb": tables without colour' },
  {
    name: "PHYCLOUD_BOOTSTRAP_API_KEY",
    description: "server start: the first admin's key on a new database",
  },
  { name: "XDG_DATA_HOME", description: "server start: the database folder (else ~/.local/share/phyware)" },
];

/**
 * Every environment variable phyware reads (`help environment`, `schema`): first those a flag declares, found
 * in the command tree, each said with its flag's help and default (so a flag's variable cannot be left out),
 * then the others.
 */
export function environmentOf(root: CommandUnknownOpts): EnvironmentVariable[] {
  const declared = new Map<string, EnvironmentVariable>();
  const walk = (cmd: CommandUnknownOpts, group: string | undefined): void => {
    for (const option of cmd.options) {
      const spec = specOf(option);
      if (spec?.env === undefined || declared.has(spec.env)) continue;
      // A switch's variable turns it on with 1 or true (src/api/debug_trace.ts for --debug); the server's
      // variables say so, as the service's client never reads them.
      const flag = group === "server" ? `server: as ${spec.long}` : `as ${spec.long}`;
      const role = spec.value === undefined ? `"1" or "true": ${flag}` : flag;
      const fallback = spec.default ?? spec.defaultText;
      const shown = fallback === undefined ? "" : ` (default: ${fallback})`;
      declared.set(spec.env, { name: spec.env, description: `${role}, ${spec.help}${shown}` });
    }
    for (const sub of cmd.commands) walk(sub, group ?? sub.name());
  };
  walk(root, undefined);
  return [...declared.values(), ...OTHER_VARIABLES];
}

/** The text of `phyware help environment`. */
export function environmentHelp(root: CommandUnknownOpts): string {
  const vars = environmentOf(root).map((v) => `  ${v.name.padEnd(28)} ${v.description}\n`).join("");
  return `Environment variables\n\n${vars}
Files
  ./.env                       PHYCLOUD_URL and PHYCLOUD_API_KEY, from the working directory
  config.json                  profiles saved by phyware auth login, and the current one (0600; its
                               folder is made 0700, and refused if others can write to it)

Precedence, for the URL and the key separately (the first that gives a value wins)
  1. flags         --url; --api-key or --api-key-file
  2. environment   PHYCLOUD_URL; PHYCLOUD_API_KEY or PHYCLOUD_API_KEY_FILE
  3. .env          PHYCLOUD_URL, PHYCLOUD_API_KEY
  4. profile       --profile, else PHYCLOUD_PROFILE, else the current one (auth switch), else "default"
  5. default       http://localhost:8000 (there is no default key)

A set but empty variable keeps .env from supplying that setting. A .env is the one source a folder
controls rather than you: a key that did not come from .env is never sent to a URL that came from .env,
unless that URL is loopback (exit 4, before any request).
`;
}
