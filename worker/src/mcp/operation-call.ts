// One `kiln.*` call of a snippet as a request to the JSON API and back: the API's own validation, ownership checks
// and errors apply unchanged, so the snippet can do what its owner's token can and nothing else.
import type { z } from "zod";
import { type KilnOperation, kilnOperation } from "./kiln-operations";

/** What the snippet's client receives for one call: the value, or the API's refusal in words. */
export type GatewayAnswer = { ok: true; value: unknown } | { ok: false; status: number; code: string; message: string };

/** The API request of a call, or the refusal when the snippet named no operation or gave input it does not take. */
export type PreparedCall = { ok: true; operation: KilnOperation; request: Request } | (GatewayAnswer & { ok: false });

// Any origin works for an in-process call; this one says where the request came from in a log line.
const ORIGIN = "http://mcp.kiln.internal";

/** Checks the snippet's `name` and `input` and builds the API request; nothing is sent yet. */
export function prepareCall(name: string, input: unknown): PreparedCall {
  const operation = kilnOperation(name);
  if (!operation)
    return refusal(400, "unknown_operation", `kiln.${name} does not exist. Use search to find the operation you need.`);
  const parsed = operation.input.safeParse(input ?? {});
  if (!parsed.success) return refusal(400, "invalid_input", `kiln.${name}: ${issuesInWords(parsed.error)}`);
  const fields = parsed.data as Record<string, unknown>;
  const used = new Set<string>();
  let dotted = false;
  const path = operation.path.replace(/:(\w+)/g, (_, field: string) => {
    used.add(field);
    const value = String(fields[field]);
    // "." and ".." survive encodeURIComponent and URL parsing would resolve them into another route.
    if (/^\.+$/.test(value)) dotted = true;
    return encodeURIComponent(value);
  });
  if (dotted) return refusal(400, "invalid_input", `kiln.${name}: an id or name cannot be "." or "..".`);
  const url = new URL(`/api${path}`, ORIGIN);
  for (const field of operation.query ?? []) {
    used.add(field);
    const value = fields[field];
    if (value !== undefined) url.searchParams.set(field, String(value));
  }
  let body: unknown;
  if (operation.bodyField !== undefined) body = fields[operation.bodyField];
  else {
    const rest = Object.entries(fields).filter(([field, value]) => !used.has(field) && value !== undefined);
    body = rest.length > 0 || operation.method !== "GET" ? Object.fromEntries(rest) : undefined;
  }
  const sendsBody = operation.method !== "GET" && operation.method !== "DELETE" && body !== undefined;
  const request = new Request(url, {
    method: operation.method,
    headers: sendsBody ? { "content-type": "application/json" } : {},
    body: sendsBody ? JSON.stringify(body) : undefined,
  });
  return { ok: true, operation, request };
}

/** The API's answer as the client returns it: the value (unwrapped), a build's refusal as a result, or an error. */
export async function answerOf(operation: KilnOperation, response: Response): Promise<GatewayAnswer> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok) {
    const value = operation.unwrap !== undefined && body ? body[operation.unwrap] : body;
    return { ok: true, value: operation.failureIsResult ? { ok: true, ...(value as object) } : value };
  }
  const error = (body?.error ?? {}) as { code?: string; message?: string };
  const code = error.code ?? "error";
  const message = error.message ?? `Kiln answered ${response.status}.`;
  if (operation.failureIsResult && (response.status === 422 || code === "destructive_change")) {
    const { error: _, ...details } = body ?? {};
    return {
      ok: true,
      value: { ok: false, code, message, stage: null, diagnostics: [], ...details },
    };
  }
  return refusal(response.status, code, message);
}

function refusal(status: number, code: string, message: string): GatewayAnswer & { ok: false } {
  return { ok: false, status, code, message };
}

function issuesInWords(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
