/** JSON calls to a test server over loopback, and onboarding a user through its emailed invitation. */
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { tokenFromOutbox } from "./outbox_token.ts";

/** One JSON call to the server. */
export async function api<T = Record<string, unknown>>(
  server: TestServer,
  method: string,
  path: string,
  token: string | undefined,
  json?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: json === undefined ? null : JSON.stringify(json),
  });
  return { status: response.status, body: await response.json() as T, headers: response.headers };
}

/** Invites, accepts through the emailed token, and returns the user's id and session. */
export async function onboard(
  server: TestServer,
  email: string,
  role: "admin" | "member",
): Promise<{ id: string; session: string }> {
  const invited = await api<{ id: string }>(server, "POST", "/v1/users", server.apiKey, { email, role });
  assert.equal(invited.status, 201);
  await server.mailIdle();
  const token = await tokenFromOutbox(server.outboxDir, email);
  const accepted = await api<{ session: { token: string } }>(
    server,
    "POST",
    "/v1/invitations/accept",
    undefined,
    { token },
  );
  assert.equal(accepted.status, 200);
  return { id: invited.body.id, session: accepted.body.session.token };
}
