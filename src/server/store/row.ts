/**
 * Typed readers of `node:sqlite` rows: each checks the column's type at run time instead of casting, so a
 * schema change that breaks a reader fails loudly at the first read. A row read as an array (see
 * `setReturnArrays`) is indexed by position, a row read as an object by column name.
 */
import type { SQLOutputValue } from "node:sqlite";
import { type Role, ROLES, STATUSES, type UserStatus } from "../../wire/mod.ts";

/** One row as `node:sqlite` returns it (an object, or an array when the statement returns arrays). */
export type Row = Record<string, SQLOutputValue>;

function unexpected(column: string | number, expected: string, value: unknown): Error {
  return new Error(
    `Unexpected database value in column ${column}: expected ${expected}, got ${typeof value}`,
  );
}

/** A TEXT column. */
export function text(row: Row, column: string | number): string {
  const value = row[column];
  if (typeof value !== "string") throw unexpected(column, "text", value);
  return value;
}

/** A TEXT column that may be NULL. */
export function textOrNull(row: Row, column: string | number): string | null {
  const value = row[column];
  if (value === null) return null;
  if (typeof value !== "string") throw unexpected(column, "text or null", value);
  return value;
}

/** A BLOB column (or a TEXT one read with CAST(... AS BLOB)): its bytes. */
export function blob(row: Row, column: string | number): Uint8Array {
  const value = row[column];
  if (!(value instanceof Uint8Array)) throw unexpected(column, "blob", value);
  return value;
}

/** An INTEGER column, as a number. */
export function integer(row: Row, column: string | number): number {
  const value = row[column];
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw unexpected(column, "integer", value);
}

function oneOf<T extends string>(row: Row, column: string | number, allowed: readonly T[]): T {
  const value = text(row, column);
  const found = allowed.find((item) => item === value);
  if (found === undefined) throw unexpected(column, allowed.join(" or "), value);
  return found;
}

/** A user's status column. */
export function status(row: Row, column: string | number): UserStatus {
  return oneOf(row, column, STATUSES);
}

/** A user's role column. */
export function role(row: Row, column: string | number): Role {
  return oneOf(row, column, ROLES);
}

/** A TEXT column holding a JSON array of strings (the scopes of a key). */
export function stringList(row: Row, column: string | number): string[] {
  const value: unknown = JSON.parse(text(row, column));
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw unexpected(column, "a JSON array of strings", value);
  }
  return value;
}
