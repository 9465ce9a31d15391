/** A shell in a detached tmux session: a real terminal for tests of prompts (needs tmux, Debian: tmux). */
import { delay } from "../../src/runtime/delay.ts";

/** A running tmux session; `await using` kills it. */
export interface TmuxSession extends AsyncDisposable {
  /** Types a command line and presses Enter. */
  type(line: string): Promise<void>;
  /** Presses keys (tmux key names, such as "y" and "Enter"). */
  keys(...keys: string[]): Promise<void>;
  /** Waits until the screen matches, up to a minute (start-up is slow on a loaded machine); returns it. */
  waitFor(pattern: RegExp): Promise<string>;
  /** The pane's title, as programs set it with an OSC 0 or 2 escape sequence. */
  title(): Promise<string>;
}

/** Starts `bash --norc` in a new 200x20 tmux session. */
export async function startTmux(): Promise<TmuxSession> {
  const session = `phyware-test-${crypto.randomUUID().slice(0, 8)}`;
  // Each session has a tmux server of its own (-L: its own socket), so sessions started and killed side by
  // side in parallel test files never share, or lose, one server.
  const tmux = async (...args: string[]): Promise<Deno.CommandOutput> =>
    await new Deno.Command("tmux", { args: ["-L", session, ...args], stdout: "piped", stderr: "piped" })
      .output();
  const started = await tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "20", "bash", "--norc");
  if (started.code !== 0) throw new Error(`tmux failed: ${new TextDecoder().decode(started.stderr)}`);
  const screen = async () =>
    new TextDecoder().decode((await tmux("capture-pane", "-p", "-t", session)).stdout);
  return {
    async type(line) {
      await tmux("send-keys", "-t", session, "-l", line);
      await tmux("send-keys", "-t", session, "Enter");
    },
    async keys(...keys) {
      await tmux("send-keys", "-t", session, ...keys);
    },
    async waitFor(pattern) {
      for (let i = 0; i < 1200; i++) {
        const text = await screen();
        if (pattern.test(text)) return text;
        await delay(50);
      }
      throw new Error(`Timed out waiting for ${pattern}; screen:\n${await screen()}`);
    },
    async title() {
      const shown = await tmux("display-message", "-p", "-t", session, "#{pane_title}");
      return new TextDecoder().decode(shown.stdout).trim();
    },
    async [Symbol.asyncDispose]() {
      await tmux("kill-server");
    },
  };
}
