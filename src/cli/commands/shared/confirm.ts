/** The answers to a confirmation prompt, shared by the verbs that ask one. */

/** Whether an answer to the confirmation prompt means yes. */
export function isYes(answer: string | null): boolean {
  return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
}
