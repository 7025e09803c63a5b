// The typed client's operations on automations, runs, logs and what apps did: each one route of the JSON API.
import { z } from "zod";
import { type KilnOperation, op, appId, env, json } from "./operation-fields";

/** Operations on automations, runs, logs and what apps did, in the order the declaration lists them. */
export const RUN_OPERATIONS: readonly KilnOperation[] = [
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
];
