// The typed Kiln client an MCP agent's snippets call (`kiln.apps.create(…)`), as plain data: each operation is one
// route of the JSON API that scripts use, so the snippet can do exactly what its owner's API token could, no more.
import { z } from "zod";

/** How one input field reaches the API route: a `:name` in the path, a query parameter, or the JSON body. */
export type FieldPlace = "path" | "query" | "body";

/** One operation of the client: its route, its input (validated before the call) and its TypeScript signature. */
export interface KilnOperation {
  /** `namespace.method`, as the snippet calls it. */
  name: string;
  /** What it is for, as the declaration's doc comment and the search index show it. */
  summary: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under `/api`, with `:field` placeholders filled from the input. */
  path: string;
  input: z.ZodObject;
  /** Input fields sent as query parameters; the rest that are not in the path go in the JSON body. */
  query?: readonly string[];
  /** One input field that is the whole JSON body (a row, a run's input) instead of an object of the rest. */
  bodyField?: string;
  /** The answer's single field the client returns instead of the envelope (`{ apps: […] }` → `[…]`). */
  unwrap?: string;
  /** A 422 answer is a result, not an error: a build's diagnostics are what the agent reads to fix the code. */
  failureIsResult?: boolean;
  /** Parameter and result types, as the declaration shows them. */
  signature: string;
}

const appId = z.string().min(1).max(64);
const env = z.enum(["preview", "live"]).optional();
const version = z.string().regex(/^[0-9a-f]{16}$/, "version must be a version id such as 3f2a9c0d1b4e5f67");
const table = z.string().min(1).max(63);
const rowId = z.number().int().positive();
const json = z.json();

const op = (operation: KilnOperation): KilnOperation => operation;

