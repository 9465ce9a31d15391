/** Sends invitations after the commit, retrying failures, and lets shutdown wait for sends in flight. */
import type { LogLine } from "../app.ts";
import { composeInvitation, type InvitationMail } from "./message.ts";
import { type MailTransport, PermanentMailError } from "./transport.ts";
import { delay } from "../../runtime/delay.ts";

/** Settings of the delivery. */
export interface DeliveryOptions {
  /** The From address. */
  from: string;
  /** Waits between attempts; the number of retries is its length. */
  retryDelaysMs: readonly number[];
  log: LogLine;
  now: () => Date;
}

/**
 * Queues invitation emails; a failed send is logged (never with the token) and retried while retrying can
 * help (connection errors, SMTP 4xx), never after a permanent refusal (SMTP 5xx). An invitation that is
 * not delivered gets one line saying so and what to do: deactivate the pending user and invite the email
 * again, which issues a new token (the old record stays, as for any deactivated user).
 */
export class MailDelivery {
  readonly #transport: MailTransport;
  readonly #options: DeliveryOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(transport: MailTransport, options: DeliveryOptions) {
    this.#transport = transport;
    this.#options = options;
  }

  /** Starts sending in the background; returns at once. */
  deliver(mail: InvitationMail): void {
    const job = this.#send(mail).finally(() => this.#inFlight.delete(job));
    this.#inFlight.add(job);
  }

  /** Resolves once every send in flight has finished (tests and shutdown use it). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #send(mail: InvitationMail): Promise<void> {
    const message = composeInvitation(mail, this.#options.from, this.#options.now());
    const delays = this.#options.retryDelaysMs;
    for (let attempt = 0;; attempt++) {
      try {
        await this.#transport.send(message, mail.invitationId);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const permanent = error instanceof PermanentMailError;
        const retrying = !permanent && attempt < delays.length && !this.#stop.signal.aborted;
        const at = this.#options.now().toISOString();
        this.#options.log(
          `${at} mail ${mail.invitationId} attempt ${attempt + 1} failed${permanent ? " permanently" : ""}: ${
            oneLine(reason)
          }${retrying ? `; retrying in ${delays[attempt]}ms` : ""}`,
        );
        if (!retrying) {
          this.#options.log(
            `${at} mail ${mail.invitationId} not delivered: the user stays pending and nobody got the ` +
              "invitation; to send a new one, deactivate the user and invite the email again",
          );
          return;
        }
        await delay(delays[attempt] as number, this.#stop.signal);
      }
    }
  }

  /** Stops retrying, waits up to `graceMs` for sends in flight, then closes the transport. */
  async close(graceMs = 5000): Promise<void> {
    this.#stop.abort();
    const grace = new AbortController();
    await Promise.race([this.idle(), delay(graceMs, grace.signal)]);
    grace.abort();
    this.#transport.close();
  }
}

// A server's multi-line reply must not become several log lines.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
