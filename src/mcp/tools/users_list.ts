import { z } from "zod";
import { STATUSES } from "../../api/types.ts";
import { defineTool, type McpTool } from "../tool.ts";
import { emailArgument, roleSchema, userSchema } from "../schemas.ts";
import { inline, userLine } from "./user_text.ts";

/** Users per call when the agent does not say. */
export const DEFAULT_LIMIT = 50;
/** Most users one call returns: a tenant is paged, never returned whole. */
export const MAX_LIMIT = 500;

/** `users_list`: one page of the tenant's users, and the cursor of the next. */
export const usersList: McpTool = defineTool({
  name: "users_list",
  title: "List users",
  description:
    "Lists the users of the tenant, one page at a time, oldest first. Returns at most `limit` users " +
    `(default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}) and next_cursor: pass it as \`cursor\` to get the next ` +
    "page; it is null on the last page. Filters by status and role; `email` finds the users of one mailbox " +
    "(any case; inactive records too), `query` the users whose email contains the text, case-insensitively " +
    "(2 characters or more). Needs the admin:users scope.",
  input: z.strictObject({
    status: z.enum(STATUSES).optional().describe("Only users in this state"),
    role: roleSchema.optional().describe("Only users with this role, such as member or admin"),
    email: emailArgument.optional().describe("Only the users of this email address"),
    query: z.string().min(2).max(254).optional().describe(
      "Only users whose email contains this text, in any case (2 characters or more)",
    ),
    limit: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe("Most users to return"),
    cursor: z.string().min(1).optional().describe("next_cursor of the previous page, with the same filters"),
  }),
  output: z.strictObject({
    users: z.array(userSchema),
    next_cursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page"),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ status, role, email, query, limit, cursor }, session) {
    const page = await session.users.page({ status, role, email, query }, limit, cursor);
    const more = page.next_cursor === null
      ? "This is the last page."
      : `More users: call users_list with cursor "${inline(page.next_cursor)}".`;
    const count = `${page.data.length} user${page.data.length === 1 ? "" : "s"}`;
    return {
      structured: { users: page.data, next_cursor: page.next_cursor },
      text: [count + (page.data.length > 0 ? ":" : "."), ...page.data.map(userLine), more].join("\n"),
    };
  },
});
