/**
 * Checks (and, when asked, repairs) the ad hoc code signature of a 64-bit Mach-O executable without a Mac.
 *
 * macOS on Apple silicon refuses to run an arm64 binary whose embedded signature does not match its pages,
 * and either architecture kills a signed process when a page it loads hashes differently. The signature
 * lives in `__LINKEDIT`, pointed at by `LC_CODE_SIGNATURE`: a big-endian SuperBlob holding one or more
 * CodeDirectories, each listing one hash per `2^pageSize` bytes of the file up to `codeLimit`, plus
 * "special slot" hashes of the other blobs (requirements, entitlements).
 */
import { createHash } from "node:crypto";

const MH_MAGIC_64 = 0xfeedfacf;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;

/** Hash algorithms a CodeDirectory may name (`hashType`), with their Node names. */
const HASH_TYPES: Record<number, { name: string; algorithm: string; size: number }> = {
  1: { name: "sha1", algorithm: "sha1", size: 20 },
  2: { name: "sha256", algorithm: "sha256", size: 32 },
  3: { name: "sha256-truncated", algorithm: "sha256", size: 20 },
  4: { name: "sha384", algorithm: "sha384", size: 48 },
};

/** The outcome of checking one CodeDirectory. */
export interface CodeDirectoryReport {
  /** SuperBlob slot type (0 for the primary CodeDirectory, 0x1000+ for alternates). */
  slot: number;
  /** Signing identifier, e.g. "phyware-darwin-x64". */
  identifier: string;
  /** Hash algorithm name. */
  hashType: string;
  /** Page size in bytes (0 means one page covering everything). */
  pageSize: number;
  /** Bytes of the file covered by page hashes. */
  codeLimit: number;
  /** Number of code pages hashed. */
  codeSlots: number;
  /** Whether the directory is flagged ad hoc (no certificate). */
  adhoc: boolean;
  /** Indexes of code pages whose hash does not match. */
  badPages: number[];
  /** Special slots (negative indexes) whose hash does not match the blob in the SuperBlob. */
  badSpecialSlots: number[];
}

/** The outcome of checking a whole Mach-O file's embedded signature. */
export interface SignatureReport {
  /** CPU type from the Mach-O header ("x86_64", "arm64" or a number). */
  cpu: string;
  /** Offset of the signature in the file (also where code hashing must stop). */
  signatureOffset: number;
  /** Size of the signature region. */
  signatureSize: number;
  /** One entry per CodeDirectory found. */
  directories: CodeDirectoryReport[];
  /** Problems that are not page mismatches (missing directory, codeLimit not at the signature, ...). */
  problems: string[];
  /** True when there is at least one CodeDirectory and nothing failed. */
  valid: boolean;
}

interface CodeDirectoryLocation {
  slot: number;
  /** Absolute offset of the CodeDirectory blob in the file. */
  offset: number;
}

interface SignatureLocation {
  cpu: string;
  dataoff: number;
  datasize: number;
  directories: CodeDirectoryLocation[];
  /** Special slot number -> absolute [start, end) of the blob it hashes. */
  specialBlobs: Map<number, [number, number]>;
}

function cpuName(cputype: number): string {
  if (cputype === 0x01000007) return "x86_64";
  if (cputype === 0x0100000c) return "arm64";
  return `0x${cputype.toString(16)}`;
}

function locateSignature(bytes: Uint8Array): SignatureLocation {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 32 || view.getUint32(0, true) !== MH_MAGIC_64) {
    throw new Error("Not a 64-bit little-endian Mach-O file");
  }
  const cpu = cpuName(view.getUint32(4, true));
  const ncmds = view.getUint32(16, true);
  let at = 32;
  let found: { dataoff: number; datasize: number } | undefined;
  for (let i = 0; i < ncmds; i++) {
    const cmd = view.getUint32(at, true);
    const cmdsize = view.getUint32(at + 4, true);
    if (cmd === LC_CODE_SIGNATURE) {
      found = { dataoff: view.getUint32(at + 8, true), datasize: view.getUint32(at + 12, true) };
    }
    if (cmdsize < 8) throw new Error(`Invalid load command ${i}: size ${cmdsize}`);
    at += cmdsize;
  }
  if (!found) throw new Error("No LC_CODE_SIGNATURE load command: the binary is unsigned");
  const { dataoff, datasize } = found;
  if (dataoff + datasize > bytes.length) throw new Error("LC_CODE_SIGNATURE points past the end of the file");
  // The signature blobs are big-endian, unlike the Mach-O header.
  if (view.getUint32(dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    throw new Error(`Invalid SuperBlob magic: 0x${view.getUint32(dataoff).toString(16)}`);
  }
  const count = view.getUint32(dataoff + 8);
  const directories: CodeDirectoryLocation[] = [];
  const specialBlobs = new Map<number, [number, number]>();
  for (let i = 0; i < count; i++) {
    const type = view.getUint32(dataoff + 12 + i * 8);
    const offset = dataoff + view.getUint32(dataoff + 16 + i * 8);
    const length = view.getUint32(offset + 4);
    if (type === CSSLOT_CODEDIRECTORY || (type >= CSSLOT_ALTERNATE_CODEDIRECTORIES && type < 0x1005)) {
      directories.push({ slot: type, offset });
    } else if (type !== CSSLOT_SIGNATURESLOT) {
      // Special slot n hashes the blob stored under type n (requirements = 2, entitlements = 5, ...).
      specialBlobs.set(type, [offset, offset + length]);
    }
  }
  return { cpu, dataoff, datasize, directories, specialBlobs };
}

