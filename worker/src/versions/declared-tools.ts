// What an app's `export const tools` declares, read from a loaded isolate (the wrapper's KilnMeta.describe sends the
// description, roles and the input's JSON Schema, never the handler) and checked at build time, so a tool an MCP
// client could not list or call is a build error that says what to write.
import type { SourceFiles } from "../compiler";
import { problemsAsDiagnostics } from "../compiler/schema-problems";
import { BuildFailedError } from "../core/errors";

/** At most this many tools per app: an assistant reads every description on each turn, so fewer is better. */
export const MAX_TOOLS = 30;

/** MCP's tool-name rule (the spec's `^[a-zA-Z0-9_-]{1,64}$`), so every client accepts the name as is. */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const KNOWN_SETTINGS = new Set(["description", "input", "roles", "run"]);

/** One tool as a version declares it: what `tools/list` shows, and who may call it. */
export interface ToolDeclaration {
  name: string;
  description: string;
  /** Any one of them lets a visitor call it (the owner always may); empty: whoever the access rule admits. */
  roles: string[];
  /** JSON Schema (an object) of the input, as zod writes it. */
  inputSchema: Record<string, unknown>;
}

/** Reads the `tools` export; anything malformed fails the build, saying which tool and what to write. */
export function parseDeclaredTools(files: SourceFiles, declared: unknown, declaredRoles: string[]): ToolDeclaration[] {
  if (declared === null || declared === undefined) return [];
  const fail = (problems: string[]) =>
    new BuildFailedError(
      "The tools the app declares are not valid.",
      problemsAsDiagnostics(files, problems, "tools"),
      "start",
    );
  if (typeof declared !== "object" || Array.isArray(declared))
    throw fail(['`tools` must be an object: { addLead: { description: "…", input: z.object({ … }), run } }.']);
  const entries = Object.entries(declared as Record<string, unknown>);
  if (entries.length > MAX_TOOLS)
    throw fail([`An app may declare at most ${MAX_TOOLS} tools; it declares ${entries.length}.`]);
  const problems: string[] = [];
  const parsed: ToolDeclaration[] = [];
  for (const [name, raw] of entries) {
    const result = parseOne(name, raw, declaredRoles);
    if (typeof result === "string") problems.push(result);
    else parsed.push(result);
  }
  if (problems.length > 0) throw fail(problems);
  return parsed.sort((a, b) => a.name.localeCompare(b.name));
}

// One tool, or the sentence saying what is wrong with it.
function parseOne(name: string, raw: unknown, declaredRoles: string[]): ToolDeclaration | string {
  const where = `tool "${name}"`;
  if (!TOOL_NAME.test(name)) return `${where}: a name may use only letters, digits, "-" and "_" (1 to 64).`;
  if (raw === null || typeof raw !== "object")
    return `${where} must be an object: { description, input: z.object({ … }), run(input, env, caller) }.`;
  const tool = raw as Record<string, unknown>;
  const keys = Array.isArray(tool.keys) ? tool.keys.map(String) : [];
  const unknown = keys.filter((key) => !KNOWN_SETTINGS.has(key));
  if (unknown.length > 0)
    return `${where} has settings Kiln does not know: ${unknown.join(", ")} (known: description, input, roles, run).`;
  if (tool.run !== "function") return `${where} needs a run(input, env, caller) function.`;
  if (typeof tool.description !== "string" || tool.description.trim() === "")
    return `${where} needs a description: one sentence telling an assistant when to use it.`;
  if (tool.description.length > 1000) return `${where}: the description is over 1,000 characters; say it shorter.`;
  if (typeof tool.inputProblem === "string")
    return `${where}: input must be a zod schema Kiln can describe as JSON Schema, such as z.object({ name: z.string() }) (${tool.inputProblem}).`;
  const schema = tool.inputSchema as Record<string, unknown> | null | undefined;
  if (schema === null || typeof schema !== "object" || schema.type !== "object")
    return `${where}: input must be a z.object({ … }): assistants send a tool's arguments as one object.`;
  const roles = tool.roles ?? [];
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== "string"))
    return `${where}: roles must be a list of role names, e.g. ["sales"].`;
  const undeclared = (roles as string[]).filter((role) => role !== "owner" && !declaredRoles.includes(role));
  if (undeclared.length > 0)
    return `${where}: the role ${undeclared.map((r) => `"${r}"`).join(", ")} is not in \`export const roles\`; declare it there (owners give roles to invitees).`;
  return { name, description: tool.description, roles: roles as string[], inputSchema: schema };
}
