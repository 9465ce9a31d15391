import { ADMIN_USERS_SCOPE, type Credential, type UserStatus } from "../../api/types.ts";
import type { Source } from "../../credentials.ts";
import type { ApiSession } from "../../session.ts";

/** The object `phyware auth status -o json` prints, and the MCP `whoami` tool returns. */
export type AuthStatus = {
  url: string;
  tenant: { id: string; name: string };
  user: { id: string; email: string; role: string; status: UserStatus } | null;
  credential: Credential;
  sources: { url: Source; api_key: Source | null };
};

/** Asks `GET /v1/me` whom the session's key belongs to, and says where the URL and the key came from. */
export async function fetchAuthStatus(
  session: Pick<ApiSession, "users" | "credentials">,
): Promise<AuthStatus> {
  const me = await session.users.me();
  const { url, apiKey } = session.credentials;
  return {
    url: url.value,
    tenant: { id: me.tenant.id, name: me.tenant.name },
    user: me.user === null
      ? null
      : { id: me.user.id, email: me.user.email, role: me.user.role, status: me.user.status },
    credential: me.credential,
    sources: { url: url.source, api_key: apiKey?.source ?? null },
  };
}

/** Whether the credential may use the users commands. */
export function canManageUsers(status: AuthStatus): boolean {
  return status.credential.scopes.includes(ADMIN_USERS_SCOPE);
}
