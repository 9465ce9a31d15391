/**
 * Sends the invitation emails queued in the outbox: at least once, across crashes and restarts.
 *
 * The outbox row is written in the same transaction as the invitation, so every acknowledged user has one.
 * A sender claims due rows for a lease (another process sharing the database skips them meanwhile; a
 * sender that dies mid-send gives them up when the lease ends), mints the token for this attempt and stores
 * only its hash, sends, and marks the row sent. A failure is logged (never with the token) and retried with
 * backoff while retrying can help (connection errors, SMTP 4xx), never after a permanent refusal (SMTP
 * 5xx). Rows still pending at shutdown, or when the process is killed, are sent after the next start.
 */
import { delay } from "../../runtime/delay.ts";
import type { LogLine } from "../log_line.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import type { InvitationOutbox, OutboxInvitation } from "../store/types.ts";
import { composeInvitation } from "./message.ts";
import { type MailTransport, PermanentMailError } from "./transport.ts";

/** Settings of the sender. */
export interface SenderOptions {
  /** The From address. */
  from: string;
  /** Waits between attempts; the number of retries is its length. */
  retryDelaysMs: readonly number[];
  /** How long a claimed row is this sender's before another may take it (longer than one SMTP attempt). */
  leaseMs: number;
  /** How often the outbox is checked for rows nobody woke the sender for (retries, other processes). */
  pollMs: number;
  /** Base URL of the accept link. */
  publicUrl: () => string;
  log: LogLine;
  now: () => Date;
}

const BATCH = 16;

/** Drains the invitation outbox in the background. */
export class InvitationSender {
  readonly #outbox: InvitationOutbox;
  readonly #transport: MailTransport;
  readonly #options: SenderOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #draining: Promise<void> | undefined;
  #again = false;
  #closing = false;
  #stopped = false;

  constructor(outbox: InvitationOutbox, transport: MailTransport, options: SenderOptions) {
    this.#outbox = outbox;
    this.#transport = transport;
    this.#options = options;
  }

  /** Sends what an earlier run left, then keeps checking every `pollMs`. */
  start(): void {
    this.#poll = setInterval(() => this.wake(), this.#options.pollMs);
    this.wake();
  }

  /** Sends due rows now (after an invitation commits); returns at once. */
  wake(): void {
    if (this.#closing) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Resolves once the outbox holds no pending row (tests), or the sender stops. */
  async idle(): Promise<void> {
    while (!this.#stopped) {
      if (this.#draining) await this.#draining;
      else if (await this.#outbox.pendingCount() === 0) return;
      else await delay(5);
    }
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#stopped) {
        const now = this.#options.now();
        const leaseUntil = new Date(now.getTime() + this.#options.leaseMs).toISOString();
        const tokens = new Map<string, string>();
        for (let i = 0; i < BATCH; i++) {
          const token = newSecret(SECRET_PREFIX.invitation);
          tokens.set(hashSecret(token), token);
        }
        const due = await this.#outbox.claimDue(now.toISOString(), leaseUntil, [...tokens.keys()]);
        if (due.length === 0) return;
        const results = await Promise.allSettled(
          due.map((row) => this.#send(row, tokens.get(row.tokenHash) ?? "")),
        );
        const sent = due.filter((_, i) => results[i]?.status === "fulfilled" && results[i].value);
        for (const result of results) {
          if (result.status === "rejected") this.#log(`mail outbox unavailable: ${reasonOf(result.reason)}`);
        }
        // A crash before this commit sends these again after the restart: at least once.
        if (sent.length > 0) {
          await this.#outbox.markSent(sent.map((row) => row.invitationId), this.#options.now().toISOString());
        }
      }
    } catch (error) {
      // A busy or failing database: the rows stay pending and the next wake or poll tries again.
      this.#log(`mail outbox unavailable: ${reasonOf(error)}`);
    }
  }

  /** Sends one claimed email with its token; true when the SMTP server (or the outbox folder) took it. */
  async #send(row: OutboxInvitation, token: string): Promise<boolean> {
    const message = composeInvitation(
      {
        invitationId: row.invitationId,
        to: row.email,
        tenantName: row.tenantName,
        token,
        acceptUrl: `${this.#options.publicUrl()}/accept?token=${token}`,
        expiresAt: row.expiresAt,
      },
      this.#options.from,
      this.#options.now(),
    );
    try {
      await this.#transport.send(message, row.invitationId);
      return true;
    } catch (error) {
      await this.#failed(row, error);
      return false;
    }
  }

  async #failed(row: OutboxInvitation, error: unknown): Promise<void> {
    const delays = this.#options.retryDelaysMs;
    const permanent = error instanceof PermanentMailError;
    const wait = permanent ? undefined : delays[row.attempt - 1];
    this.#log(
      `mail ${row.invitationId} attempt ${row.attempt} failed${permanent ? " permanently" : ""}: ${
        oneLine(reasonOf(error))
      }${wait === undefined ? "" : `; retrying in ${wait}ms`}`,
    );
    if (wait === undefined) {
      await this.#outbox.markFailed(row.invitationId, this.#options.now().toISOString());
      this.#log(
        `mail ${row.invitationId} not delivered: the user stays pending and nobody got the invitation; to ` +
          `send a new one, resend it (POST /v1/users/${row.userId}/invitation), or deactivate the user and ` +
          "invite the email again",
      );
      return;
    }
    const now = this.#options.now();
    await this.#outbox.retryAt(
      row.invitationId,
      new Date(now.getTime() + wait).toISOString(),
      now.toISOString(),
    );
    if (this.#closing) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.wake();
    }, wait);
    this.#timers.add(timer);
  }

  #log(text: string): void {
    this.#options.log(`${this.#options.now().toISOString()} ${text}`);
  }

  /**
   * Sends what is due (invitations committed just before shutdown included) for up to `graceMs`, then stops
   * and closes the transport. Retries scheduled for later stay in the outbox for the next start.
   */
  async close(graceMs = 5000): Promise<void> {
    this.#closing = true;
    clearInterval(this.#poll);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const grace = new AbortController();
    const lastRound = (async () => {
      await this.#draining;
      await this.#drain();
    })();
    await Promise.race([lastRound, delay(graceMs, grace.signal)]);
    grace.abort();
    this.#stopped = true;
    this.#transport.close();
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A server's multi-line reply must not become several log lines.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
