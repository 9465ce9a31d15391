/**
 * Characters that steer a terminal rather than print: C0 and C1 controls and DEL (escape sequences, line
 * breaks, BEL) and the Unicode bidirectional controls (U+202E and friends reorder what is shown).
 */
export const UNSAFE_FOR_TERMINAL = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Replaces every character that steers a terminal with `replacement` (a space unless told). */
export function neutralise(text: string, replacement = " "): string {
  return text.replace(UNSAFE_FOR_TERMINAL, replacement);
}

/** A record whose values are safe to print on a terminal in any format (see neutralise). */
export function terminalRecord<T extends Readonly<Record<string, string | null>>>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, v === null ? null : neutralise(v)]),
  ) as T;
}

/** A document (nested objects and arrays) with every string neutralised, for YAML on a terminal. */
export function terminalDocument<T>(value: T): T {
  if (typeof value === "string") return neutralise(value) as T;
  if (Array.isArray(value)) return value.map(terminalDocument) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalDocument(v)])) as T;
  }
  return value;
}

// What JSON.stringify leaves raw of UNSAFE_FOR_TERMINAL: DEL, the C1 controls and the bidi controls (it
// escapes the C0 controls inside strings itself; outside them, line breaks are the text's own layout).
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes, in JSON text, what JSON.stringify leaves raw and could steer a terminal, as `\uXXXX`: the text
 * stays valid JSON with the same data.
 */
export function escapeUnsafe(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Like neutralise, but keeps line breaks and tabs: for whole texts (a raw response body) shown on a terminal. */
export function neutraliseKeepingLines(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => (c === "\n" || c === "\t" ? c : "?"));
}
