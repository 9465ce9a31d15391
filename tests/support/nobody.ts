/**
 * Tests that must meet a permission error run as user nobody when the suite runs as root (root reads and writes
 * anything). That needs nobody to be able to run this Deno and read the test's files: not so where Deno or
 * the tree sits under /root, or in a sandbox that forbids switching users.
 */

/** The uid and gid of nobody on Debian. */
export const NOBODY = 65534;

/** Whether user nobody can run this Deno and read `file`; false when the user cannot even be switched to. */
export async function nobodyCanRun(file: string): Promise<boolean> {
  try {
    // Deno.Command throws at once (not through the promise) when the switch itself is refused.
    const probe = await new Deno.Command("/bin/sh", {
      args: ["-c", 'test -x "$0" && test -r "$1"', Deno.execPath(), file],
      uid: NOBODY,
      gid: NOBODY,
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).output();
    return probe.success;
  } catch {
    return false;
  }
}
