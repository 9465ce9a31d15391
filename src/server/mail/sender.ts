/**
 * Sends the invitation emails queued in the outbox: at least once, across crashes and restarts.
 *
 * The outbox row is written in the same transaction as the invitation, so every acknowledged user has one.
 * A sender claims due rows for a lease (another process sharing the database skips them meanwhile; a
 * sender that dies mid-send gives them up when the lease ends, or at once when a restart on the same host
 * sees it gone), mints the token for this attempt and stores only its hash, sends, and marks the row sent.
 * Rows are sent independently, up to `concurrency` at once: one slow send holds up no other. Each send has
 * a deadline, half the lease from its claim, after which it is aborted (the transport closes its
 * connection), so a claimed row is never still being sent when its lease ends and another sender may take
 * it. A failure is logged (never with the token) and retried with backoff while retrying can help
 * (connection errors, deadlines, SMTP 4xx), never after a permanent refusal (SMTP 5xx). Rows still pending
 * at shutdown, or when the process is killed, are sent after the next start.
 */
import { delay } from "../../runtime/delay.ts";
import type { LogLine } from "../log_line.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import type { InvitationOutbox, OutboxHolder, OutboxInvitation } from "../store/types.ts";
import { composeInvitation } from "./message.ts";
import { type MailTransport, PermanentMailError } from "./transport.ts";

/** Settings of the sender. */
export interface SenderOptions {
  /** The From address. */
  from: string;
  /** Waits between attempts; the number of retries is its length. */
  retryDelaysMs: readonly number[];
  /** How long a claimed row is this sender's before another may take it; a send gets half of it. */
  leaseMs: number;
  /** How often the outbox is checked for rows nobody woke the sender for (retries, other processes). */
  pollMs: number;
  /** Base URL of the accept link. */
  publicUrl: () => string;
  log: LogLine;
  now: () => Date;
  /** Most rows claimed and being sent at once (default 32). */
  concurrency?: number | undefined;
  /** This process, recorded as the holder of the rows it claims. */
  holder: OutboxHolder;
  /** Whether a process of this host still exists (then its claimed rows are left to its lease). */
  processExists: (pid: number) => boolean;
}

/** Rows claimed in one transaction at most: a claim is one commit, so claiming one row at a time is slow. */
const BATCH = 16;
const DEFAULT_CONCURRENCY = 32;

/** A send that outlived its deadline; it was aborted, and the row is retried. */
class DeadlineError extends Error {
  constructor(ms: number) {
    super(`No answer within ${ms} ms: the send was aborted and its connection closed`);
    this.name = "DeadlineError";
  }
}

/** Drains the invitation outbox in the background. */
export class InvitationSender {
  readonly #outbox: InvitationOutbox;
  readonly #transport: MailTransport;
  readonly #options: SenderOptions;
  readonly #concurrency: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Sends in flight, each settling (never rejecting) when its row is marked. */
  readonly #sending = new Set<Promise<void>>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #pumping: Promise<void> | undefined;
  #again = false;
  #closing = false;
  #stopped = false;
  /** Rows sent and not yet marked; marked together by one transaction (see #markSent). */
  #toMark: string[] = [];
  #marking: Promise<void> | undefined;
  /** Aborts the sends still in flight once close()'s grace has passed. */
  readonly #shutdown = new AbortController();

