/** The environment variables phyware reads, with what each does (`help environment`, `schema`). */
export const ENVIRONMENT: ReadonlyArray<{ name: string; description: string }> = [
  { name: "PHYCLOUD_URL", description: "service URL (default http://localhost:8000)" },
  { name: "PHYCLOUD_API_KEY", description: "API key with the admin:users scope" },
  {
    name: "PHYCLOUD_API_KEY_FILE",
    description: 'file holding the API key (container secrets); "-" is stdin',
  },
  {
    name: "PHYCLOUD_PROFILE",
    description: 'profile of config.json to use (default: the current one, else "default")',
  },
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
    name: "PHYWARE_DEBUG",
    description: '"1": as --debug, every request and response on stderr, secrets redacted',
  },
  {
    name: "PHYCLOUD_BOOTSTRAP_API_KEY",
    description: "server start: the first admin's key on a new database",
  },
  { name: "XDG_DATA_HOME", description: "server start: the database folder (else ~/.local/share/phyware)" },
];

/** The text of `phyware help environment`. */
export function environmentHelp(): string {
  const vars = ENVIRONMENT.map((v) => `  ${v.name.padEnd(28)} ${v.description}\n`).join("");
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
