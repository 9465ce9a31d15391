/**
 * A real SMTP server for tests: aiosmtpd (Debian package python3-aiosmtpd, run with /usr/bin/python3) on a
 * free loopback port, saving each message's raw bytes as a file.
 */
import { join } from "node:path";

/** Interpreter with aiosmtpd; `python3` on PATH may be another one without it. */
export const SMTP_SINK_PYTHON = "/usr/bin/python3";

// Binds port 0 itself and prints the port, so there is no race for a "free" port.
// Every RCPT command is appended to rcpt.log (one JSON string a line), so tests count recipients, even of
// messages that are then refused. argv: directory, "1" to offer SMTPUTF8, the reply to DATA ("" accepts).
const SCRIPT = `
import asyncio, json, os, sys
from aiosmtpd.smtp import SMTP

class Save:
    def __init__(self, directory, data_reply):
        self.directory = directory
        self.data_reply = data_reply
        self.count = 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with open(os.path.join(self.directory, "rcpt.log"), "a") as f:
            f.write(json.dumps(address) + "\\n")
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.count += 1
        name = os.path.join(self.directory, "%06d.eml" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"

async def main():
    loop = asyncio.get_running_loop()
    handler = Save(sys.argv[1], sys.argv[3])
    smtputf8 = sys.argv[2] == "1"
    server = await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=smtputf8), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()

asyncio.run(main())
`;

/** A running SMTP sink. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`. */
  smtpUrl: string;
  /** Raw messages received so far, in order. */
  messages(): Promise<string[]>;
  /** Every RCPT TO address received so far, in order (also of messages refused later). */
  recipients(): Promise<string[]>;
  /** Waits until at least `count` messages arrived (default timeout 5 s). */
  waitForMessages(count: number, timeoutMs?: number): Promise<string[]>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** How the sink behaves. */
export interface SmtpSinkOptions {
  /** Offer the SMTPUTF8 extension (default false: aiosmtpd then refuses non-ASCII in strict ASCII mode). */
  smtputf8?: boolean;
  /** Answer every DATA with this reply instead of accepting, such as "554 5.7.1 Refused". */
  dataReply?: string;
}

/** Starts the sink; always `await sink.close()` in a finally. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-smtp-sink-" });
  const child = new Deno.Command(SMTP_SINK_PYTHON, {
    args: ["-c", SCRIPT, dir, options.smtputf8 ? "1" : "0", options.dataReply ?? ""],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = child.stdout.getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { done, value } = await stdout.read();
    if (done) break;
    first += new TextDecoder().decode(value);
  }
  stdout.releaseLock();
  const port = Number(first.trim());
  if (!Number.isInteger(port) || port <= 0) {
    const err = await new Response(child.stderr).text();
    await child.status;
    await Deno.remove(dir, { recursive: true });
    throw new Error(`SMTP sink did not start (is python3-aiosmtpd installed?): ${err}`);
  }
  // Drain what is left of its output so the pipes never fill up.
  const drained = Promise.all([child.stdout.cancel(), new Response(child.stderr).text()]);

  async function messages(): Promise<string[]> {
    const names: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".eml")) names.push(entry.name);
    }
    names.sort();
    return await Promise.all(names.map((name) => Deno.readTextFile(join(dir, name))));
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    messages,
    async recipients() {
      const log = await Deno.readTextFile(join(dir, "rcpt.log")).catch(() => "");
      return log.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as string);
    },
    async waitForMessages(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = await messages();
        if (got.length >= count) return got;
        if (Date.now() > deadline) {
          throw new Error(`SMTP sink got ${got.length} of ${count} messages in ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      const writer = child.stdin.getWriter();
      await writer.close().catch(() => {});
      const exited = await Promise.race([
        child.status.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000)),
      ]);
      if (!exited) child.kill("SIGKILL");
      await child.status;
      await drained;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Decodes a raw message's quoted-printable text, for reading links and tokens. */
export function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(
    /=([0-9A-F]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

/** The invitation token and accept link in a raw invitation email (SMTP sink or outbox `.eml`). */
export function invitationFrom(raw: string): { token: string; acceptUrl: string; to: string } {
  const text = decodeQuotedPrintable(raw);
  const token = /\b(phi_[0-9A-Za-z]+)/.exec(text)?.[1];
  const acceptUrl = /(https?:\/\/\S+\/accept\?token=phi_[0-9A-Za-z]+)/.exec(text)?.[1];
  const to = /^To: (.*)$/m.exec(text)?.[1]?.trim();
  if (!token || !acceptUrl || !to) throw new Error("No invitation in this message");
  return { token, acceptUrl, to };
}
