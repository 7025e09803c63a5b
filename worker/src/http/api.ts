import { Hono } from "hono";
import { aiBudgetRoutes } from "./routes/ai-budget";
import { googleCallbackRoutes } from "./routes/google-callback";
import { accessRoutes } from "./routes/access";
import { setupRoutes } from "./routes/setup";
import { appCollectionRoutes, appItemRoutes } from "./routes/apps";
import { appImportRoutes, appManagementRoutes } from "./routes/app-management";
import { requireOwnedApp } from "./require-owned-app";
import { authRoutes } from "./routes/auth";
import { automationHookRoutes, automationRoutes, runRoutes } from "./routes/automations";
import { requireUser } from "./require-user";
import { chatRoutes } from "./routes/chat";
import { codeIntelRoutes } from "./routes/code-intel";
import { connectionRoutes } from "./routes/connections";
import { dataAdminRoutes } from "./routes/data";
import { fileRoutes } from "./routes/files";
import { egressRoutes } from "./routes/egress";
import { stripeHookRoutes, stripeWebhookRoutes } from "./routes/webhooks";
import { incidentRoutes } from "./routes/incidents";
import { internalRoutes } from "./routes/internal";
import { logRoutes } from "./routes/logs";
import { mcpChallenge, mcpRoutes } from "./routes/mcp";
import { ownerOAuthRoutes } from "./routes/owner-oauth";
import { requireMcpUser } from "./require-mcp-user";
import { requestRoutes } from "./routes/requests";
import { alertRoutes, appProblemRoutes } from "./routes/alerts";
import { templateRoutes } from "./routes/templates";
import { newId } from "../core/ids";
import { appRunnerFor } from "../isolates/app-runner-for";
import { versionRoutes } from "./routes/versions";
import type { PlatformContext } from "./context";
import { handleApiError } from "./error-handler";

/** The platform's JSON API, mounted at `/api`. */
export const api = new Hono<PlatformContext>().basePath("/api");

api.use(async (c, next) => {
  c.set("requestId", newId("req"));
  await next();
});
api.onError(handleApiError);
api.notFound((c) =>
  c.json(
    { error: { code: "not_found", message: `There is no API route ${c.req.method} ${new URL(c.req.url).pathname}.` } },
    404,
  ),
);

api.get("/health", (c) => c.json({ ok: true, service: "kiln" }));
api.route("/", authRoutes);

api.use("/apps/*", requireUser);
api.use("/apps", requireUser);
api.route("/apps", appCollectionRoutes());
api.route("/apps", appImportRoutes(appRunnerFor));
api.use("/apps/:id/*", requireOwnedApp);
api.use("/apps/:id", requireOwnedApp);
api.route("/apps/:id", appItemRoutes);
api.route("/apps/:id", appManagementRoutes(appRunnerFor));
api.route("/apps/:id", versionRoutes(appRunnerFor));
api.route("/apps/:id", logRoutes);
api.route("/apps/:id", requestRoutes);
api.route("/apps/:id", appProblemRoutes);
api.route("/apps/:id", dataAdminRoutes);
api.route("/apps/:id", fileRoutes);
api.route("/apps/:id", incidentRoutes);
api.route("/apps/:id", egressRoutes);
api.route("/apps/:id", aiBudgetRoutes);
api.route("/apps/:id", stripeWebhookRoutes(appRunnerFor));
api.route("/apps/:id", chatRoutes(appRunnerFor));
api.route("/apps/:id", automationRoutes(appRunnerFor));
api.route("/apps/:id", accessRoutes);
api.route("/apps/:id", setupRoutes);
api.route("/apps/:id", codeIntelRoutes);
api.use("/runs/*", requireUser);
api.route("/runs", runRoutes);
// Public: Stripe calls these with no session; the event's signature is checked instead.
api.route("/hooks", stripeHookRoutes(appRunnerFor));
// Public: a webhook trigger's URL carries its own unguessable id.
api.route("/hooks", automationHookRoutes);
// Public: Google returns visitors of apps here; the flow's state is checked, then the app's host decides.
api.route("/visitor-auth", googleCallbackRoutes);
api.route("/internal", internalRoutes);
api.route("/templates", templateRoutes);

api.use("/mcp", mcpChallenge, requireMcpUser);
api.route("/mcp", mcpRoutes(appRunnerFor));
// Public: OAuth for MCP clients of `/mcp` (discovery, registration, the owner's consent, tokens).
api.route("/", ownerOAuthRoutes);

api.use("/alerts", requireUser);
api.use("/alerts/*", requireUser);
api.route("/alerts", alertRoutes);

api.use("/connections/*", requireUser);
api.use("/connections", requireUser);
api.route("/connections", connectionRoutes);
