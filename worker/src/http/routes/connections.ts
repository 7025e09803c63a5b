import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { ApiError, NotFoundError } from "../../core/errors";
import { connectApiKey } from "../../connections/api-key-connection";
import { isConnectorId } from "../../../../connectors/types";
import { CONNECTOR_RULES } from "../../connections/connector-catalog";
import { findOwnedConnection, listConnections } from "../../connections/connection-repository";
import { testConnection } from "../../connections/connection-test";
import { connectionView, connectorOptions } from "../../connections/connection-view";
import { demoApiKey, requireDemo } from "../../connections/demo-mode";
import { disconnect } from "../../connections/disconnect";
import { finishGoogleConnection, startGoogleConnection } from "../../connections/google-connection";
import type { ConnectionsOverview, ConnectionTested } from "../../core/api-shapes";

const connectSchema = z
  .object({
    key: z.string().trim().min(1, "paste the key").max(512, "a key is at most 512 characters").optional(),
    demo: z.boolean().optional(),
    returnTo: z
      .string()
      .max(500)
      .regex(/^\/(?![/\\])[^\s\\]*$/, "returnTo must be a path on this Kiln, like /apps")
      .optional(),
  })
  .strict();

/** `/api/connections`: the signed-in owner's credentials for Stripe, Airtable and Google (expects `c.var.user`). */
export const connectionRoutes = new Hono<PlatformContext>()
  .get("/", async (c) =>
    c.json({
      connections: (await listConnections(c.env.DB, c.var.user.id)).map(connectionView),
      connectors: connectorOptions(c.env),
    } satisfies ConnectionsOverview),
  )
  // Where Google sends the owner's browser back (the redirect URI registered with Google).
  .get("/google/callback", async (c) => {
    const outcome = await finishGoogleConnection(c.env, c.var.user, {
      state: c.req.query("state"),
      code: c.req.query("code"),
      error: c.req.query("error"),
    });
    if (outcome.returnTo) {
      const target = new URL(outcome.returnTo, new URL(c.req.url).origin);
      if (outcome.error) target.searchParams.set("connectionError", outcome.error.message);
      else target.searchParams.set("connection", outcome.connection.id);
      return c.redirect(target.toString(), 302);
    }
    if (outcome.error) throw outcome.error;
    return c.json({ connection: connectionView(outcome.connection) });
  })
  .put("/:connector", async (c) => {
    const connector = c.req.param("connector");
    if (!isConnectorId(connector)) throw new NotFoundError(`A connector named "${connector.slice(0, 40)}"`);
    const body = await readJson(c, connectSchema);
    const demo = body.demo === true;
    if (demo) requireDemo(c.env, connector);
    const label = CONNECTOR_RULES[connector].label;

    if (connector === "google") {
      if (body.key !== undefined)
        throw new ApiError(
          400,
          "bad_request",
          'Google is connected by signing in with Google, not with a key: send {} (or { "demo": true }).',
        );
      const started = await startGoogleConnection(c.env, c.var.user, {
        demo,
        returnTo: body.returnTo ?? null,
        origin: new URL(c.req.url).origin,
      });
      return c.json({ connector, demo, ...started });
    }
    if (demo && body.key !== undefined)
      throw new ApiError(400, "bad_request", 'Send either a key or "demo": true, not both.');
    const key = demo ? demoApiKey(connector) : body.key;
    if (key === undefined) throw new ApiError(400, "bad_request", `key: paste your ${label} key as { "key": "…" }.`);
    const result = await connectApiKey(c.env, c.var.user, connector, key, demo);
    return c.json(
      { connection: connectionView(result.connection), warning: result.warning },
      result.created ? 201 : 200,
    );
  })
  .post("/:id/test", async (c) => {
    const connection = await findOwnedConnection(c.env.DB, c.var.user.id, c.req.param("id"));
    if (!connection) throw new NotFoundError("This connection");
    const tested = await testConnection(c.env, connection);
    return c.json({ connection: connectionView(tested.connection), result: tested.result } satisfies ConnectionTested);
  })
  .delete("/:id", async (c) => {
    const connection = await findOwnedConnection(c.env.DB, c.var.user.id, c.req.param("id"));
    if (!connection) throw new NotFoundError("This connection");
    const { revoked } = await disconnect(c.env, connection);
    return c.json({ ok: true, ...(connection.connector === "google" ? { revoked } : {}) });
  });
