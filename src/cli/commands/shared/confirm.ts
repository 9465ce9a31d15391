/** The answers to a confirmation prompt, shared by the verbs that ask one, and the flag that skips it. */

/** `--yes`: no prompt; a verb derives its help when it says more (`{ ...YES_FLAG, help }`). */
export const YES_FLAG = { long: "--yes", short: "-y", help: "do not ask for confirmation" } as const;

/** Whether an answer to the confirmation prompt means yes. */
export function isYes(answer: string | null): boolean {
  return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
}
