/**
 * The rows of a bulk command's --from-file, as people export them: CSV (RFC 4180 through csv-parse: quoted
 * fields across lines, a BOM, CRLF; the delimiter sniffed among `,`, `;` and tab) with a header or without,
 * NDJSON, or one id a line. Errors name a line number or a count, never the file's content (a first line
 * may well be a key from a `.env`).
 */
import type { Context } from "../../../context.ts";
import { quoted, ValidationError } from "../../../errors.ts";
import { fileError } from "../../../file_error.ts";
import { emailKey } from "../../../email/key.ts";
import { normalizeEmail } from "../../../email/mod.ts";
import { LineTooLongError, MAX_LINE_LENGTH } from "../../../runtime/read_lines.ts";
import { userIdProblem } from "../../../arguments/user_id.ts";
import { spoolBytes } from "./line_spool.ts";

/** One row to invite: its line in the file (or the position of its --email), email and role. */
export interface InviteRow {
  line: number;
  email: string;
  /** The row's role, or undefined to use --role. */
  role: string | undefined;
}

/** One id to deactivate and its line. */
export interface IdRow {
  line: number;
  id: string;
}

/** Rows counted and checked whole, then streamed again as often as asked; dispose it when done. */
export interface RowSource<Row> extends AsyncDisposable {
  total: number;
  rows: () => AsyncIterable<Row>;
}

/** How to find the columns: the names given by --email-column and --role-column, if any. */
export interface ColumnChoice {
  emailColumn?: string | undefined;
  roleColumn?: string | undefined;
}

// Header names, compared by columnKey: Google Workspace's "Email Address [Required]", Okta's "login", ...
const EMAIL_NAMES = ["email", "emailaddress", "primaryemail", "mail", "useremail"];
// Okta's export names the address "login"; it is the email column only when no other column is one.
const FALLBACK_EMAIL_NAMES = ["login"];
const ROLE_NAMES = ["role", "userrole"];
const DELIMITERS = [",", ";", "\t"] as const;

/** A header name as compared: lower case, without spaces, `_`, `-` or a bracketed suffix ("[Required]"). */
export function columnKey(name: string): string {
  return name.replace(/\s*[[(][^\])]*[\])]\s*$/, "").toLowerCase().replace(/[\s_-]+/g, "");
}

/** What to do about a malformed file of invite rows. */
export const INVITE_FILE_FIX =
  'Give a CSV with an email column (and optionally "role"), a list of addresses, ' +
  'or NDJSON lines {"email": ...}; --email-column NAME chooses the column';
/** What to do about a malformed file of ids. */
export const ID_FILE_FIX = "Give one user id a line, as phyware users list -o id prints them";

function malformed(line: number, why: string, fix = INVITE_FILE_FIX): ValidationError {
  return new ValidationError(`Invalid --from-file at line ${line}: ${why}`, { remediation: fix });
}

/** The column among `names` (header names or NDJSON keys) that --flag or the known names choose. */
function findColumn(
  names: readonly string[],
  chosen: string | undefined,
  flag: string,
  known: readonly string[],
  fallback: readonly string[],
  line: number,
): number {
  if (chosen !== undefined) {
    const exact = names.indexOf(chosen);
    if (exact !== -1) return exact;
    const loose = names.findIndex((n) => columnKey(n) === columnKey(chosen));
    if (loose !== -1) return loose;
    throw malformed(line, `no column named ${quoted(chosen)} (${flag}) among its ${names.length}`);
  }
  for (const tier of [known, fallback]) {
    const found = names.flatMap((n, i) => tier.includes(columnKey(n)) ? [i] : []);
    if (found.length === 1) return found[0] ?? -1;
    if (found.length > 1) {
      // These names matched the known ones, so they are column names, not secrets.
      throw malformed(
        line,
        `several columns could be it: ${
          found.map((i) => quoted(names[i] ?? "")).join(", ")
        }; choose with ${flag}`,
      );
    }
  }
  return -1;
}

