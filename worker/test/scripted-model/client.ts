// For workerd tests: what the scripted model received, and SSE turns read as events.
import { SELF, env } from "cloudflare:test";
import { PLATFORM, type TestUser } from "../api-client";
import type { ScriptedRequest } from "./scenarios.ts";

export type { ScriptedRequest } from "./scenarios.ts";

/** One server-sent event of a chat turn. */
export interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
}

function base(): string {
  const url = env.KILN_MODEL_BASE_URL;
  if (!url) throw new Error("KILN_MODEL_BASE_URL is not set: is the scripted model started by vitest.config.ts?");
  return url.replace(/\/v1$/, "");
}

/** Requests the scripted model received for `scenario`, in order. */
export async function scriptedRequests(scenario: string): Promise<ScriptedRequest[]> {
  const all = (await (await fetch(`${base()}/__scripted/requests`)).json()) as ScriptedRequest[];
  return all.filter((r) => r.scenario === scenario);
}

/** Posts to a streaming endpoint as `user` and reads every event until the stream ends. */
export async function streamedCall(
  user: TestUser,
  path: string,
  body: unknown,
): Promise<{ status: number; contentType: string | null; events: StreamedEvent[]; text: string }> {
  const response = await SELF.fetch(`${PLATFORM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), events: parseSse(text), text };
}

/** Parses an SSE body into events (data is JSON). */
export function parseSse(text: string): StreamedEvent[] {
  const events: StreamedEvent[] = [];
  for (const block of text.split(/\n\n+/)) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) events.push({ event, data: JSON.parse(data.join("\n")) as Record<string, unknown> });
  }
  return events;
}
