/** The invitation email, composed as a plain-text RFC 5322 message. */
import { domainToASCII } from "node:url";

/** What the mailer needs to send one invitation; holds the raw token, so it is never logged. */
export interface InvitationMail {
  invitationId: string;
  to: string;
  tenantName: string;
  token: string;
  acceptUrl: string;
  /** ISO time after which the token no longer works. */
  expiresAt: string;
}

/** A composed message and its SMTP envelope. */
export interface OutgoingMail {
  /** Envelope sender (the bare address of From). */
  envelopeFrom: string;
  /** Envelope recipient. */
  to: string;
  /** The whole message, headers and body, with CRLF line ends. */
  raw: string;
}

/** The bare address of a From value such as `PhyCloud <no-reply@example.com>`. */
export function bareAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/**
 * The address as it travels: with an ASCII local part the domain becomes its A-label (punycode), so the
 * message needs no SMTPUTF8; a non-ASCII local part has no ASCII form and stays UTF-8 (SMTPUTF8).
 */
export function wireAddress(address: string): string {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 0 || /[^\p{ASCII}]/u.test(local) || !/[^\p{ASCII}]/u.test(domain)) return address;
  const ascii = domainToASCII(domain);
  return ascii === "" ? address : `${local}@${ascii}`;
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

/**
 * Builds the message: the accept link and the raw token. Every header value is checked upstream (emails
 * and tenant names have no controls; --mail-from is validated), so nothing can inject a header. Plain
 * text without soft line breaks keeps the link and token intact for people and scripts reading `.eml`s.
 */
export function composeInvitation(mail: InvitationMail, from: string, date: Date): OutgoingMail {
  const envelopeFrom = bareAddress(from);
  const domain = envelopeFrom.includes("@")
    ? envelopeFrom.slice(envelopeFrom.lastIndexOf("@") + 1)
    : "localhost";
  const body = [
    `You have been invited to join the PhyCloud tenant "${mail.tenantName}".`,
    "",
    "Accept the invitation by opening this link:",
    "",
    mail.acceptUrl,
    "",
    "Or send this invitation token to POST /v1/invitations/accept:",
    "",
    mail.token,
    "",
    `The invitation expires at ${mail.expiresAt} and works once.`,
    "If you did not expect it, ignore this email.",
    "",
  ];
  const to = wireAddress(mail.to);
  const ascii = !/[^\p{ASCII}]/u.test(to + body.join(""));
  const headers = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: Your invitation to PhyCloud (${mail.tenantName})`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${mail.invitationId}@${domain}>`,
    `X-PhyCloud-Invitation-Id: ${mail.invitationId}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    `Content-Transfer-Encoding: ${ascii ? "7bit" : "8bit"}`,
  ];
  return { envelopeFrom, to, raw: [...headers, "", ...body].join("\r\n") };
}
