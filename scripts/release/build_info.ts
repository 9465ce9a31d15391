/**
 * src/build_info.json during a release build: `phyware version` prints the commit and date it holds. The
 * date is the source date (SOURCE_DATE_EPOCH or the commit time), never the clock, so builds stay
 * reproducible; the checkout's own file (nulls) comes back once the build is done.
 */

/** What the binary reads from src/build_info.json. */
export interface BuildInfo {
  commit: string | null;
  date: string | null;
}

/** The build info of a commit built at a source date (seconds since the epoch). */
export function buildInfo(commit: string, sourceDateEpoch: number): BuildInfo {
  return {
    commit: /^[0-9a-f]{40}$/.test(commit) ? commit : null,
    date: new Date(sourceDateEpoch * 1000).toISOString().replace(".000Z", "Z"),
  };
}

/** Runs `build` with `info` written to `path`, then puts the file's previous text back, even on failure. */
export async function withBuildInfo<T>(path: string, info: BuildInfo, build: () => Promise<T>): Promise<T> {
  const previous = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, JSON.stringify(info) + "\n");
  try {
    return await build();
  } finally {
    await Deno.writeTextFile(path, previous);
  }
}
