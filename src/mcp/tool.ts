/** One MCP tool: its published definition, and a call that turns every outcome into a tool result. */
import { z } from "zod";
// The SDK's exports map gives types for this subpath only without ".js".
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type CallToolResult,
  type Tool,
  type ToolAnnotations,
  ToolSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { ApiSession } from "../session/mod.ts";
import { ValidationError } from "../errors.ts";
import { toolError } from "./tool_error.ts";
import { toolErrorSchema } from "./schemas.ts";
import type { ToolName } from "./tool_names.ts";

/** What a tool needs to run: the session, or the start-up error every tool answers with. */
export interface ToolDeps {
  /** The API session; throws the error that kept it from opening (such as "No API key"). */
  session(): ApiSession;
}

/** What a tool returns: the structured content and its short text rendering. */
export interface ToolOutput<T> {
  structured: T;
  text: string;
}

/** How one tool is declared. */
export interface ToolSpec<I extends z.ZodType<unknown, Record<string, unknown>>, O extends z.ZodObject> {
  name: ToolName;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Omit<ToolAnnotations, "title">;
  run(args: z.output<I>, session: ApiSession): Promise<ToolOutput<z.output<O>>>;
}

/** A tool ready to be listed and called. */
export interface McpTool {
  name: ToolName;
  /** What tools/list shows. */
  definition: Tool;
  /** Runs the tool; never throws: errors are results with `isError: true`. */
  call(args: Record<string, unknown>, deps: ToolDeps): Promise<CallToolResult>;
}

// Draft-07 is what the SDK's client (Ajv) and most hosts validate with by default.
const JSON_SCHEMA = { target: "draft-7" } as const;

/**
 * The published output schema: the tool's result or, when `isError` is true, the error. Clients built on the
 * TypeScript SDK check an error's structuredContent against the output schema too, so the schema names both.
 */
function outputSchema(output: z.ZodObject): Record<string, unknown> {
  return {
    ...z.toJSONSchema(z.union([output, toolErrorSchema]), { ...JSON_SCHEMA, io: "output" }),
    type: "object",
  };
}

function inputSchema(input: z.ZodType): Record<string, unknown> {
  return { ...z.toJSONSchema(input, { ...JSON_SCHEMA, io: "input" }), type: "object" };
}

/** One line per problem, each naming the argument: the message the schema refuses bad arguments with. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
  ).join("; ");
}

/** Builds a tool from its declaration. */
export function defineTool<I extends z.ZodType<unknown, Record<string, unknown>>, O extends z.ZodObject>(
  spec: ToolSpec<I, O>,
): McpTool {
  return {
    name: spec.name,
    // The SDK's own schema of a tool checks that the definition is one, and types it.
    definition: ToolSchema.parse({
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: inputSchema(spec.input),
      outputSchema: outputSchema(spec.output),
      annotations: { title: spec.title, ...spec.annotations },
    }),
    async call(args, deps) {
      try {
        const parsed = spec.input.safeParse(args);
        if (!parsed.success) {
          throw new ValidationError(`Invalid arguments for ${spec.name}: ${describeIssues(parsed.error)}`, {
            remediation: `Call ${spec.name} with arguments that match its inputSchema`,
          });
        }
        const { structured, text } = await spec.run(parsed.data, deps.session());
        return { content: [{ type: "text", text }], structuredContent: structured };
      } catch (error) {
        return toolError(error);
      }
    },
  };
}
