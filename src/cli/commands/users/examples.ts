/** The spec's EXAMPLES, shown by `--help` of the group and of each verb. */
export const EXAMPLES = {
  invite: [
    ["Invite a user", "phyware users invite --email alice@example.com"],
    ["Invite with a specific role", "phyware users invite --email bob@example.com --role admin"],
    [
      "Invite every row of a CSV file (email,role), four at a time",
      "phyware users invite --from-file team.csv -o ndjson",
    ],
  ],
  list: [
    ["List all users", "phyware users list"],
    ["List users as JSON", "phyware users list --output json"],
    ["List the users whose email contains a text", "phyware users list --search acme.example"],
  ],
  get: [
    ["Get a specific user", "phyware users get usr_abc123"],
    ["Get the user of an email address", "phyware users get alice@example.com"],
  ],
  deactivate: [
    ["Deactivate a user", "phyware users deactivate usr_abc123"],
    [
      "Deactivate every pending user, without a prompt",
      "phyware users list --status pending -o id | phyware users deactivate --from-file - --yes",
    ],
  ],
  setRole: [["Make a user an admin", "phyware users set-role usr_abc123 --role admin"]],
  resendInvite: [["Send a pending user a new invitation email", "phyware users resend-invite usr_abc123"]],
} as const;
