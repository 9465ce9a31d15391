import { ApiKeysApi } from "../../../api/api_keys.ts";
import type { Context } from "../../../context.ts";
import { ValidationError } from "../../../errors.ts";
import { printable, writeRecord } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { parseTimeSpan } from "../shared/time_span.ts";
import { parseFieldList } from "../shared/field_list.ts";
import { type ApiKeyField, CREATED_KEY_DETAIL_FIELDS, CREATED_KEY_FIELDS, pickKeyFields } from "./fields.ts";

/** Parsed options of `api-keys create`. */
export interface CreateKeyOptions {
  globals: GlobalOptions;
  name: string;
  scopes: string[];
  /** How long the key works, in milliseconds; undefined: until revoked. */
  expiresInMs: number | undefined;
  fields: readonly ApiKeyField[];
}

/** Parses the arguments of `api-keys create`. */
export function parseCreateKeyOptions(
  raw: RawGlobalOptions & { name?: string; scope?: string[]; expiresIn?: string; fields?: string },
): CreateKeyOptions {
  const globals = parseGlobalOptions(raw);
  const name = raw.name?.trim();
  if (name === undefined) {
    throw new ValidationError('Required option "--name <name>" not specified', { code: "USAGE_ERROR" });
  }
  if (name === "") throw new ValidationError('Invalid --name "": must not be empty');
  if (globals.output === "id") {
    // The secret is shown once: an output without it would lose the key.
    throw new ValidationError('Invalid --output "id" for api-keys create: it would not print the key', {
      remediation: "Use -o table, json, ndjson, yaml or csv; the key is shown only once",
    });
  }
  return {
    globals,
    name,
    scopes: [...new Set(raw.scope ?? [])],
    expiresInMs: raw.expiresIn === undefined ? undefined : parseTimeSpan(raw.expiresIn, "--expires-in"),
    fields: parseFieldList(raw.fields, CREATED_KEY_FIELDS, CREATED_KEY_DETAIL_FIELDS, globals.output),
  };
}

/** Creates a key for the caller's user and prints it, secret included, this once, on stdout. */
export async function runCreateKey(options: CreateKeyOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const expiresAt = options.expiresInMs === undefined
    ? undefined
    : new Date(ctx.now().getTime() + options.expiresInMs).toISOString();
  const created = await new ApiKeysApi(session.client).create({
    name: options.name,
    scopes: options.scopes,
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  });
  await writeRecord(ctx.io.stdout, pickKeyFields(created, options.fields), {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
    keyValue: true,
  });
  if (ctx.io.stderrIsTerminal) {
    await ctx.io.stderr.write(
      `Created API key ${printable(created.name)} (${created.id}); save the key now: it is not shown again\n`,
    );
  }
}
