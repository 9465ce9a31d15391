import { escapeUnsafe } from "./output/terminal_text.ts";

/** Details an error may carry from the server. */
export interface ErrorDetails {
  /** Machine-readable code, such as the server's problem code. */
  code?: string;
  /** What the user can do about it. */
  remediation?: string;
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** The server's request id, when it sent one. */
  requestId?: string;
}

/** Base of every error phyware reports; each subclass carries its exit code. */
export class PhywareError extends Error {
  /** Process exit code for this error (see the spec's EXIT CODES). */
  readonly exitCode: number = 1;
  /** Machine-readable code for JSON errors. */
  readonly code: string;
  /** What the user can do about it. */
  readonly remediation: string | undefined;
  /** HTTP status, when the error came from a response. */
  readonly status: number | undefined;
  /** The server's request id, when it sent one. */
  readonly requestId: string | undefined;

  constructor(message: string, details: ErrorDetails = {}, defaultCode = "ERROR") {
    super(message);
    this.name = new.target.name;
    this.code = details.code ?? defaultCode;
    this.remediation = details.remediation;
    this.status = details.status;
    this.requestId = details.requestId;
  }
}

/** Exit 1: the server could not be reached, timed out, or something unexpected happened. */
export class ConnectionError extends PhywareError {
  override readonly exitCode = 1;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, "CONNECTION_ERROR");
  }
}

/** Exit 2: missing or rejected credentials, or insufficient scope. */
export class AuthError extends PhywareError {
  override readonly exitCode = 2;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, "UNAUTHENTICATED");
  }
}

/** Exit 3: the resource does not exist (or is not visible to this tenant). */
export class NotFoundError extends PhywareError {
  override readonly exitCode = 3;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, "NOT_FOUND");
  }
}

/** Exit 4: bad flags, arguments or input, rejected locally or by the server. */
export class ValidationError extends PhywareError {
  override readonly exitCode = 4;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, "VALIDATION_ERROR");
  }
}

/** Exit 5: the server failed (5xx). */
export class ServerError extends PhywareError {
  override readonly exitCode = 5;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, "INTERNAL");
  }
}

/** Some rows of a bulk command failed; exits with the code of the first failed row, its message a summary. */
export class BulkError extends PhywareError {
  override readonly exitCode: number;
  constructor(summary: string, exitCode: number, code: string) {
    super(summary, {}, code);
    this.exitCode = exitCode;
  }
}

/** The reader of stdout went away (for example `| head`); the command stops quietly. */
export class BrokenPipeError extends Error {
  constructor() {
    super("Broken pipe");
    this.name = "BrokenPipeError";
  }
}

/** The user declined a confirmation prompt; nothing was changed. */
export class CancelledError extends PhywareError {
  override readonly exitCode = 1;
  constructor(message = "Cancelled: nothing was changed") {
    super(message, {}, "CANCELLED");
  }
}

/** The user pressed Ctrl-C at a prompt; exits 130, as a shell does for SIGINT. */
export class InterruptedError extends PhywareError {
  override readonly exitCode = 130;
  constructor() {
    super("Interrupted: nothing was changed", {}, "INTERRUPTED");
  }
}

/** Quotes a value for an error message, escaping control and bidi characters (U+202E shows as \u202e). */
export function quoted(value: string): string {
  return escapeUnsafe(JSON.stringify(value));
}

/** Longest part of a typed value an error line echoes. */
const ECHOED_CHARACTERS = 80;

/** Quotes a value the user typed, cut at 80 characters (then "..." follows), so an error stays one short line. */
export function quotedInput(value: string): string {
  const characters = [...value];
  if (characters.length <= ECHOED_CHARACTERS) return quoted(value);
  return `${quoted(characters.slice(0, ECHOED_CHARACTERS).join(""))}...`;
}

/** The same error with another remediation: its class, so its exit code, and everything else kept. */
export function withRemediation<E extends PhywareError>(error: E, remediation: string | undefined): E {
  const copy = Object.create(Object.getPrototypeOf(error)) as E;
  return Object.assign(copy, error, { message: error.message, stack: error.stack, remediation });
}
