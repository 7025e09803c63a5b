import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppRecord } from "../core/records";
import type { PlatformContext } from "./context";
import type { AppRunner } from "../isolates/app-runner";
import { runChatTurn } from "../chat/chat-turn";
import type { TurnEvent } from "../core/api-shapes/chat";

/**
 * Runs a chat turn and streams its progress as server-sent events (`event:` is the
 * TurnEvent's type, `data:` its JSON). A closed connection does not stop the turn:
 * writes are dropped and the turn still finishes and is stored.
 */
export function streamTurn(
  c: Context<PlatformContext>,
  runner: AppRunner,
  app: AppRecord,
  message: string,
  options: { first?: TurnEvent[]; templateId?: string; confirmDestructive?: boolean; timeZone?: string } = {},
) {
  return streamSSE(c, async (stream) => {
    let open = true;
    stream.onAbort(() => {
      open = false;
    });
    const emit = async (event: TurnEvent) => {
      if (!open) return;
      const { type, ...data } = event;
      try {
        await stream.writeSSE({ event: type, data: JSON.stringify(data) });
      } catch {
        open = false;
      }
    };
    for (const event of options.first ?? []) await emit(event);
    try {
      await runChatTurn({
        env: c.env,
        runner,
        app,
        userId: c.var.user.id,
        message,
        templateId: options.templateId,
        confirmDestructive: options.confirmDestructive,
        timeZone: options.timeZone,
        emit,
      });
    } catch (error) {
      // Unexpected: the details go to the platform log, the person gets a plain sentence.
      console.error("chat turn failed", c.var.requestId, error);
      await emit({
        type: "failed",
        message: `Kiln hit an internal error during this turn (request ${c.var.requestId}). Nothing was deployed.`,
        stillServing: app.previewVersion,
      });
      await emit({ type: "done", turnId: "", status: "failed" });
    }
  });
}
