/** Confirmation prompts' answers, shared by the verbs that ask before an irreversible change. */

/** Whether an answer to a confirmation prompt means yes (y or yes, any case). */
export function isYes(answer: string | null): boolean {
  return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
}
