// Automations and their runs: `/api/apps/:id/automations`, `/runs`, `/api/runs/:id`.
import type { Environment } from "./common";
import type { LogEntry, OutboundCall } from "./logs";

/** What to do with the slots of a schedule that passed while Kiln was not running. */
export type MissedSlotPolicy = "skip" | "run_once";

/** One automation as a version declares it (its handler stays in the app's code). */
export interface AutomationDeclaration {
  name: string;
  /** Five-field cron in `timezone`, or null for an automation started only by webhook or by hand. */
  cron: string | null;
  timezone: string;
  /** Whether it has a webhook URL; each delivery is a run. */
  webhook: boolean;
  missed: MissedSlotPolicy;
  /** Attempts per run before it counts as failed (the first one included). */
  attempts: number;
}

/** A live automation as the owner sees it: its schedule in words, next fire times, webhook URL and health. */
export interface AutomationView {
  name: string;
  version: string;
  cron: string | null;
  timezone: string;
  /** The cron schedule in plain English ("Every weekday at 09:00 (Europe/Berlin)"); null without a schedule. */
  schedule: string | null;
  missed: MissedSlotPolicy;
  attempts: number;
  /** "failing" after several slots failed in a row; "inactive" when the live version no longer declares it. */
  status: "ok" | "failing" | "inactive";
  consecutiveFailures: number;
  lastError: string | null;
  /** Where to POST deliveries, when it has a webhook trigger. */
  webhookUrl: string | null;
  nextFireTimes: string[];
}

/** An automation the preview version declares: when it would fire once published. */
export interface AutomationDeclarationView extends AutomationDeclaration {
  schedule: string | null;
  nextFireTimes: string[];
}

/** `GET /api/apps/:id/automations`. */
export interface AutomationsOverview {
  automations: AutomationView[];
  preview: AutomationDeclarationView[];
}

/** What started a run. */
export type RunTrigger = "cron" | "webhook" | "manual";

/** Where a run is; `retrying` waits for its next attempt, `skipped` never started. */
export type RunStatus = "queued" | "running" | "retrying" | "succeeded" | "failed" | "skipped";

/** One run of an automation (a cron slot, webhook delivery or manual start), as `GET …/runs` → `{ runs }` lists it. */
export interface Run {
  id: string;
  appId: string;
  environment: Environment;
  automation: string;
  trigger: RunTrigger;
  triggerKey: string;
  scheduledAt: string | null;
  status: RunStatus;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  idempotencyKey: string;
  version: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** One attempt of a run; its request id ties it to the app's logs and outbound calls. */
export interface RunAttempt {
  attempt: number;
  requestId: string;
  version: string;
  status: "running" | "succeeded" | "failed";
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** `POST /api/apps/:id/automations/:name/run`: the run it started and its attempts so far. */
export interface StartedRun {
  run: Run;
  attempts: RunAttempt[];
}

/** `GET /api/runs/:id`: the run with each attempt's log lines and outbound calls, oldest first. */
export interface RunDetail {
  run: Run;
  attempts: Array<RunAttempt & { logs: LogEntry[]; egress: OutboundCall[] }>;
}

/** `POST /api/hooks/automations/:webhookId`: the run a delivery started (or the one an earlier copy started). */
export interface WebhookDelivery {
  runId: string;
  status: RunStatus;
  duplicate: boolean;
}
