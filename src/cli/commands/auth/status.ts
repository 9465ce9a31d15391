import type { Context } from "../../../context.ts";
import { ADMIN_USERS_SCOPE } from "../../../api/types.ts";
import { documentText, isDocumentFormat, writeRecord } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { type AuthStatus, canManageUsers, fetchAuthStatus } from "../../../session/auth_status.ts";
import { type Credentials, profileReasonText } from "../../../session/credentials.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";

/** Parsed options of `auth status`. */
export interface StatusOptions {
  globals: GlobalOptions;
}

/** Parses the options of `auth status`. */
export function parseStatusOptions(raw: RawGlobalOptions): StatusOptions {
  return { globals: parseGlobalOptions(raw) };
}

/** A key shown as its public prefix and four characters, such as `phy_AbCd…`: never the whole secret. */
export function keyHint(key: string): string {
  const prefix = /^[a-z]+_/.exec(key)?.[0] ?? "";
  return `${prefix}${key.slice(prefix.length, prefix.length + 4)}…`;
}

/** The profile in effect, why it was chosen, and whether the URL or the key came from it. */
function profileLine(profile: AuthStatus["profile"], credentials: Credentials): string | null {
  if (profile === null) return null;
  const from = profileReasonText(profile.reason);
  const saved = credentials.savedProfiles.includes(profile.name);
  const used = [credentials.url, credentials.apiKey].some((s) => s?.source === "profile");
  const note = !saved ? ", not saved" : used ? "" : ", not used: the URL and key came from elsewhere";
  return `${profile.name} (chosen by ${from}${note})`;
}

/** The status as one flat row of data for CSV: the JSON object's fields, no words around them. */
function statusRow(doc: AuthStatus): Record<string, string | null> {
  return {
    url: doc.url,
    url_source: doc.sources.url,
    tenant_id: doc.tenant.id,
    tenant_name: doc.tenant.name,
    user_id: doc.user?.id ?? null,
    user_email: doc.user?.email ?? null,
    user_role: doc.user?.role ?? null,
    user_status: doc.user?.status ?? null,
    credential_type: doc.credential.type,
    credential_id: doc.credential.id,
    credential_name: doc.credential.name,
    scopes: doc.credential.scopes.join(" "),
    api_key_source: doc.sources.api_key,
    profile: doc.profile?.name ?? null,
    profile_reason: doc.profile?.reason ?? null,
  };
}

/** Calls `GET /v1/me` and prints the URL, tenant, user, credential and the sources of the URL and key. */
export async function runStatus(options: StatusOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx, { knowProfile: true });
  const { url, apiKey } = session.credentials;
  const doc = await fetchAuthStatus(session);
  const format = options.globals.output;
  if (isDocumentFormat(format)) {
    await ctx.io.stdout.write(await documentText(doc, format, ctx.io.stdoutIsTerminal));
  } else if (format === "id") await ctx.io.stdout.write(`${doc.user?.id ?? ""}\n`);
  else if (format === "csv") {
    const row = statusRow(doc);
    await writeRecord(ctx.io.stdout, row, {
      format,
      color: false,
      terminal: ctx.io.stdoutIsTerminal,
      columns: Object.keys(row),
    });
  } else {
    const { credential, tenant, user } = doc;
    await writeRecord(ctx.io.stdout, {
      url: `${url.value} (from ${url.origin})`,
      tenant: `${tenant.name} (${tenant.id})`,
      user: user === null ? null : `${user.email} (${user.role}, ${user.status})`,
      credential: `${credential.type} ${credential.id}${
        credential.name === null ? "" : ` "${credential.name}"`
      }`,
      scopes: credential.scopes.join(" ") || "none",
      api_key: apiKey === undefined ? null : `${keyHint(apiKey.value)} (from ${apiKey.origin})`,
      profile: profileLine(doc.profile, session.credentials),
    }, {
      format,
      color: session.color,
      terminal: ctx.io.stdoutIsTerminal,
      columns: ["url", "tenant", "user", "credential", "scopes", "api_key", "profile"],
      keyValue: true,
    });
  }
  if (!canManageUsers(doc)) {
    await ctx.io.stderr.write(
      `note: the key is valid but lacks the ${ADMIN_USERS_SCOPE} scope, so the users commands will be refused\n`,
    );
  }
}
