/** A sink for text output; resolves once the text has been handed to the OS. */
export interface Writer {
  /** Writes text; rejects with BrokenPipeError when the reader has gone away. */
  write(text: string): Promise<void>;
}

/** Standard streams and terminal facts. */
export interface Io {
  /** Standard output. */
  stdout: Writer;
  /** Standard error. */
  stderr: Writer;
  /** Whether stdin is an interactive terminal. */
  stdinIsTerminal: boolean;
  /** Whether stdout is an interactive terminal. */
  stdoutIsTerminal: boolean;
  /** Whether stderr is an interactive terminal. */
  stderrIsTerminal: boolean;
  /** Prints a prompt on stderr and reads one line; null at end of input, InterruptedError on Ctrl-C. */
  readLine(prompt: string): Promise<string | null>;
  /** Like readLine, without echoing what is typed (for secrets); call only when stdin is a terminal. */
  readSecret(prompt: string): Promise<string | null>;
  /** Reads all of standard input as text; with `limit`, stops once more than `limit` bytes have come. */
  readStdin(limit?: number): Promise<string>;
  /** Standard input as bytes as they arrive, until end of input (`phyware mcp` reads its protocol so). */
  openStdin(): AsyncIterable<Uint8Array>;
}

/** Handle on a listening HTTP server. */
export interface ListeningServer {
  /** The bound port (useful when 0 was asked for). */
  port: number;
  /** The bound host name. */
  hostname: string;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

/** Options for starting an HTTP listener. */
export interface ServeOptions {
  /** Interface to bind. */
  hostname: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
}

/** What the listener knows about a request beyond the Request itself. */
export interface RequestInfo {
  /** The peer's IP address as the socket reports it (never from a header); undefined if unknown. */
  remoteAddress: string | undefined;
}

/** A Request -> Response handler, as in Hono and the web platform; listeners also pass RequestInfo. */
export type Handler = (request: Request, info?: RequestInfo) => Response | Promise<Response>;

/** Everything a command may touch outside its own arguments. */
export interface Context {
  /** Streams and TTY facts. */
  io: Io;
  /** Environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** The platform fetch. */
  fetch: typeof fetch;
  /** The clock. */
  now: () => Date;
  /** Waits ms milliseconds (or until the signal aborts). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Working directory, for `.env`. */
  cwd: string;
  /** Home directory, when the OS knows one. */
  homeDir: string | undefined;
  /** OS name as node:os reports it ("linux", "darwin", "win32"). */
  platform: string;
  /**
   * Reads a UTF-8 file; undefined when it does not exist. With `limit`, reads at most `limit` + 1 bytes (a
   * longer text means the file is over the limit), so a secret read from `/dev/zero` cannot grow unbounded.
   */
  readTextFile: (path: string, options?: { limit?: number }) => Promise<string | undefined>;
  /** The lines of a file, or of standard input for "-", streamed; throws ENOENT-style errors as they come. */
  readLines: (path: string) => AsyncIterable<string>;
  /** Permission bits of a file (such as 0o600); undefined when it does not exist. */
  fileMode: (path: string) => Promise<number | undefined>;
  /** Writes a file only its owner may read (0600), creating its folder 0700; replaces it atomically. */
  writePrivateFile: (path: string, text: string) => Promise<void>;
}

/** What only `server start` gets besides the Context: a listener and the end of the process's life. */
export interface ServerHost {
  /** Starts an HTTP listener with the runtime's native server. */
  serve: (handler: Handler, options: ServeOptions) => Promise<ListeningServer>;
  /**
   * Returns a signal aborted on SIGINT or SIGTERM. Calling it takes over those signals, which otherwise end
   * the process at once.
   */
  shutdownSignal: () => AbortSignal;
}
