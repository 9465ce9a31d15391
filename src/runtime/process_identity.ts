import { readFileSync, readlinkSync } from "node:fs";
import os from "node:os";
import process from "node:process";

/** This process as other processes sharing a database can name it: its pid, and the host it runs on. */
export interface ProcessIdentity {
  pid: number;
  /**
   * The host, as far as pids are comparable: the host name, and on Linux the boot and the pid namespace too
   * (two containers with one host name, or a reboot, are different hosts for pids).
   */
  host: string;
}

function readOr(read: () => string, fallback: string): string {
  try {
    return read().trim();
  } catch {
    return fallback;
  }
}

/** The pid and host of this process (see ProcessIdentity). */
export function thisProcess(): ProcessIdentity {
  const boot = readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"), "");
  const namespace = readOr(() => readlinkSync("/proc/self/ns/pid"), "");
  const host = [os.hostname(), boot, namespace].filter((part) => part !== "").join(" ");
  return { pid: process.pid, host };
}

/** Whether a process with this pid exists on this host (one we may not signal counts as existing). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown } | null)?.code === "EPERM";
  }
}
