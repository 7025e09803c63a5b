import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { isConnectorId } from "../../../../connectors/types";
import { appContext } from "../../chat/app-context";
import { listTurns } from "../../chat/chat-store";
import { streamTurn } from "../turn-stream";
import type { ChatContext, ChatTurn } from "../../core/api-shapes";

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

/** The builder chat under `/api/apps/:id`; expects `c.var.app`. */
export function chatRoutes(runner: RunnerFor) {
  return new Hono<PlatformContext>()
    .post("/chat", async (c) => {
      const { message, confirmDestructive, timeZone } = await readJson(c, messageSchema);
      return streamTurn(c, runner(c.env, c.var.app.slug), c.var.app, message, { confirmDestructive, timeZone });
    })
    .get("/chat", async (c) =>
      c.json({ turns: await listTurns(c.env.DB, c.var.app.id) } satisfies { turns: ChatTurn[] }),
    )
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
    });
}
