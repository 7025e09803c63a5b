// Pure helpers of the Automations tab: times in an automation's timezone, "in
// 3 h", run durations, status labels, and the manual run's JSON input checked
// in words. Shared by the server (form action) and the browser.
import type {
  AutomationDeclarationView,
  AutomationView,
  AutomationsOverview,
  Environment,
  Run,
  RunStatus,
} from "$shapes";

/** Statuses of a run that is not over yet: the page keeps refreshing while one is shown. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "retrying"];

/** Whether a run may still change. */
export function isRunActive(status: RunStatus): boolean {
  return ACTIVE_RUN_STATUSES.includes(status);
}

/** How a status reads on a badge. */
export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  retrying: "Waiting to retry",
  succeeded: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
};

/** "Mon 2 Jun, 09:00" on the wall clock of `timezone` (falls back to UTC for an unknown zone). */
export function formatInZone(iso: string, timezone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: timezone }).format(date);
  } catch {
    return `${new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(date)} UTC`;
  }
}

/** "in 3 h", "in 12 min", "in 2 days", "5 min ago", "now": how far `iso` is from `now`, rounded down. */
export function relativeTime(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const diff = then - now;
  const span = Math.abs(diff);
  let amount: string;
  if (span < 60_000) return diff >= 0 ? "in less than a minute" : "just now";
  if (span < 3_600_000) amount = `${Math.floor(span / 60_000)} min`;
  else if (span < 48 * 3_600_000) {
    const hours = Math.floor(span / 3_600_000);
    const minutes = Math.floor((span % 3_600_000) / 60_000);
    amount = hours < 10 && minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  } else amount = `${Math.floor(span / 86_400_000)} days`;
  return diff >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** "850 ms", "1.2 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** How long a run took (or has taken so far, against `now`); "" when it never started. */
export function runDuration(run: Pick<Run, "startedAt" | "endedAt">, now: number): string {
  if (!run.startedAt) return "";
  const start = new Date(run.startedAt).getTime();
  const end = run.endedAt ? new Date(run.endedAt).getTime() : now;
  return formatDuration(end - start);
}

/** The input typed for a manual run: nothing (no input), a JSON value, or why it is not JSON, in words. */
export type RunInput = { ok: true; value: unknown; empty: boolean } | { ok: false; message: string };

/** Checks a manual run's input: empty means none; anything else must be JSON. */
export function parseRunInput(text: string): RunInput {
  if (text.trim() === "") return { ok: true, value: null, empty: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, empty: false };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `The input is not valid JSON (${detail}). Put names and text in double quotes, e.g. {"date": "2026-06-01", "dryRun": true}, or leave the box empty to run without input.`,
    };
  }
}

/** A run's input or output as readable text. */
export function prettyJson(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** One automation on the tab: its live schedule, what the preview version declares, or both. */
export interface AutomationEntry {
  name: string;
  live: AutomationView | null;
  preview: AutomationDeclarationView | null;
}

/** Live automations first (active before inactive), then those only the preview declares, each by name. */
export function automationEntries(overview: AutomationsOverview): AutomationEntry[] {
  const preview = new Map(overview.preview.map((declaration) => [declaration.name, declaration]));
  const live = [...overview.automations].sort(
    (a, b) => Number(a.status === "inactive") - Number(b.status === "inactive") || a.name.localeCompare(b.name),
  );
  const entries: AutomationEntry[] = live.map((automation) => ({
    name: automation.name,
    live: automation,
    preview: preview.get(automation.name) ?? null,
  }));
  const listed = new Set(entries.map((entry) => entry.name));
  for (const declaration of overview.preview) {
    if (!listed.has(declaration.name)) entries.push({ name: declaration.name, live: null, preview: declaration });
  }
  return entries;
}

/** Whether the preview version schedules an automation differently from the live one (publishing would change it). */
export function previewChangesSchedule(entry: AutomationEntry): boolean {
  if (!entry.live || !entry.preview || entry.live.status === "inactive") return false;
  return (
    entry.live.cron !== entry.preview.cron ||
    (entry.live.cron !== null && entry.live.timezone !== entry.preview.timezone)
  );
}

/** What the "Run now" form action answered: the finished run, or why it did not run (in words). */
export interface ManualOutcome {
  name: string;
  env: Environment;
  input: string;
  message?: string;
  run?: Run;
}
