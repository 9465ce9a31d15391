/** Sends invitations after the commit, retrying failures, and lets shutdown wait for sends in flight. */
import type { LogLine } from "../app.ts";
import { composeInvitation, type InvitationMail } from "./message.ts";
import type { MailTransport } from "./transport.ts";

/** Settings of the delivery. */
export interface DeliveryOptions {
  /** The From address. */
  from: string;
  /** Waits between attempts; the number of retries is its length. */
  retryDelaysMs: readonly number[];
  log: LogLine;
  now: () => Date;
}

/** Queues invitation emails; a failed send is logged (never with the token) and retried. */
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
        const retrying = attempt < delays.length && !this.#stop.signal.aborted;
        this.#options.log(
          `${this.#options.now().toISOString()} mail ${mail.invitationId} attempt ${
            attempt + 1
          } failed: ${reason}` +
            (retrying ? `; retrying in ${delays[attempt]}ms` : "; giving up (the user record is kept)"),
        );
        if (!retrying) return;
        await wait(delays[attempt] as number, this.#stop.signal);
      }
    }
  }

  /** Stops retrying, waits up to `graceMs` for sends in flight, then closes the transport. */
  async close(graceMs = 5000): Promise<void> {
    this.#stop.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs))]);
    clearTimeout(timer);
    this.#transport.close();
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
