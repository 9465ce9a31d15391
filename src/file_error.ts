import { PhywareError, ValidationError } from "./errors.ts";

/** What each file-system error code means, in the words an error line uses. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EROFS: "the file system is read-only",
  EFBIG: "the file is too large",
  ELOOP: "too many symbolic links on the path",
  ENAMETOOLONG: "the path is too long",
  EIO: "an input/output error",
};

/** The code of a file-system error (EACCES, ENOSPC...), or undefined for any other error. */
export function fileSystemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(REASONS, code) ? code : undefined;
}

/** What to do about a file-system error, when the caller has no better advice. */
function defaultFix(code: string): string {
  if (code === "EACCES" || code === "EPERM") return "Check the permissions, or run as the user who owns it";
  if (code === "ENOSPC" || code === "EDQUOT") return "Free some space, or write somewhere else";
  if (code === "EISDIR") return "Give the path of a file";
  return "Check the path";
}

/** How a file-system failure is reported: which error class (so exit code) and what to do. */
export interface FileErrorOptions {
  /** A ValidationError (exit 4) for a path the user gave; otherwise a PhywareError (exit 1). */
  validation?: boolean;
  /** The error's code for JSON errors (default FILE_ERROR, or VALIDATION_ERROR with `validation`). */
  code?: string;
  /** What to do about it (default: advice for the error code). */
  remediation?: string;
}

/**
 * A file-system failure as one line, `Cannot <action>: <reason>` ("Cannot read --api-key-file "/k":
 * permission denied"); undefined when `error` is no file-system error. Every reader and writer of files
 * reports through this one mapping.
 */
export function fileError(
  error: unknown,
  action: string,
  options: FileErrorOptions = {},
): PhywareError | undefined {
  const code = fileSystemCode(error);
  if (code === undefined) return undefined;
  const message = `Cannot ${action}: ${REASONS[code]}`;
  const remediation = options.remediation ?? defaultFix(code);
  return options.validation
    ? new ValidationError(message, { remediation, ...(options.code ? { code: options.code } : {}) })
    : new PhywareError(message, { remediation, code: options.code ?? "FILE_ERROR" });
}
