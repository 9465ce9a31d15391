/** Where invitations go: an SMTP server (through nodemailer), or `.eml` files in an outbox directory. */
import { chmod, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { createPrivateFolder } from "../../runtime/private_folder.ts";
import type { OutgoingMail } from "./message.ts";

/** A refusal that will not change on a retry (an SMTP 5xx reply, an address the server cannot take). */
export class PermanentMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentMailError";
  }
}

// nodemailer's errors carry the server's reply code; API errors of the envelope have a code and no reply.
function classify(error: unknown, to: string): unknown {
  const e = error as { responseCode?: unknown; code?: unknown; message?: unknown } | null;
  const reply = typeof e?.responseCode === "number" ? e.responseCode : undefined;
  const permanent = (reply !== undefined && reply >= 500 && reply < 600) ||
    (reply === undefined && e?.code === "EENVELOPE");
  if (!permanent) return error;
  const message = typeof e?.message === "string" ? e.message : String(error);
  // nodemailer adds SMTPUTF8 to MAIL FROM when the server offers it; a 5xx for a non-ASCII address
  // most likely means it does not.
  const hint = /[^\p{ASCII}]/u.test(to.slice(0, to.lastIndexOf("@")))
    ? " (the address is not ASCII: the SMTP server must offer SMTPUTF8 to take it)"
    : "";
  return new PermanentMailError(`${message}${hint}`);
}

/**
 * Sends one message or rejects; `label` names the message in file names and logs. When `signal` aborts, the
 * send stops (an SMTP transport closes the connection carrying it) and rejects.
 */
export interface MailTransport {
  send(message: OutgoingMail, label: string, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** SMTP connections kept open at once: a few, each carrying many messages, as mail providers expect. */
export const SMTP_POOL_CONNECTIONS = 4;
/** Messages one SMTP connection carries before it is replaced by a new one. */
export const SMTP_MESSAGES_PER_CONNECTION = 100;

/**
 * Sends over SMTP with nodemailer (`smtp://host:port`, `smtps://...`, credentials in the URL), through a
 * pool of SMTP_POOL_CONNECTIONS connections; an aborted send closes its connection (a server dripping its
 * replies keeps the socket timeout from ever firing) and the pool opens another.
 */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: SMTP_POOL_CONNECTIONS,
    maxMessages: SMTP_MESSAGES_PER_CONNECTION,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message, _label, signal) {
      // Address objects, not strings: nodemailer runs strings through its address-list parser, which would
      // read `x,y@evil.test` as two recipients. An object is one recipient, whatever its text.
      const envelope = {
        from: { name: "", address: message.envelopeFrom },
        to: [{ name: "", address: message.to }],
      };
      // nodemailer (10.6) takes `signal` in the message; its types (8.0) do not list it yet.
      const mail = { envelope: envelope as unknown as Mail.Envelope, raw: message.raw, signal };
      try {
        await transporter.sendMail(mail as Mail.Options);
      } catch (error) {
        throw classify(error, message.to);
      }
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * Writes each message as `<time>-<label>.eml` (0600) in `dir`, atomically (temp file, then rename); `dir` is
 * created 0700 when missing, and an existing one is used as it is (createPrivateFolder).
 */
export function outboxTransport(dir: string): MailTransport {
  let ready: Promise<unknown> | undefined;
  return {
    async send(message, label) {
      // Made once; a failure (a full disk, a permission fixed since) is tried again by the next send.
      ready ??= Promise.try(() => createPrivateFolder(dir)).catch((error) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${label}.eml`;
      const temp = join(dir, `.${name}.tmp`);
      await writeFile(temp, message.raw, { mode: 0o600 });
      await chmod(temp, 0o600); // whatever the umask
      await rename(temp, join(dir, name));
    },
    close() {},
  };
}
