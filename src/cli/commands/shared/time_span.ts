/** Spans of minutes to years on the command line: `--expires-in 90d`, `--since 1h`. */
import { quoted, ValidationError } from "../../../errors.ts";

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 60 * 60_000,
  d: 24 * 60 * 60_000,
  w: 7 * 24 * 60 * 60_000,
};
/** The longest span accepted: ten years. */
export const MAX_SPAN_MS = 3650 * 24 * 60 * 60_000;

/**
 * Parses a whole number of minutes, hours, days or weeks into milliseconds.
 *
 * @example parseTimeSpan("90d", "--expires-in") // 7776000000
 */
export function parseTimeSpan(raw: string, flag: string): number {
  const match = /^\s*(\d{1,7})\s*([mhdw])\s*$/.exec(raw);
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? NaN) : NaN;
  if (!(ms >= 60_000)) {
    throw new ValidationError(
      `Invalid ${flag} ${
        quoted(raw)
      }: expected a whole number of minutes, hours, days or weeks, such as 30m, 1h, 90d or 2w`,
    );
  }
  if (ms > MAX_SPAN_MS) throw new ValidationError(`Invalid ${flag} ${quoted(raw)}: must be at most 3650d`);
  return ms;
}