interface CodeDirectoryFields {
  flags: number;
  hashOffset: number;
  identOffset: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  hashSize: number;
  hashType: number;
  pageShift: number;
}

function readCodeDirectory(view: DataView, offset: number): CodeDirectoryFields {
  if (view.getUint32(offset) !== CSMAGIC_CODEDIRECTORY) {
    throw new Error(`Invalid CodeDirectory magic at ${offset}`);
  }
  const version = view.getUint32(offset + 8);
  let codeLimit = view.getUint32(offset + 32);
  // Version 0x20300 added a 64-bit codeLimit, used when the 32-bit field is zero.
  if (version >= 0x20300 && codeLimit === 0) codeLimit = Number(view.getBigUint64(offset + 56));
  return {
    flags: view.getUint32(offset + 12),
    hashOffset: view.getUint32(offset + 16),
    identOffset: view.getUint32(offset + 20),
    nSpecialSlots: view.getUint32(offset + 24),
    nCodeSlots: view.getUint32(offset + 28),
    codeLimit,
    hashSize: view.getUint8(offset + 36),
    hashType: view.getUint8(offset + 37),
    pageShift: view.getUint8(offset + 39),
  };
}

function digest(algorithm: string, size: number, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest().subarray(0, size));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readCString(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

/** Verifies every page hash and special-slot hash of a Mach-O 64 file's embedded signature. */
export function verifyMachoSignature(bytes: Uint8Array): SignatureReport {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const location = locateSignature(bytes);
  const problems: string[] = [];
  const directories: CodeDirectoryReport[] = [];
  if (location.directories.length === 0) problems.push("The SuperBlob holds no CodeDirectory");
  for (const { slot, offset } of location.directories) {
    const cd = readCodeDirectory(view, offset);
    const hash = HASH_TYPES[cd.hashType];
    if (!hash) {
      problems.push(`CodeDirectory ${slot}: unsupported hash type ${cd.hashType}`);
      continue;
    }
    if (cd.hashSize !== hash.size) {
      problems.push(`CodeDirectory ${slot}: hash size ${cd.hashSize} does not match ${hash.name}`);
      continue;
    }
    if (cd.codeLimit !== location.dataoff) {
      problems.push(
        `CodeDirectory ${slot}: codeLimit ${cd.codeLimit} is not the signature offset ${location.dataoff}`,
      );
    }
    const pageSize = cd.pageShift === 0 ? 0 : 2 ** cd.pageShift;
    const expectedSlots = pageSize === 0 ? 1 : Math.ceil(cd.codeLimit / pageSize);
    if (cd.nCodeSlots !== expectedSlots) {
      problems.push(`CodeDirectory ${slot}: ${cd.nCodeSlots} code slots, expected ${expectedSlots}`);
    }
    const badPages: number[] = [];
    const slots = Math.min(cd.nCodeSlots, expectedSlots);
    for (let page = 0; page < slots; page++) {
      const start = page * pageSize;
      const end = pageSize === 0 ? cd.codeLimit : Math.min(start + pageSize, cd.codeLimit);
      const stored = bytes.subarray(
        offset + cd.hashOffset + page * cd.hashSize,
        offset + cd.hashOffset + (page + 1) * cd.hashSize,
      );
      if (!equalBytes(stored, digest(hash.algorithm, hash.size, bytes.subarray(start, end)))) {
        badPages.push(page);
      }
    }
    const badSpecialSlots: number[] = [];
    for (let special = 1; special <= cd.nSpecialSlots; special++) {
      const stored = bytes.subarray(
        offset + cd.hashOffset - special * cd.hashSize,
        offset + cd.hashOffset - (special - 1) * cd.hashSize,
      );
      const blob = location.specialBlobs.get(special);
      // An absent blob is recorded as an all-zero hash.
      const ok = blob
        ? equalBytes(stored, digest(hash.algorithm, hash.size, bytes.subarray(blob[0], blob[1])))
        : stored.every((b) => b === 0);
      if (!ok) badSpecialSlots.push(-special);
    }
    directories.push({
      slot,
      identifier: readCString(bytes, offset + cd.identOffset),
      hashType: hash.name,
      pageSize,
      codeLimit: cd.codeLimit,
      codeSlots: cd.nCodeSlots,
      adhoc: (cd.flags & CS_ADHOC) !== 0,
      badPages,
      badSpecialSlots,
    });
  }
  const valid = directories.length > 0 && problems.length === 0 &&
    directories.every((d) => d.badPages.length === 0 && d.badSpecialSlots.length === 0);
  return {
    cpu: location.cpu,
    signatureOffset: location.dataoff,
    signatureSize: location.datasize,
    directories,
    problems,
    valid,
  };
}

const LC_SEGMENT_64 = 0x19;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CD_VERSION_EXECSEG = 0x20400;
const CD_HEADER_SIZE = 88;
const SIGN_PAGE_SHIFT = 12;

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

/**
 * Replaces a Mach-O 64 executable's embedded signature with a fresh ad hoc one and returns the new file.
 *
 * The signature has the shape the linker writes (`ld -adhoc_codesign`, and what Bun itself writes for
 * darwin-arm64): one SHA-256 CodeDirectory, flags adhoc + linker-signed, 4 KiB pages, no requirements, no
 * entitlements and no CMS blob. Nothing signs an ad hoc CodeDirectory; the kernel trusts its hash. The
 * signature must be the last thing in the file and in `__LINKEDIT`; `LC_CODE_SIGNATURE` and `__LINKEDIT`
 * are resized when the new signature needs more room, and every page (load commands included) is hashed
 * after that.
 */
export function signAdhoc(input: Uint8Array, identifier: string): Uint8Array {
  const inView = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const { dataoff, datasize } = locateSignature(input);
  if (dataoff + datasize !== input.length) throw new Error("The signature is not at the end of the file");
  if (dataoff % 16 !== 0) throw new Error(`The signature offset ${dataoff} is not 16-byte aligned`);
  const pageSize = 2 ** SIGN_PAGE_SHIFT;
  const codeSlots = Math.ceil(dataoff / pageSize);
  const ident = new TextEncoder().encode(`${identifier}\0`);
  const cdLength = CD_HEADER_SIZE + ident.length + codeSlots * 32;
  const superLength = 12 + 8 + cdLength;
  const newSize = roundUp(superLength, 16);

  const out = new Uint8Array(dataoff + newSize);
  out.set(input.subarray(0, dataoff));
  const view = new DataView(out.buffer);
  let textFileSize = 0;
  let linkeditFound = false;
  const ncmds = inView.getUint32(16, true);
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = view.getUint32(at, true);
    if (cmd === LC_CODE_SIGNATURE) view.setUint32(at + 12, newSize, true);
    if (cmd === LC_SEGMENT_64) {
      const name = readCString(out.subarray(at + 8, at + 24), 0);
      const fileoff = Number(view.getBigUint64(at + 40, true));
      if (name === "__TEXT") textFileSize = Number(view.getBigUint64(at + 48, true));
      if (name === "__LINKEDIT") {
        linkeditFound = true;
        const filesize = dataoff + newSize - fileoff;
        view.setBigUint64(at + 48, BigInt(filesize), true);
        const vmsize = Number(view.getBigUint64(at + 32, true));
        // 16 KiB covers both the x86_64 (4 KiB) and arm64 (16 KiB) page sizes.
        if (vmsize < filesize) view.setBigUint64(at + 32, BigInt(roundUp(filesize, 16384)), true);
      }
    }
    at += view.getUint32(at + 4, true);
  }
  if (!linkeditFound) throw new Error("No __LINKEDIT segment");

  // SuperBlob: magic, length, count, then one index entry pointing at the CodeDirectory.
  view.setUint32(dataoff, CSMAGIC_EMBEDDED_SIGNATURE);
  view.setUint32(dataoff + 4, superLength);
  view.setUint32(dataoff + 8, 1);
  view.setUint32(dataoff + 12, CSSLOT_CODEDIRECTORY);
  view.setUint32(dataoff + 16, 20);
  const cd = dataoff + 20;
  const hashOffset = CD_HEADER_SIZE + ident.length;
  view.setUint32(cd, CSMAGIC_CODEDIRECTORY);
  view.setUint32(cd + 4, cdLength);
  view.setUint32(cd + 8, CD_VERSION_EXECSEG);
  view.setUint32(cd + 12, CS_ADHOC | CS_LINKER_SIGNED);
  view.setUint32(cd + 16, hashOffset);
  view.setUint32(cd + 20, CD_HEADER_SIZE);
  view.setUint32(cd + 24, 0); // nSpecialSlots
  view.setUint32(cd + 28, codeSlots);
  view.setUint32(cd + 32, dataoff); // codeLimit
  view.setUint8(cd + 36, 32); // hashSize
  view.setUint8(cd + 37, 2); // hashType: SHA-256
  view.setUint8(cd + 38, 0); // platform
  view.setUint8(cd + 39, SIGN_PAGE_SHIFT);
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64 and execSegBase stay zero.
  view.setBigUint64(cd + 72, BigInt(textFileSize)); // execSegLimit
  view.setBigUint64(cd + 80, BigInt(CS_EXECSEG_MAIN_BINARY));
  out.set(ident, cd + CD_HEADER_SIZE);
  for (let page = 0; page < codeSlots; page++) {
    const start = page * pageSize;
    const hash = createHash("sha256").update(out.subarray(start, Math.min(start + pageSize, dataoff)))
      .digest();
    out.set(hash, cd + hashOffset + page * 32);
  }
  return out;
}
