/** RFC 3339 times as the API accepts them (`expires_at`, `since`, `until`). */

const SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * The instant of an RFC 3339 time with a zone (seconds optional), or undefined when the text is not one or
 * names a day or time that does not exist (February 31st, 25:00), which Date would silently roll over.
 *
 * @example parseRfc3339("2030-01-31T00:00:00Z")?.toISOString() // "2030-01-31T00:00:00.000Z"
 */
export function parseRfc3339(text: string): Date | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, zoneHour = 0, zoneMinute = 0] = m
    .slice(1).map((v) => Number(v ?? 0));
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > lastDay) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || zoneHour > 23 || zoneMinute > 59) return undefined;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
