import { parseProblem } from "./types.ts";
import { oneLine } from "../output/format.ts";
import {
  AuthError,
  ConnectionError,
  type ErrorDetails,
  NotFoundError,
  type PhywareError,
  ServerError,
  ValidationError,
} from "../errors.ts";

/** The spec's ERRORS table: remediation for each documented code and message. */
export const SPEC_REMEDIATIONS: ReadonlyArray<{ code: string; message: string; remediation: string }> = [
  { code: "CONFLICT", message: "Email already exists", remediation: "User already invited" },
  { code: "FORBIDDEN", message: "Insufficient scope", remediation: "Ensure admin:users" },
  { code: "NOT_FOUND", message: "User not found", remediation: "Check USER_ID" },
];

/** What to do about a refused key (401) when nothing more precise applies. */
export const UNAUTHENTICATED_REMEDIATION = "Check --api-key or PHYCLOUD_API_KEY; the key may be revoked";

function remediationFor(code: string, message: string, status: number): string | undefined {
  const exact = SPEC_REMEDIATIONS.find((r) => r.code === code && r.message === message);
  if (exact) return exact.remediation;
  if (code === "CONFLICT" && message.startsWith("Cannot deactivate the last active admin")) {
    return "Invite another admin first (phyware users invite --email EMAIL --role admin) and have them accept";
  }
  if (code === "NOT_FOUND" && message === "API key not found") return "Check KEY_ID (phyware api-keys list)";
  if (code === "CONFLICT" && message.startsWith("Cannot revoke the tenant's last live admin:users API key")) {
    return "Create another first: phyware api-keys create --name NAME --scope admin:users";
  }
  if (code === "UNAUTHENTICATED" && message.startsWith("API key expired")) {
    return "Use another key, or have an admin create one: phyware api-keys create --name NAME";
  }
  if (code === "CONFLICT" && message.startsWith("Cannot demote the last active admin")) {
    // The message already says what must happen; this says how.
    return "Promote one with phyware users set-role USER_ID --role admin, then try again";
  }
  if (code === "FORBIDDEN" || status === 403) return "Ensure admin:users";
  if (code === "UNAUTHENTICATED" || status === 401) {
    return UNAUTHENTICATED_REMEDIATION;
  }
  return undefined;
}

function defaultMessage(status: number): string {
  if (status === 401) return "Authentication failed";
  if (status === 403) return "Insufficient scope";
  if (status === 404) return "Not found";
  if (status === 429) return "Too many requests";
  if (status >= 500) return `Server error (HTTP ${status})`;
  return `Request failed (HTTP ${status})`;
}

/** Turns an error response into the typed error that carries the spec's exit code. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  retryAfterSeconds?: number,
): PhywareError {
  const problem = parseProblem(body);
  const code = problem?.code ?? "";
  const message = oneLine(problem?.detail || problem?.title || defaultMessage(status));
  const details: ErrorDetails = { status };
  if (code !== "") details.code = code;
  const remediation = remediationFor(code, message, status);
  if (remediation !== undefined) details.remediation = remediation;
  const rid = problem?.request_id ?? requestId;
  if (rid !== undefined) details.requestId = rid;

  if (status === 401 || status === 403) return new AuthError(message, details);
  if (status === 404) return new NotFoundError(message, details);
  if (status === 429) {
    if (retryAfterSeconds !== undefined) details.remediation = `Retry after ${retryAfterSeconds} s`;
    return new ConnectionError(message, { ...details, code: code || "RATE_LIMITED" });
  }
  if (status >= 500) return new ServerError(message, details);
  if (
    status === 400 || status === 405 || status === 409 || status === 413 || status === 415 || status === 422
  ) {
    return new ValidationError(message, details);
  }
  return new ConnectionError(message, details);
}
