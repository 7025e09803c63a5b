// For workerd tests: what the scripted model received, and SSE turns read as events.
import { SELF, env } from "cloudflare:test";
import { PLATFORM, type TestUser } from "../api-client";
import type { ScriptedRequest } from "./scenarios.ts";

export type { ScriptedRequest } from "./scenarios.ts";

/** One server-sent event of a chat turn (`id`: its place in the turn). */
export interface StreamedEvent {
  event: string;
  data: Record<string, unknown>;
  id?: number;
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
    let id: number | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("id:")) id = Number(line.slice(3).trim());
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0)
      events.push({ event, data: JSON.parse(data.join("\n")) as Record<string, unknown>, ...(id ? { id } : {}) });
  }
  return events;
}

/**
 * Reads a turn's stream as it arrives until `until` holds for an event (then hangs up, as a closed tab does) or the
 * stream ends; answers the events read.
 */
export async function readStreamUntil(
  response: Response,
  until: (event: StreamedEvent) => boolean = () => false,
): Promise<StreamedEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const events: StreamedEvent[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffered += value;
    const cut = buffered.lastIndexOf("\n\n");
    if (cut < 0) continue;
    const complete = parseSse(buffered.slice(0, cut));
    buffered = buffered.slice(cut + 2);
    for (const event of complete) {
      events.push(event);
      if (until(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
}