/** Every operation, grouped by namespace in the order the declaration lists them. */
export const KILN_OPERATIONS: readonly KilnOperation[] = [
  op({
    name: "apps.list",
    summary: "Every app of yours, with its URLs, versions and problems (failing automations, paused versions).",
    method: "GET",
    path: "/apps",
    input: z.object({}),
    unwrap: "apps",
    signature: "(): Promise<ListedApp[]>",
  }),
  op({
    name: "apps.create",
    summary: "A new empty app; write its code with source.write.",
    method: "POST",
    path: "/apps",
    input: z.object({ name: z.string().min(1).max(80) }),
    signature: "(input: { name: string }): Promise<App>",
  }),
  op({
    name: "apps.get",
    summary: "One app, with the connectors its code uses and its paused versions.",
    method: "GET",
    path: "/apps/:appId",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<App & { quarantines: { version: string; message: string }[] }>",
  }),
  op({
    name: "apps.rename",
    summary: "Renames an app (its URLs stay).",
    method: "PATCH",
    path: "/apps/:appId",
    input: z.object({ appId, name: z.string().min(1).max(80) }),
    signature: "(input: { appId: string; name: string }): Promise<App>",
  }),
  op({
    name: "apps.delete",
    summary: "Deletes an app, its versions and both databases. Cannot be undone.",
    method: "DELETE",
    path: "/apps/:appId",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<{ ok: true }>",
  }),
  op({
    name: "source.read",
    summary: "The files of the preview version (or of `version`).",
    method: "GET",
    path: "/apps/:appId/source",
    input: z.object({ appId, version: version.optional() }),
    query: ["version"],
    signature:
      "(input: { appId: string; version?: string }): Promise<{ version: string; files: Record<string, string> }>",
  }),
  op({
    name: "source.write",
    summary:
      'Replaces the app\'s files (src/index.ts is the entry; the app contract is module "kiln": search it) and builds them: type-check, bundle, start, checks, data migration. Deployed to preview when every step passes; otherwise ok: false with diagnostics to fix, and preview keeps serving the last good version.',
    method: "PUT",
    path: "/apps/:appId/source",
    input: z.object({
      appId,
      files: z.record(z.string(), z.string()),
      confirmDestructive: z.boolean().optional(),
    }),
    failureIsResult: true,
    signature:
      "(input: { appId: string; files: Record<string, string>; confirmDestructive?: boolean }): Promise<Deployed | BuildFailure>",
  }),
  op({
    name: "builds.last",
    summary: "How the app's most recent build ended (chat, upload or hand save), with its diagnostics.",
    method: "GET",
    path: "/apps/:appId/builds/last",
    input: z.object({ appId }),
    unwrap: "build",
    signature: "(input: { appId: string }): Promise<LastBuild | null>",
  }),
  op({
    name: "versions.list",
    summary: "Every version, newest first, with which serves preview and live and the hosts each may call.",
    method: "GET",
    path: "/apps/:appId/versions",
    input: z.object({ appId }),
    unwrap: "versions",
    signature: "(input: { appId: string }): Promise<Version[]>",
  }),
  op({
    name: "versions.plan",
    summary: "What publishing `version` would change for the live app: tables, hosts, automations, missing setup.",
    method: "GET",
    path: "/apps/:appId/publish-plan",
    input: z.object({ appId, version }),
    query: ["version"],
    signature: "(input: { appId: string; version: string }): Promise<PublishPlan>",
  }),
  op({
    name: "versions.publish",
    summary:
      'Makes `version` live. The first publish may take the preview\'s rows along (liveData: "copy"); a data-losing migration needs confirmDestructive.',
    method: "POST",
    path: "/apps/:appId/publish",
    input: z.object({
      appId,
      version,
      confirmDestructive: z.boolean().optional(),
      liveData: z.enum(["copy", "empty"]).optional(),
    }),
    signature:
      '(input: { appId: string; version: string; confirmDestructive?: boolean; liveData?: "copy" | "empty" }): Promise<{ version: string; liveUrl: string }>',
  }),
  op({
    name: "versions.rollback",
    summary: "Makes an earlier live version live again.",
    method: "POST",
    path: "/apps/:appId/rollback",
    input: z.object({ appId, version, confirmDestructive: z.boolean().optional() }),
    signature:
      "(input: { appId: string; version: string; confirmDestructive?: boolean }): Promise<{ version: string; liveUrl: string }>",
  }),
  op({
    name: "setup.read",
    summary: "What the app's `setup` asks of its owner, the values given and what is still missing (publishing waits).",
    method: "GET",
    path: "/apps/:appId/setup",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<Setup>",
  }),
  op({
    name: "setup.write",
    summary: "Gives setup values (env.CONFIG of the app) by key; never secrets.",
    method: "PUT",
    path: "/apps/:appId/setup",
    input: z.object({ appId, values: z.record(z.string(), z.string()) }),
    signature: "(input: { appId: string; values: Record<string, string> }): Promise<Setup>",
  }),
  op({
    name: "data.tables",
    summary: "The tables of the preview (or live) database, their columns and row counts.",
    method: "GET",
    path: "/apps/:appId/data",
    input: z.object({ appId, env }),
    query: ["env"],
    unwrap: "tables",
    signature: "(input: { appId: string; env?: Env }): Promise<Table[]>",
  }),
  op({
    name: "data.rows",
    summary: "A page of rows of a table; q searches its text columns.",
    method: "GET",
    path: "/apps/:appId/data/:table",
    input: z.object({
      appId,
      table,
      env,
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
      orderBy: z.string().max(63).optional(),
      order: z.enum(["asc", "desc"]).optional(),
      q: z.string().max(200).optional(),
    }),
    query: ["env", "limit", "offset", "orderBy", "order", "q"],
    signature:
      '(input: { appId: string; table: string; env?: Env; limit?: number; offset?: number; orderBy?: string; order?: "asc" | "desc"; q?: string }): Promise<{ rows: Row[]; total: number; tableTotal: number }>',
  }),
  op({
    name: "data.insert",
    summary: "Adds a row (checked against the table's columns); answers it with its id.",
    method: "POST",
    path: "/apps/:appId/data/:table",
    input: z.object({ appId, table, env, row: z.record(z.string(), json) }),
    query: ["env"],
    bodyField: "row",
    signature: "(input: { appId: string; table: string; env?: Env; row: Record<string, Json> }): Promise<Row>",
  }),
  op({
    name: "data.update",
    summary: "Changes some columns of a row.",
    method: "PATCH",
    path: "/apps/:appId/data/:table/:rowId",
    input: z.object({ appId, table, rowId, env, patch: z.record(z.string(), json) }),
    query: ["env"],
    bodyField: "patch",
    signature:
      "(input: { appId: string; table: string; rowId: number; env?: Env; patch: Record<string, Json> }): Promise<Row>",
  }),
  op({
    name: "data.delete",
    summary: "Deletes a row.",
    method: "DELETE",
    path: "/apps/:appId/data/:table/:rowId",
    input: z.object({ appId, table, rowId, env }),
    query: ["env"],
    signature: "(input: { appId: string; table: string; rowId: number; env?: Env }): Promise<{ ok: true }>",
  }),
  op({
    name: "automations.list",
    summary:
      "The live automations (schedule in words, next fire times, failing or not) and those the preview declares.",
    method: "GET",
    path: "/apps/:appId/automations",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<{ automations: Automation[]; preview: Automation[] }>",
  }),
  op({
    name: "automations.run",
    summary: "Runs an automation now (live if published, else preview) with optional JSON input; answers the run.",
    method: "POST",
    path: "/apps/:appId/automations/:name/run",
    input: z.object({ appId, name: z.string().min(1).max(64), env, input: json.optional() }),
    query: ["env"],
    bodyField: "input",
    signature:
      "(input: { appId: string; name: string; env?: Env; input?: Json }): Promise<{ run: Run; attempts: RunAttempt[] }>",
  }),
  op({
    name: "runs.list",
    summary: "The app's automation runs, newest first.",
    method: "GET",
    path: "/apps/:appId/runs",
    input: z.object({
      appId,
      automation: z.string().max(64).optional(),
      status: z.enum(["queued", "running", "retrying", "succeeded", "failed", "skipped"]).optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    query: ["automation", "status", "limit"],
    unwrap: "runs",
    signature: "(input: { appId: string; automation?: string; status?: RunStatus; limit?: number }): Promise<Run[]>",
  }),
  op({
    name: "runs.get",
    summary: "One run with each attempt's log lines and outbound calls.",
    method: "GET",
    path: "/runs/:runId",
    input: z.object({ runId: z.string().min(1).max(64) }),
    signature:
      "(input: { runId: string }): Promise<{ run: Run; attempts: (RunAttempt & { logs: LogLine[]; egress: OutboundCall[] })[] }>",
  }),
  op({
    name: "logs.list",
    summary: "The app's console output and errors, newest first.",
    method: "GET",
    path: "/apps/:appId/logs",
    input: z.object({
      appId,
      env,
      requestId: z.string().max(64).optional(),
      minLevel: z.enum(["debug", "info", "log", "warn", "error"]).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    query: ["env", "requestId", "minLevel", "limit"],
    unwrap: "logs",
    signature:
      '(input: { appId: string; env?: Env; requestId?: string; minLevel?: "debug" | "info" | "log" | "warn" | "error"; limit?: number }): Promise<LogLine[]>',
  }),
  op({
    name: "apps.duplicate",
    summary: "A copy of an app: its code, config and preview rows, as a new app.",
    method: "POST",
    path: "/apps/:appId/duplicate",
    input: z.object({ appId, name: z.string().min(1).max(80).optional() }),
    signature: "(input: { appId: string; name?: string }): Promise<App>",
  }),
  op({
    name: "apps.resume",
    summary: "Lifts the pause Kiln put on a version that brought the app runner down.",
    method: "POST",
    path: "/apps/:appId/resume",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<unknown>",
  }),
  op({
    name: "apps.incidents",
    summary:
      "Times a version brought the runner down (ran too long, used too much memory, crashed), and paused versions.",
    method: "GET",
    path: "/apps/:appId/incidents",
    input: z.object({ appId }),
    signature:
      "(input: { appId: string }): Promise<{ incidents: { version: string; reason: string; message: string; createdAt: string }[]; quarantines: { version: string; message: string }[] }>",
  }),
  op({
    name: "versions.restore",
    summary: "Builds an earlier version's source again as the preview.",
    method: "POST",
    path: "/apps/:appId/restore",
    input: z.object({ appId, version, confirmDestructive: z.boolean().optional() }),
    signature:
      "(input: { appId: string; version: string; confirmDestructive?: boolean }): Promise<{ version: string; previewUrl: string }>",
  }),
  op({
    name: "config.read",
    summary: "The app's config values (env.CONFIG), by name.",
    method: "GET",
    path: "/apps/:appId/config",
    input: z.object({ appId }),
    unwrap: "values",
    signature: "(input: { appId: string }): Promise<Record<string, string>>",
  }),
  op({
    name: "config.write",
    summary: "Replaces the app's config values (never secrets: connect services instead).",
    method: "PUT",
    path: "/apps/:appId/config",
    input: z.object({ appId, values: z.record(z.string(), z.string()) }),
    unwrap: "values",
    signature: "(input: { appId: string; values: Record<string, string> }): Promise<Record<string, string>>",
  }),
  op({
    name: "access.read",
    summary: "Who may use each environment (public, signed_in, invited, domains, owner) and the invite list.",
    method: "GET",
    path: "/apps/:appId/access",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<AccessOverview>",
  }),
  op({
    name: "access.set",
    summary: "Sets an environment's access rule; domains for the domains rule.",
    method: "PUT",
    path: "/apps/:appId/access/:environment",
    input: z.object({
      appId,
      environment: z.enum(["preview", "live"]),
      rule: z.enum(["public", "signed_in", "invited", "domains", "owner"]),
      domains: z.array(z.string()).max(50).optional(),
    }),
    signature:
      '(input: { appId: string; environment: Env; rule: "public" | "signed_in" | "invited" | "domains" | "owner"; domains?: string[] }): Promise<{ environment: Env; rule: string; domains: string[] }>',
  }),
  op({
    name: "access.invite",
    summary: "Invites an email to the app, with roles its code declares.",
    method: "POST",
    path: "/apps/:appId/visitors",
    input: z.object({ appId, email: z.string().max(254), roles: z.array(z.string()).max(20).optional() }),
    signature:
      "(input: { appId: string; email: string; roles?: string[] }): Promise<{ email: string; roles: string[]; invitedAt: string }>",
  }),
  op({
    name: "access.uninvite",
    summary: "Removes an invitation and ends that person's sessions.",
    method: "DELETE",
    path: "/apps/:appId/visitors/:email",
    input: z.object({ appId, email: z.string().max(254) }),
    signature: "(input: { appId: string; email: string }): Promise<{ ok: true }>",
  }),
  op({
    name: "requests.list",
    summary: "The request log: method, path, status, time, request id (every error, a sample of the rest).",
    method: "GET",
    path: "/apps/:appId/requests",
    input: z.object({
      appId,
      env,
      errors: z.enum(["server", "any"]).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    query: ["env", "errors", "limit"],
    unwrap: "requests",
    signature:
      '(input: { appId: string; env?: Env; errors?: "server" | "any"; limit?: number }): Promise<{ timestamp: string; environment: Env; kind: "visit" | "automation" | "stripe"; method: string; path: string; status: number | null; durationMs: number; requestId: string | null }[]>',
  }),
  op({
    name: "egress.list",
    summary: "The app's outbound calls (to Stripe, Airtable, Google), newest first, with outcome and status.",
    method: "GET",
    path: "/apps/:appId/egress",
    input: z.object({
      appId,
      env,
      requestId: z.string().max(64).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    query: ["env", "requestId", "limit"],
    unwrap: "calls",
    signature: "(input: { appId: string; env?: Env; requestId?: string; limit?: number }): Promise<OutboundCall[]>",
  }),
  op({
    name: "stripe.testEvent",
    summary:
      "Sends a signed test Stripe event to the app's onStripeEvent through the real delivery path; answers the run.",
    method: "POST",
    path: "/apps/:appId/stripe-webhook/test",
    input: z.object({
      appId,
      type: z.string().max(100),
      environment: z.enum(["preview", "live"]).optional(),
      object: z.record(z.string(), json).optional(),
    }),
    signature:
      '(input: { appId: string; type: "checkout.session.completed" | "payment_intent.succeeded" | "charge.refunded" | "invoice.paid" | "invoice.payment_failed" | "customer.subscription.created" | "customer.subscription.deleted"; environment?: Env; object?: Record<string, Json> }): Promise<unknown>',
  }),
  op({
    name: "templates.list",
    summary: "The templates an app can start from.",
    method: "GET",
    path: "/templates",
    input: z.object({}),
    unwrap: "templates",
    signature:
      "(): Promise<{ id: string; title: string; description: string; connectors: string[]; tables: string[] }[]>",
  }),
  op({
    name: "connections.list",
    summary: "Your connected services (Stripe, Airtable, Google) and their state; keys are never shown.",
    method: "GET",
    path: "/connections",
    input: z.object({}),
    unwrap: "connections",
    signature:
      '(): Promise<{ id: string; connector: string; label: string; status: "connected" | "needs_reconnect"; demo: boolean }[]>',
  }),
];

/** The namespaces, in declaration order (`apps`, `source`, …). */
export const KILN_NAMESPACES: readonly string[] = [...new Set(KILN_OPERATIONS.map((o) => o.name.split(".")[0] ?? ""))];

/** The operation a snippet named, or undefined. */
export function kilnOperation(name: string): KilnOperation | undefined {
  return KILN_OPERATIONS.find((operation) => operation.name === name);
}
