import { ApiKeysApi } from "../../../api/api_keys.ts";
import type { Context } from "../../../context.ts";
import { CancelledError } from "../../../errors.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { isYes } from "../shared/confirm.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { type ApiKeyField, parseKeyFields, pickKeyFields } from "./fields.ts";
import { parseKeyId } from "./key_id.ts";

/** Parsed options of `api-keys revoke`. */
export interface RevokeKeyOptions {
  globals: GlobalOptions;
  id: string;
  yes: boolean;
  fields: readonly ApiKeyField[];
}

/** Parses the arguments of `api-keys revoke`. */
export function parseRevokeKeyOptions(
  id: string,
  raw: RawGlobalOptions & { yes?: true; fields?: string },
): RevokeKeyOptions {
  const globals = parseGlobalOptions(raw);
  return {
    globals,
    id: parseKeyId(id),
    yes: raw.yes === true,
    fields: parseKeyFields(raw.fields, globals.output),
  };
}

/**
 * Revokes a key after confirmation on a terminal (as `users deactivate` asks: only when stdin and stderr are
 * terminals and --yes is absent); an already revoked key is reported, not an error.
 */
export async function runRevokeKey(options: RevokeKeyOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const api = new ApiKeysApi(session.client);
  const render = {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  };
  const key = await api.get(options.id);
  const label = `${printable(key.name)} (${key.id})`;
  if (key.status === "revoked") {
    await ctx.io.stderr.write(`API key ${label} is already revoked; nothing to do\n`);
    await writeRecord(ctx.io.stdout, pickKeyFields(key, options.fields), render);
    return;
  }
  if (!options.yes && ctx.io.stdinIsTerminal && ctx.io.stderrIsTerminal) {
    const answer = await ctx.io.readLine(
      `Revoke API key ${label}? Every program using it is refused from its next request, ` +
        "and this cannot be undone. [y/N] ",
    );
    // End the prompt's line when the user pressed Ctrl-D, so the error starts on its own line.
    if (answer === null) await ctx.io.stderr.write("\n");
    if (!isYes(answer)) throw new CancelledError(`Cancelled: API key ${label} was not revoked`);
  }
  const revoked = await api.revoke(options.id);
  if (ctx.io.stderrIsTerminal) await ctx.io.stderr.write(`Revoked API key ${label}\n`);
  await writeRecord(ctx.io.stdout, pickKeyFields(revoked, options.fields), render);
}
