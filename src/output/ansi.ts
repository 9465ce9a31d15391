/** ANSI styles used by the table renderer on colour terminals. */
export const ansi = {
  bold: (s: string): string => `\x1b[1m${s}\x1b[22m`,
  green: (s: string): string => `\x1b[32m${s}\x1b[39m`,
  yellow: (s: string): string => `\x1b[33m${s}\x1b[39m`,
  gray: (s: string): string => `\x1b[90m${s}\x1b[39m`,
};

/** Colours a user status the way it reads at a glance. */
export function colorStatus(status: string): string {
  if (status === "active") return ansi.green(status);
  if (status === "pending") return ansi.yellow(status);
  if (status === "inactive") return ansi.gray(status);
  return status;
}
