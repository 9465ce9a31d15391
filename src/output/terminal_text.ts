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

/** Escapes what steers a terminal in a quoted value as `\uXXXX`, as JSON escapes the C0 controls. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
