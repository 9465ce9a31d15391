/** The invitation email. */
import type { SendMailOptions } from "nodemailer";

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

/** Builds the message: the accept link and the raw token (for `phyware` or the API). */
export function composeInvitation(mail: InvitationMail, from: string): SendMailOptions {
  const text = [
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
  ].join("\n");
  return {
    from,
    to: mail.to,
    subject: `Your invitation to PhyCloud (${mail.tenantName})`,
    text,
    headers: { "X-PhyCloud-Invitation-Id": mail.invitationId },
  };
}
