/** The server's log sink, shared by the app (one line per request) and the mail sender. */

/** Receives one line per request (and per unexpected error); never given a secret. */
export type LogLine = (line: string) => void;
