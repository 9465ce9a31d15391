/** Where invitations go: an SMTP server (through nodemailer), or `.eml` files in an outbox directory. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { OutgoingMail } from "./message.ts";

/** Sends one message or rejects; `label` names the message in file names and logs. */
export interface MailTransport {
  send(message: OutgoingMail, label: string): Promise<void>;
  close(): void;
}

/** Sends over SMTP with nodemailer (`smtp://host:port`, `smtps://...`, credentials in the URL). */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      // Address objects, not strings: nodemailer runs strings through its address-list parser, which would
      // read `x,y@evil.test` as two recipients. An object is one recipient, whatever its text.
      const envelope = {
        from: { name: "", address: message.envelopeFrom },
        to: [{ name: "", address: message.to }],
      };
      await transporter.sendMail({ envelope: envelope as unknown as Mail.Envelope, raw: message.raw });
    },
    close() {
      transporter.close();
    },
  };
}

/** Writes each message as `<time>-<label>.eml` in `dir`, atomically (temp file, then rename). */
export function outboxTransport(dir: string): MailTransport {
  let ready: Promise<unknown> | undefined;
  return {
    async send(message, label) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${label}.eml`;
      const temp = join(dir, `.${name}.tmp`);
      await writeFile(temp, message.raw, { mode: 0o600 });
      await rename(temp, join(dir, name));
    },
    close() {},
  };
}
