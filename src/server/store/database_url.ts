/**
 * A `--db` value written as a URL (`scheme://...`) names a database server; anything else is a SQLite file.
 * Free of imports, so `server start`'s parse step checks the scheme without loading a store.
 */

/** The URL schemes `--db` serves besides a SQLite file path (each PostgreSQL). */
export const DATABASE_URL_SCHEMES: readonly string[] = ["postgres", "postgresql"];

/** The scheme of a `--db` value written as a URL, lower-cased; undefined for a file path. */
export function databaseUrlScheme(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
}

/** The location with a URL's password replaced, for every message and log line. */
export function displayLocation(location: string): string {
  if (databaseUrlScheme(location) === undefined) return location;
  try {
    const url = new URL(location);
    if (url.password !== "") url.password = "***";
    return url.href;
  } catch {
    return "(a database URL that cannot be parsed)";
  }
}
