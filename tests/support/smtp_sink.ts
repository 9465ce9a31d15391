/**
 * A real SMTP server for tests: the npm package `smtp-server` on a free loopback port, in the test's own
 * process, keeping every RCPT address and every accepted message's raw text in memory.
 */
import { Buffer } from "node:buffer";
import { SMTPServer } from "smtp-server";
import { delay } from "../../src/runtime/delay.ts";

/** A running SMTP sink; `await using sink = await startSmtpSink()` stops it at the end of the scope. */
export interface SmtpSink extends AsyncDisposable {
  /** `smtp://127.0.0.1:PORT`. */
  smtpUrl: string;
  /** Raw messages received so far, in order. */
  messages(): Promise<string[]>;
  /** Every RCPT TO address received so far, in order (also of messages refused later). */
  recipients(): Promise<string[]>;
  /** Waits until at least `count` messages arrived (default timeout 5 s). */
  waitForMessages(count: number, timeoutMs?: number): Promise<string[]>;
  /** Stops the server, closing any connection still open. */
  close(): Promise<void>;
}

/** How the sink behaves. */
export interface SmtpSinkOptions {
  /** Offer the SMTPUTF8 extension in the EHLO answer (default false). */
  smtputf8?: boolean;
  /** Answer every DATA with this reply instead of accepting, such as "554 5.7.1 Refused". */
  dataReply?: string;
}

/** An error whose `responseCode` smtp-server sends as the reply code, with the message as its text. */
class SmtpReply extends Error {
  constructor(readonly responseCode: number, text: string) {
    super(text);
  }
}

function parseReply(reply: string): SmtpReply {
  const match = /^([45]\d\d) (.*)$/.exec(reply);
  if (!match?.[1] || match[2] === undefined) {
    throw new Error(`Invalid SMTP reply "${reply}": expected "4xx text"`);
  }
  return new SmtpReply(Number(match[1]), match[2]);
}

const RCPT = /^RCPT TO:\s*<([^>]*)>/i;

/** The connection id and address of a RCPT command in smtp-server's log, as the client sent it. */
function rcptSent(entry: unknown, line: unknown): { cid: string; address: string } | undefined {
  if (typeof entry !== "object" || entry === null || typeof line !== "string") return undefined;
  if (!("tnx" in entry && entry.tnx === "command" && "command" in entry && entry.command === "RCPT")) return;
  const address = RCPT.exec(line)?.[1];
  const cid = "cid" in entry && typeof entry.cid === "string" ? entry.cid : undefined;
  return address === undefined || cid === undefined ? undefined : { cid, address };
}

/** Starts the sink on 127.0.0.1 and a free port. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: string[] = [];
  const rcpts: string[] = [];
  const lastRcpt = new Map<string, string>();
  const refusal = options.dataReply === undefined ? undefined : parseReply(options.dataReply);
  const server = new SMTPServer({
    // Its bunyan-style log shows each command as sent, just before its handler runs: onRcptTo gets the
    // domain already turned into Unicode, and the tests check that an A-label went over the wire.
    logger: {
      debug(entry: unknown, _format: unknown, line: unknown) {
        const rcpt = rcptSent(entry, line);
        if (!rcpt) return;
        rcpts.push(rcpt.address);
        lastRcpt.set(rcpt.cid, rcpt.address);
      },
      trace() {},
      info() {},
      warn() {},
      error() {},
      fatal() {},
    },
    authOptional: true,
    // No TLS (the server's mailer would upgrade to it) and no login: a plain sink.
    disabledCommands: ["STARTTLS", "AUTH"],
    hideSMTPUTF8: options.smtputf8 !== true,
    // On close, end the connections still open after 1 ms instead of waiting 30 s for them.
    closeTimeout: 1,
    // As a server without SMTPUTF8 does (RFC 6531), refuse a non-ASCII address outside an SMTPUTF8 mail.
    onRcptTo(_address, session, callback) {
      const sent = lastRcpt.get(session.id) ?? "";
      lastRcpt.delete(session.id);
      if (/[^\p{ASCII}]/u.test(sent) && !session.envelope.smtpUtf8) {
        return callback(new SmtpReply(553, "5.6.7 Non-ASCII address without SMTPUTF8"));
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refusal) return callback(refusal);
        received.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  // A client that goes away mid-session is an "error" event; without a listener it would throw.
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("SMTP sink has no TCP port");

  let closed: Promise<void> | undefined;
  const close = () => closed ??= new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    smtpUrl: `smtp://127.0.0.1:${address.port}`,
    messages: () => Promise.resolve([...received]),
    recipients: () => Promise.resolve([...rcpts]),
    async waitForMessages(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`SMTP sink got ${received.length} of ${count} messages in ${timeoutMs} ms`);
        }
        await delay(20);
      }
      return [...received];
    },
    close,
    [Symbol.asyncDispose]: close,
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
