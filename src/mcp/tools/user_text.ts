import type { UserDetails } from "../../api/types.ts";

/** A user as one line of text: id, email, status and role, as `phyware users list` prints them. */
export function userLine(user: UserDetails): string {
  return `${user.id}  ${user.email}  ${user.status}  ${user.role}`;
}
