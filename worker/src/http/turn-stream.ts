import type { Context } from "hono";
import type { AppRecord } from "../core/records";
import type { PlatformContext } from "./context";
import { ApiError } from "../core/errors";
import { turnRunnerOf } from "../chat/turn-runner";
import type { TurnEvent } from "../core/api-shapes/chat";

/**
 * Starts a chat turn in the app's TurnRunner and streams its events as server-sent events (`id:` its place in the
 * turn, `event:` the TurnEvent's type, `data:` its JSON). The turn runs there: a closed connection stops only the
 * stream, and `GET …/chat/turns/:turnId/events` with `Last-Event-ID` picks it up again.
 */
export async function streamTurn(
  c: Context<PlatformContext>,
  app: AppRecord,
  message: string,
  options: { first?: TurnEvent[]; templateId?: string; confirmDestructive?: boolean; timeZone?: string } = {},
): Promise<Response> {
  const runner = turnRunnerOf(c.env, app.id);
  const started = await runner.start({ app, userId: c.var.user.id, message, ...options });
  if ("busy" in started)
    throw new ApiError(
      409,
      "conflict",
      "Kiln is still working on this app's last message. Wait for it to finish, or cancel it, then send this one.",
      { turnId: started.busy },
    );
  const stream = await runner.follow(app.id, started.started, 0);
  if (stream === null) throw new ApiError(500, "internal", "The turn started but its events could not be read.");
  return eventStream(stream);
}

/** A turn's events as an SSE response (no buffering by proxies on the way). */
export function eventStream(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" },
  });
}