  constructor(outbox: InvitationOutbox, transport: MailTransport, options: SenderOptions) {
    this.#outbox = outbox;
    this.#transport = transport;
    this.#options = options;
    this.#concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /**
   * Sends what an earlier run left (taking over at once the rows of processes of this host that are gone),
   * then keeps checking every `pollMs`.
   */
  start(): void {
    this.#poll = setInterval(() => this.wake(), this.#options.pollMs);
    this.#pumping = this.#takeOver().finally(() => {
      this.#pumping = undefined;
      this.#again = false;
      this.wake();
    });
  }

  /**
   * Ends the leases of processes of this host that no longer exist (killed: they cannot send anything now),
   * so their rows go out now instead of when their leases end. A live process, or one on another host,
   * keeps its rows.
   */
  async #takeOver(): Promise<void> {
    const { host, pid: self } = this.#options.holder;
    try {
      const now = this.#options.now().toISOString();
      for (const pid of await this.#outbox.holders(host, now)) {
        if (pid === self || this.#options.processExists(pid)) continue;
        const count = await this.#outbox.releaseHolder(host, pid, now);
        if (count > 0) {
          this.#log(`mail: took over ${count} invitation emails claimed by process ${pid}, which is gone`);
        }
      }
    } catch (error) {
      this.#log(`mail outbox unavailable: ${reasonOf(error)}`);
    }
  }

  /** Sends due rows now (after an invitation commits); returns at once. */
  wake(): void {
    if (this.#closing) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Resolves once the outbox holds no pending row (tests), or the sender stops. */
  async idle(): Promise<void> {
    while (!this.#stopped) {
      if (this.#pumping) await this.#pumping;
      else if (this.#sending.size > 0) await Promise.all(this.#sending);
      else if (await this.#outbox.pendingCount() === 0) return;
      else await delay(5);
    }
  }

  /** Claims due rows while there are any, keeping up to `concurrency` sends in flight. */
  async #pump(): Promise<void> {
    try {
      while (!this.#stopped) {
        // Claim in batches once a batch's worth of room is free (or nothing is in flight).
        const room = Math.min(BATCH, this.#concurrency);
        while (this.#sending.size > this.#concurrency - room) await Promise.race(this.#sending);
        const free = this.#concurrency - this.#sending.size;
        const claimedAt = this.#options.now();
        const leaseUntil = new Date(claimedAt.getTime() + this.#options.leaseMs).toISOString();
        const tokens = new Map<string, string>();
        for (let i = 0; i < Math.min(free, BATCH); i++) {
          const token = newSecret(SECRET_PREFIX.invitation);
          tokens.set(hashSecret(token), token);
        }
        const due = await this.#outbox.claimDue(
          claimedAt.toISOString(),
          leaseUntil,
          [...tokens.keys()],
          this.#options.holder,
        );
        if (due.length === 0) return;
        // The deadline runs from the claim: waiting for a connection counts, so the lease always holds.
        const deadline = performance.now() + this.#options.leaseMs / 2;
        for (const row of due) {
          const sending: Promise<void> = this.#sendRow(row, tokens.get(row.tokenHash) ?? "", deadline)
            .finally(() => this.#sending.delete(sending));
          this.#sending.add(sending);
        }
      }
    } catch (error) {
      // A busy or failing database: the rows stay pending and the next wake or poll tries again.
      this.#log(`mail outbox unavailable: ${reasonOf(error)}`);
    }
  }

  /** Sends one row and records the outcome; never rejects (a failure to record is logged). */
  async #sendRow(row: OutboxInvitation, token: string, deadline: number): Promise<void> {
    try {
      if (await this.#send(row, token, deadline)) {
        // A crash before this commit sends the row again after the restart: at least once.
        await this.#markSent(row.invitationId);
      }
    } catch (error) {
      this.#log(`mail outbox unavailable: ${reasonOf(error)}`);
    }
  }

  /**
   * Marks a sent row, in one transaction with the other rows sent meanwhile (a commit costs an fsync):
   * resolves once a transaction that includes it has committed.
   */
  async #markSent(invitationId: string): Promise<void> {
    this.#toMark.push(invitationId);
    while (this.#toMark.includes(invitationId)) {
      if (this.#marking) {
        await this.#marking;
        continue;
      }
      const ids = this.#toMark.splice(0);
      this.#marking = this.#outbox.markSent(ids, this.#options.now().toISOString())
        .catch((error: unknown) => {
          // Not marked: the rows stay pending and are sent again when their lease ends (at least once).
          this.#log(`mail outbox unavailable: ${reasonOf(error)}`);
        })
        .finally(() => {
          this.#marking = undefined;
        });
      await this.#marking;
    }
  }

  /** Runs `send` until the deadline, then aborts it (the transport closes its connection) and rejects. */
  async #withDeadline(send: (signal: AbortSignal) => Promise<void>, deadline: number): Promise<void> {
    const ms = Math.max(0, Math.round(deadline - performance.now()));
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop: (() => void) | undefined;
    const expired = new Promise<never>((_, reject) => {
      const end = (error: Error) => {
        abort.abort(error);
        reject(error);
      };
      timer = setTimeout(() => end(new DeadlineError(Math.round(this.#options.leaseMs / 2))), ms);
      stop = () => end(new Error("The server stopped before the send finished"));
      this.#shutdown.signal.addEventListener("abort", stop, { once: true });
    });
    try {
      await Promise.race([send(abort.signal), expired]);
    } finally {
      clearTimeout(timer);
      if (stop) this.#shutdown.signal.removeEventListener("abort", stop);
    }
  }

  /** Sends one claimed email with its token; true when the SMTP server (or the outbox folder) took it. */
  async #send(row: OutboxInvitation, token: string, deadline: number): Promise<boolean> {
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
      await this.#withDeadline((signal) => this.#transport.send(message, row.invitationId, signal), deadline);
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
      await this.#pumping;
      await this.#pump();
      await Promise.all(this.#sending);
    })();
    await Promise.race([lastRound, delay(graceMs, grace.signal)]);
    grace.abort();
    this.#stopped = true;
    // Sends still in flight are aborted (their connections closed): their rows are recorded for a retry,
    // which the next start makes, before the database closes. Nothing keeps running after close().
    this.#shutdown.abort();
    const settled = new AbortController();
    await Promise.race([Promise.all(this.#sending), delay(1000, settled.signal)]);
    settled.abort();
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
