/** Turns a wire-format mismatch into the connection error the user sees. */
import { WireFormatError } from "./types.ts";
import { ConnectionError } from "../errors.ts";

/** Parses an answer's body with `parse`; a body of the wrong shape is an "Unexpected response" error. */
export function parsed<T>(parse: (v: unknown) => T, body: unknown, baseUrl: string): T {
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw new ConnectionError(`Unexpected response from ${baseUrl}: ${error.message}`);
    }
    throw error;
  }
}
