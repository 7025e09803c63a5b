// How automations look through the API: the schedule in words the owner can
// check (the next five fire times), its webhook URL, and whether it is failing.
import { FAILING_AFTER, type ScheduledAutomation } from "./automation-store";
import type { AutomationDeclaration } from "../core/api-shapes/automations";
import { nextFireTimes } from "./schedule";
import { describeSchedule } from "./schedule-words";
import type { AutomationDeclarationView, AutomationView } from "../core/api-shapes/automations";

/** How many upcoming fire times the API lists. */
const UPCOMING = 5;

/** Where deliveries to a webhook trigger go. */
export function automationWebhookUrl(requestUrl: string, webhookId: string): string {
  return `${new URL(requestUrl).origin}/api/hooks/automations/${webhookId}`;
}

/** The owner's view of one live automation at `now`. */
export function viewAutomation(automation: ScheduledAutomation, requestUrl: string, now: Date): AutomationView {
  const status = !automation.active ? "inactive" : automation.consecutiveFailures >= FAILING_AFTER ? "failing" : "ok";
  return {
    name: automation.name,
    version: automation.version,
    cron: automation.cron,
    timezone: automation.timezone,
    schedule: scheduleInWords(automation),
    missed: automation.missed,
    attempts: automation.attempts,
    status,
    consecutiveFailures: automation.consecutiveFailures,
    lastError: automation.lastError,
    webhookUrl:
      automation.active && automation.webhookId ? automationWebhookUrl(requestUrl, automation.webhookId) : null,
    nextFireTimes: automation.active ? upcoming(automation, now) : [],
  };
}

/** A declaration of the preview version: when it would fire once published. */
export function viewDeclaration(declaration: AutomationDeclaration, now: Date): AutomationDeclarationView {
  return { ...declaration, schedule: scheduleInWords(declaration), nextFireTimes: upcoming(declaration, now) };
}

function scheduleInWords(automation: { cron: string | null; timezone: string }): string | null {
  return automation.cron === null ? null : describeSchedule(automation.cron, automation.timezone);
}

function upcoming(automation: { cron: string | null; timezone: string }, now: Date): string[] {
  if (automation.cron === null) return [];
  return nextFireTimes({ cron: automation.cron, timezone: automation.timezone }, now, UPCOMING).map((time) =>
    time.toISOString(),
  );
}
