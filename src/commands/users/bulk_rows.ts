import type { Context } from "../../context.ts";
import { quoted, ValidationError } from "../../errors.ts";
import { spoolLines } from "./line_spool.ts";

/** One row to invite: its line in the file (or the position of its --email), email and role. */
export interface InviteRow {
  line: number;
  email: string;
  /** The row's role, or undefined to use --role. */
  role: string | undefined;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted_ = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted_) {
      if (c === '"' && line[i + 1] === '"') (field += '"', i++);
      else if (c === '"') quoted_ = false;
      else field += c;
    } else if (c === '"') quoted_ = true;
    else if (c === ",") (fields.push(field), field = "");
    else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

function malformed(line: number, why: string): ValidationError {
  return new ValidationError(`Invalid --from-file at line ${line}: ${why}`, {
    remediation: 'Give a CSV with an "email" column (and optionally "role"), or NDJSON lines {"email": ...}',
  });
}

/**
 * Reads invite rows from CSV (a header row with an `email` column and optionally `role`) or NDJSON (a first
 * non-blank character `{`), line by line. A malformed file throws naming the line; a bad email or role is the
 * row's own failure, reported later.
 */
export async function* inviteRows(lines: AsyncIterable<string>): AsyncGenerator<InviteRow> {
  let kind: "csv" | "ndjson" | undefined;
  let emailAt = -1;
  let roleAt = -1;
  let n = 0;
  for await (const raw of lines) {
    n++;
    const text = raw.replace(/^\uFEFF/, "");
    if (text.trim() === "") continue;
    if (kind === undefined) {
      kind = text.trimStart().startsWith("{") ? "ndjson" : "csv";
      if (kind === "csv") {
        const header = csvFields(text).map((h) => h.toLowerCase());
        emailAt = header.indexOf("email");
        roleAt = header.indexOf("role");
        if (emailAt === -1) {
          throw malformed(n, `the header ${quoted(text.slice(0, 80))} has no "email" column`);
        }
        continue;
      }
    }
    if (kind === "csv") {
      const fields = csvFields(text);
      const role = roleAt === -1 ? undefined : fields[roleAt] || undefined;
      yield { line: n, email: fields[emailAt] ?? "", role };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw malformed(n, "not a JSON object");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw malformed(n, "not a JSON object");
    }
    const email = "email" in value ? value.email : undefined;
    const role = "role" in value ? value.role : undefined;
    if (typeof email !== "string") throw malformed(n, 'no "email" string');
    if (role !== undefined && role !== null && typeof role !== "string") {
      throw malformed(n, '"role" is not a string');
    }
    yield { line: n, email, role: typeof role === "string" ? role : undefined };
  }
}

/** The rows of --from-file: how many, and a fresh stream of them each call; dispose it when done. */
export interface RowSource extends AsyncDisposable {
  total: number;
  rows: () => AsyncIterable<InviteRow>;
}

/**
 * The rows of --from-file, checked whole before anything is sent (a malformed file exits 4 naming the line),
 * then read again as a stream to send. Standard input, which cannot be read twice, is first copied to a private
 * temporary file (0600), so that neither pass holds the rows in memory.
 */
export async function fromFile(path: string, ctx: Context): Promise<RowSource> {
  const spool = path === "-" ? await spoolLines(ctx.readLines("-")) : undefined;
  const file = spool?.path ?? path;
  const done = async () => await spool?.[Symbol.asyncDispose]();
  let total = 0;
  try {
    for await (const _ of inviteRows(ctx.readLines(file))) total++;
    if (total === 0) throw malformed(1, "no rows");
  } catch (error) {
    await done();
    if ((error as { code?: unknown }).code === "ENOENT") {
      throw new ValidationError(`Cannot read --from-file ${quoted(path)}: no such file`);
    }
    throw error;
  }
  return { total, rows: () => inviteRows(ctx.readLines(file)), [Symbol.asyncDispose]: done };
}
