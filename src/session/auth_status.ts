import { ADMIN_USERS_SCOPE, type Credential, type UserStatus } from "../api/types.ts";
import type { ProfileReason, Source } from "./credentials.ts";
import type { ApiSession } from "./mod.ts";

/** The object `phyware auth status -o json` prints, and the MCP `whoami` tool returns. */
export type AuthStatus = {
  url: string;
  tenant: { id: string; name: string };
  user: { id: string; email: string; role: string; status: UserStatus } | null;
  credential: Credential;
  sources: { url: Source; api_key: Source | null };
  /** The profile in effect and why (`flag`, `env`, `current`, `default`); null with no config folder. */
  profile: { name: string; reason: ProfileReason } | null;
};

/** Asks `GET /v1/me` whom the session's key belongs to, and says where the URL and the key came from. */
export async function fetchAuthStatus(
  session: Pick<ApiSession, "users" | "credentials">,
): Promise<AuthStatus> {
  const me = await session.users.me();
  const { url, apiKey, profile } = session.credentials;
  return {
    url: url.value,
    tenant: { id: me.tenant.id, name: me.tenant.name },
    user: me.user === null
      ? null
      : { id: me.user.id, email: me.user.email, role: me.user.role, status: me.user.status },
    credential: me.credential,
    sources: { url: url.source, api_key: apiKey?.source ?? null },
    profile: profile === undefined ? null : { name: profile.name, reason: profile.reason },
  };
}

/** Whether the credential may use the users commands. */
export function canManageUsers(status: AuthStatus): boolean {
  return status.credential.scopes.includes(ADMIN_USERS_SCOPE);
}
