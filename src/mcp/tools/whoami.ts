import { z } from "zod";
import { ADMIN_USERS_SCOPE, STATUSES } from "../../api/types.ts";
import { canManageUsers, fetchAuthStatus } from "../../session/auth_status.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { inline } from "./user_text.ts";

const source = z.enum(["flag", "env", "dotenv", "file", "profile", "default", "prompt"]);

/** `whoami`: the object of `phyware auth status -o json`. */
export const whoami: McpTool = defineTool({
  name: "whoami",
  title: "Who am I",
  description: "Says which service, tenant, user and credential the tools act as, the credential's scopes, " +
    `and where the URL and API key came from. The users_* tools need the ${ADMIN_USERS_SCOPE} scope; ` +
    "whoami works with any valid key.",
  input: z.strictObject({}),
  output: z.strictObject({
    url: z.string().describe("The PhyCloud service URL"),
    tenant: z.strictObject({ id: z.string(), name: z.string() }),
    user: z.strictObject({ id: z.string(), email: z.string(), role: z.string(), status: z.enum(STATUSES) })
      .nullable(),
    credential: z.strictObject({
      type: z.enum(["api_key", "session"]),
      id: z.string(),
      name: z.string().nullable().describe("The API key's name; null for a session"),
      scopes: z.array(z.string()),
    }),
    sources: z.strictObject({ url: source, api_key: source.nullable() }),
    profile: z.strictObject({
      name: z.string(),
      reason: z.enum(["flag", "env", "current", "default"]).describe(
        "Why this profile: --profile, PHYCLOUD_PROFILE, config.json's current profile, or the default",
      ),
    }).nullable().describe("The profile in effect; null when there is no config folder"),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run(_, session) {
    const status = await fetchAuthStatus(session);
    const { user, tenant } = status;
    const who = user ? `${inline(user.email)} (${inline(user.id)}, ${inline(user.role)})` : "no user";
    const scopes = status.credential.scopes.length > 0 ? inline(status.credential.scopes.join(", ")) : "none";
    const lines = [
      `${status.url}: tenant ${inline(tenant.name)} (${inline(tenant.id)}), ${who}, scopes: ${scopes}`,
      `URL from ${status.sources.url}, API key from ${status.sources.api_key ?? "nowhere"}` +
      (status.profile && [status.sources.url, status.sources.api_key].includes("profile")
        ? `, profile ${inline(status.profile.name)} (chosen by ${status.profile.reason})`
        : ""),
    ];
    if (!canManageUsers(status)) {
      lines.push(`This key lacks the ${ADMIN_USERS_SCOPE} scope: the users_* tools will answer FORBIDDEN.`);
    }
    return { structured: status, text: lines.join("\n") };
  },
});
