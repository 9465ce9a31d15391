/** Query parameters of the list endpoints: one reader each for the shape every listing shares. */
import { invalid } from "./problem.ts";

/** Default page size of the list endpoints. */
export const DEFAULT_LIMIT = 100;
/** Largest page size of the list endpoints. */
export const MAX_LIMIT = 1000;

/** Refuses a parameter the listing does not know, naming those it does. */
export function onlyParams(params: URLSearchParams, known: readonly string[]): void {
  for (const name of params.keys()) {
    if (!known.includes(name)) {
      const list = known.length === 1 ? known[0] : `${known.slice(0, -1).join(", ")} or ${known.at(-1)}`;
      throw invalid(`Unknown query parameter ${JSON.stringify(name)}: expected ${list}`);
    }
  }
}

/** The one value of a parameter; 400 when it is given twice. */
export function singleParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw invalid(`Query parameter "${name}" given more than once`);
  return values[0];
}

/** `limit`: an integer from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent. */
export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = /^[0-9]{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw invalid(`Invalid "limit" ${JSON.stringify(value)}: expected an integer from 1 to ${MAX_LIMIT}`);
  }
  return n;
}
