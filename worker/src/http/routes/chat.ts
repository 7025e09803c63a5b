import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { isConnectorId } from "../../../../connectors/types";
import { appContext } from "../../chat/app-context";
import { listTurns } from "../../chat/chat-store";
import { eventStream, streamTurn } from "../turn-stream";
import { turnRunnerOf } from "../../chat/turn-runner";
import { recentTurnEvents } from "../../chat/turn-log";
import { ApiError } from "../../core/errors";
import type { ChatContext, ChatTurnWithEvents, DeployResult } from "../../core/api-shapes";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { previewBefore } from "../../versions/deployments";
import { restoreToPreview } from "../../versions/restore-version";

const messageSchema = z.object({
  message: z.string().trim().min(1, "write a message").max(8000, "keep a message under 8,000 characters"),
  // Sent again with true after the person confirmed a change that removes preview data.
  confirmDestructive: z.boolean().optional(),
  timeZone: z.string().max(64).optional(),
});
const contextQuery = z.object({
  message: z.string().max(8000).optional(),
  timeZone: z.string().max(64).optional(),
  connectors: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || v.split(",").every(isConnectorId),
      "connectors is a comma-separated list of stripe, airtable, google",
    ),
});

const followQuery = z.object({ after: z.coerce.number().int().min(0).optional() });
const undoSchema = z.object({ confirmDestructive: z.boolean().optional() });

/** The builder chat under `/api/apps/:id`; expects `c.var.app`; `runner` builds what undoing a turn restores. */
export function chatRoutes(runner: RunnerFor) {
  return (
    new Hono<PlatformContext>()
      .post("/chat", async (c) => {
        const { message, confirmDestructive, timeZone } = await readJson(c, messageSchema);
        return streamTurn(c, c.var.app, message, { confirmDestructive, timeZone });
      })
      .get("/chat", async (c) => {
        // A turn no process is working on any more (Kiln restarted mid-turn) ends as failed before it is listed.
        const list = () => Promise.all([listTurns(c.env.DB, c.var.app.id), recentTurnEvents(c.env.DB, c.var.app.id)]);
        let [turns, events] = await list();
        if (turns.some((turn) => turn.status === "running")) {
          await turnRunnerOf(c.env, c.var.app.id).settle(c.var.app.id);
          [turns, events] = await list();
        }
        return c.json({
          turns: turns.map((turn) => ({ ...turn, events: events.get(turn.id) ?? [] })),
        } satisfies { turns: ChatTurnWithEvents[] });
      })
      // A turn's events from the one after `Last-Event-ID` (or `?after=`), live until it is done: another tab, or
      // this one after its connection dropped, follows a turn that goes on without it.
      .get("/chat/turns/:turnId/events", async (c) => {
        const { after } = parseWith(followQuery, c.req.query());
        const lastSeen = Number(c.req.header("last-event-id") ?? "");
        const from = after ?? (Number.isInteger(lastSeen) && lastSeen > 0 ? lastSeen : 0);
        const stream = await turnRunnerOf(c.env, c.var.app.id).follow(c.var.app.id, c.req.param("turnId"), from);
        if (stream === null) throw new ApiError(404, "not_found", "This app has no such chat turn.");
        return eventStream(stream);
      })
      // Undoes the app's last turn: the preview goes back to the version it ran before that turn built.
      .post("/chat/turns/:turnId/undo", async (c) => {
        const { app } = c.var;
        const turns = await listTurns(c.env.DB, app.id);
        const last = turns.at(-1);
        if (!last || last.id !== c.req.param("turnId"))
          throw new ApiError(409, "conflict", "Only the last turn can be undone.");
        if (last.status !== "built" || last.version === null || last.version !== app.previewVersion)
          throw new ApiError(
            409,
            "conflict",
            "That turn's version is not the preview any more, so there is nothing to undo.",
          );
        const before = await previewBefore(c.env.DB, app.id, last.version);
        if (before === null)
          throw new ApiError(
            409,
            "conflict",
            "That turn made the app's first version: there is no earlier one to go back to.",
          );
        const result = await restoreToPreview(c.env, runner(c.env, app.slug), app, c.var.user.id, before, {
          confirmDestructive: (await readJson(c, undoSchema)).confirmDestructive ?? false,
        });
        return c.json(result satisfies DeployResult);
      })
      // Stops a running turn: its model call is aborted and nothing more is deployed; it ends as `cancelled`.
      .post("/chat/turns/:turnId/cancel", async (c) => {
        const cancelled = await turnRunnerOf(c.env, c.var.app.id).cancel(c.req.param("turnId"));
        if (!cancelled) throw new ApiError(409, "conflict", "That turn is not running any more.");
        return c.json({ ok: true });
      })
      .get("/context", async (c) => {
        const query = parseWith(contextQuery, c.req.query());
        const conversation = (await listTurns(c.env.DB, c.var.app.id)).map((t) => t.message);
        const request = [...conversation, query.message ?? ""].join("\n");
        const only = query.connectors === undefined ? undefined : query.connectors.split(",").filter(isConnectorId);
        const context = await appContext(c.env, c.var.app, request, { only, timeZone: query.timeZone });
        return c.json({
          tokens: context.tokens,
          tokenizer: "o200k_base",
          connectors: context.connectors,
          template: context.template.id,
          text: context.text,
        } satisfies ChatContext);
      })
  );
}