function sniffDelimiter(line: string): (typeof DELIMITERS)[number] {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: (typeof DELIMITERS)[number] = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

function looksLikeEmail(field: string): boolean {
  try {
    normalizeEmail(field.trim());
    return true;
  } catch {
    return false;
  }
}

function csvProblem(error: unknown): ValidationError | undefined {
  const e = error as { code?: unknown; lines?: unknown };
  if (typeof e.code !== "string" || !e.code.startsWith("CSV_")) return undefined;
  const line = typeof e.lines === "number" ? e.lines : 0;
  const why = e.code === "CSV_MAX_RECORD_SIZE"
    ? "a row longer than 1 MiB"
    : e.code === "CSV_QUOTE_NOT_CLOSED"
    ? "a quoted field is never closed"
    : e.code === "CSV_INVALID_CLOSING_QUOTE"
    ? "a quote in the middle of a field that is not quoted"
    : "not valid CSV";
  return malformed(line, why);
}

/** The file's lines, read as the runtime does; a line over 1 MiB is an error naming its number. */
async function* linesOf(path: string, ctx: Context, fix = INVITE_FILE_FIX): AsyncGenerator<string> {
  try {
    yield* ctx.readLines(path);
  } catch (error) {
    if (error instanceof LineTooLongError) throw malformed(error.line, "longer than 1 MiB", fix);
    throw error;
  }
}

/** The records of a CSV file with their first line, through csv-parse (loaded only by bulk commands). */
async function* csvRecords(
  path: string,
  delimiter: string,
  ctx: Context,
): AsyncGenerator<{ line: number; fields: string[] }> {
  const { parse } = await import("csv-parse");
  const { Readable } = await import("node:stream");
  const source = Readable.from((async function* () {
    // Lines go to the parser in batches of about 64 KiB: a stream chunk per line costs more than parsing it.
    let batch: string[] = [];
    let size = 0;
    for await (const line of linesOf(path, ctx)) {
      batch.push(line);
      size += line.length + 1;
      if (size >= 65536) {
        yield batch.join("\n") + "\n";
        batch = [];
        size = 0;
      }
    }
    if (batch.length > 0) yield batch.join("\n") + "\n";
  })());
  const parser = source.pipe(parse({
    bom: true,
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    max_record_size: MAX_LINE_LENGTH,
  }));
  // pipe() does not carry the source's error (a line over 1 MiB, a missing file) to the parser: do it here.
  source.on("error", (error) => parser.destroy(error));
  try {
    for await (
      const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>
    ) {
      // info.lines is the record's last line; a quoted field across lines started that many lines earlier.
      const breaks = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
      if (record.every((f) => f === "")) continue;
      yield { line: info.lines - breaks, fields: record };
    }
  } catch (error) {
    throw csvProblem(error) ?? error;
  } finally {
    parser.destroy();
    source.destroy();
  }
}

/** The file's first line that is not blank, and its number: to tell NDJSON, CSV and its delimiter apart. */
async function firstLine(path: string, ctx: Context): Promise<{ text: string; line: number } | undefined> {
  let n = 0;
  for await (const raw of linesOf(path, ctx)) {
    n++;
    const text = raw.replace(/^\uFEFF/, "");
    if (text.trim() !== "") return { text, line: n };
  }
  return undefined;
}

/**
 * Reads invite rows: NDJSON when the first character is `{`, else CSV. A CSV's email column is found by
 * name (see columnKey and docs), or is the first column of a file without a header (its first field an
 * address). A malformed file throws naming the line; a bad email or role is the row's own failure, later.
 */
export async function* inviteRows(
  path: string,
  ctx: Context,
  choice: ColumnChoice = {},
): AsyncGenerator<InviteRow> {
  const first = await firstLine(path, ctx);
  if (first === undefined) return;
  if (first.text.trimStart().startsWith("{")) {
    yield* ndjsonRows(path, ctx, choice);
    return;
  }
  const delimiter = sniffDelimiter(first.text);
  let emailAt = -1;
  let roleAt = -1;
  let header = true;
  for await (const { line, fields } of csvRecords(path, delimiter, ctx)) {
    if (header) {
      header = false;
      if (choice.emailColumn === undefined && looksLikeEmail(fields[0] ?? "")) {
        // No header: a list of addresses, `email[,role]` a line.
        [emailAt, roleAt] = [0, 1];
      } else {
        emailAt = findColumn(
          fields,
          choice.emailColumn,
          "--email-column",
          EMAIL_NAMES,
          FALLBACK_EMAIL_NAMES,
          line,
        );
        roleAt = findColumn(fields, choice.roleColumn, "--role-column", ROLE_NAMES, [], line);
        if (emailAt === -1) {
          throw malformed(
            line,
            `none of the header's ${fields.length} columns is an email column (email, e-mail, email address, ` +
              "primary email, mail, user email, login)",
          );
        }
        continue;
      }
    }
    yield {
      line,
      email: fields[emailAt] ?? "",
      role: roleAt === -1 ? undefined : fields[roleAt] || undefined,
    };
  }
}

async function* ndjsonRows(path: string, ctx: Context, choice: ColumnChoice): AsyncGenerator<InviteRow> {
  let n = 0;
  for await (const raw of linesOf(path, ctx)) {
    n++;
    const text = raw.replace(/^\uFEFF/, "");
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw malformed(n, "not a JSON object");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw malformed(n, "not a JSON object");
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const emailKey =
      keys[findColumn(keys, choice.emailColumn, "--email-column", EMAIL_NAMES, FALLBACK_EMAIL_NAMES, n)];
    const roleKey = keys[findColumn(keys, choice.roleColumn, "--role-column", ROLE_NAMES, [], n)];
    const email = emailKey === undefined ? undefined : record[emailKey];
    const role = roleKey === undefined ? undefined : record[roleKey];
    if (typeof email !== "string") throw malformed(n, 'no "email" string');
    if (role !== undefined && role !== null && typeof role !== "string") {
      throw malformed(n, '"role" is not a string');
    }
    yield { line: n, email, role: typeof role === "string" && role.trim() !== "" ? role : undefined };
  }
}

/**
 * Reads the ids of a file, one a line (as `-o id` prints them); blank lines are skipped. A line that is no
 * USER_ID (parseUserId's rule) makes the file malformed, so fromFile's checking pass refuses it before any
 * request, naming the line but not echoing it.
 */
export async function* idRows(path: string, ctx: Context): AsyncGenerator<IdRow> {
  let n = 0;
  for await (const raw of linesOf(path, ctx, ID_FILE_FIX)) {
    n++;
    const id = raw.replace(/^\uFEFF/, "").trim();
    if (id === "") continue;
    // A key, a token or a `.env` line given by mistake would be echoed in the results: refuse it unseen.
    if (/ph[ysi]_|=/.test(id)) {
      throw malformed(n, "not a user id (it looks like a secret or a setting)", ID_FILE_FIX);
    }
    // A CSV or NDJSON export (users list -o csv or -o ndjson) is not a list of ids: refused, not sent line by line.
    if (/[{}",;:]/.test(id) || /^id$/i.test(id)) {
      throw malformed(n, "not a user id (it looks like CSV or JSON, or a header)", ID_FILE_FIX);
    }
    const problem = userIdProblem(id);
    if (problem !== undefined) throw malformed(n, `not a user id (${problem})`, ID_FILE_FIX);
    yield { line: n, id };
  }
}

/** How fromFile checks a file: `check` sees each row once, in order; `fix` is the remediation of "no rows". */
export interface FileCheck<Row> {
  check?: (row: Row) => void;
  fix?: string;
}

/**
 * The rows of --from-file, checked whole before anything is sent (a malformed file exits 4 naming the line),
 * then read again as a stream to send. Standard input, which cannot be read twice, is first copied to a
 * private temporary file (0600), so that neither pass holds the rows.
 */
export async function fromFile<Row>(
  path: string,
  ctx: Context,
  read: (path: string) => AsyncIterable<Row>,
  { check = () => {}, fix = INVITE_FILE_FIX }: FileCheck<Row> = {},
): Promise<RowSource<Row>> {
  const spool = path === "-" ? await spoolBytes(ctx.io.openStdin()) : undefined;
  const file = spool?.path ?? path;
  const done = async () => await spool?.[Symbol.asyncDispose]();
  let total = 0;
  try {
    for await (const row of read(file)) {
      total++;
      check(row);
    }
    if (total === 0) throw malformed(1, "no rows", fix);
  } catch (error) {
    await done();
    throw fileError(error, `read --from-file ${quoted(path)}`, { validation: true }) ?? error;
  }
  return { total, rows: () => read(file), [Symbol.asyncDispose]: done };
}

/** Rows given on the command line (several --email or USER_IDs), numbered from 1. */
export function fromList<Row>(rows: Row[]): RowSource<Row> {
  return {
    total: rows.length,
    rows: () =>
      (async function* () {
        yield* rows;
      })(),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

// Two FNV-1a hashes of a row's key in one 52-bit number: the first pass keeps these, not the keys.
function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a * 0x100000 + (b & 0xfffff);
}

/** A row's mailbox key by the one email rule (case, NFC, IDN), or undefined when it is no address. */
export function mailboxOf(row: InviteRow): string | undefined {
  try {
    return emailKey(normalizeEmail(row.email));
  } catch {
    return undefined;
  }
}

/**
 * Finds rows that repeat an earlier row's key (`keyOf`: a mailbox by the one email rule, or a user id; an
 * undefined key is never a repeat). `check` sees every row once first (fromFile's checking pass) and keeps a
 * hash of each key, a few bytes a row; then `duplicateOf`, called for each row in input order as it is sent,
 * compares the exact keys of the few rows whose hash came twice, and names the earlier line. `repeats` counts
 * the rows whose hash was seen before (exact but for a 52-bit hash collision): rows minus repeats is the
 * number of distinct keys.
 */
export function duplicateFinder<Row extends { line: number }>(keyOf: (row: Row) => string | undefined): {
  check: (row: Row) => void;
  duplicateOf: (row: Row) => number | undefined;
  readonly repeats: number;
} {
  const hashes = new Set<number>();
  const twice = new Set<number>();
  const first = new Map<string, number>();
  let repeats = 0;
  return {
    check(row) {
      const key = keyOf(row);
      if (key === undefined) return;
      const hash = keyHash(key);
      if (hashes.has(hash)) {
        twice.add(hash);
        repeats++;
      } else hashes.add(hash);
    },
    get repeats() {
      return repeats;
    },
    duplicateOf(row) {
      if (hashes.size > 0 && twice.size === 0) return undefined;
      const key = keyOf(row);
      if (key === undefined || !twice.has(keyHash(key))) return undefined;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, row.line);
      return earlier;
    },
  };
}
