/** `GET /v1/me`: the caller's user, tenant, scopes and credential. */
import type { Me } from "../../wire/mod.ts";
import type { AuthedCall } from "../call.ts";
import { jsonResponse } from "../problem.ts";
import { wireTenant, wireUser } from "../wire.ts";

/** Describes the credential in the Authorization header. */
export async function getMe({ env, principal }: AuthedCall): Promise<Response> {
  const [user, tenant] = await Promise.all([
    env.store.getUser(principal.tenantId, principal.userId),
    env.store.getTenant(principal.tenantId),
  ]);
  if (!tenant) throw new Error(`Tenant ${principal.tenantId} of a live credential is missing`);
  const me: Me = {
    user: user ? wireUser(user) : null,
    tenant: wireTenant(tenant),
    scopes: principal.scopes,
    credential: {
      type: principal.kind,
      id: principal.credentialId,
      name: principal.credentialName,
      scopes: principal.scopes,
    },
  };
  return jsonResponse(200, me);
}
