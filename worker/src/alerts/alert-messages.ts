// What an alert says, per kind and phase: a title (the mail's subject), a body in plain words, and the page of
// Kiln where the owner fixes it.
import type { AlertKind, AlertPhase } from "../core/api-shapes/alerts";

/** Everything a message is made from. */
export interface AlertFacts {
  kind: AlertKind;
  phase: AlertPhase;
  appId: string | null;
  appName: string | null;
  /** The automation's name, the version, or the connector of a connection. */
  subject: string;
  /** The latest occurrence's detail (the error, why it was paused, what to do). */
  detail: string;
  /** Occurrences the message reports (a digest's count; for a recovery, failures since the last alert). */
  occurrences: number;
  /** Since when a digest or recovery counts. */
  since: string;
}

/** A composed alert. */
export interface AlertText {
  title: string;
  body: string;
  /** Path on Kiln's host. */
  path: string;
}

/** The digest window: further occurrences within it are counted and sent together when it ends. */
export const DIGEST_WINDOW_MS = 60 * 60_000;

/** How the owner knows each connector's service. */
const SERVICE_NAMES: Record<string, string> = { google: "Google", stripe: "Stripe", airtable: "Airtable", ai: "AI" };

const times = (n: number) => (n === 1 ? "once" : `${n} times`);

/** Composes the message of an alert. */
export function alertText(facts: AlertFacts): AlertText {
  const app = facts.appName ?? "Your app";
  const appPath = facts.appId ? `/apps/${encodeURIComponent(facts.appId)}` : "/apps";
  const since = facts.since.replace("T", " ").slice(0, 16);
  switch (facts.kind) {
    case "automation_failed": {
      const path = `${appPath}/automations?status=failed`;
      const name = `automation "${facts.subject}"`;
      if (facts.phase === "recovered")
        return {
          title: `${app}: ${name} works again`,
          body: `The latest run of ${name} succeeded.${facts.occurrences > 0 ? ` Since ${since} UTC it had failed ${times(facts.occurrences)} more.` : ""}`,
          path,
        };
      if (facts.phase === "digest")
        return {
          title: `${app}: ${name} failed ${times(facts.occurrences)} more`,
          body: `Since ${since} UTC, ${name} failed ${times(facts.occurrences)} more. The latest error: ${facts.detail}\n\nKiln sends at most one message an hour about it while it keeps failing.`,
          path,
        };
      return {
        title: `${app}: ${name} failed`,
        body: `A run of ${name} failed and will not be tried again: ${facts.detail}\n\nIf it keeps failing, Kiln sends one summary an hour instead of a message per run.`,
        path,
      };
    }
    case "version_paused":
      return {
        title: `${app}: version ${facts.subject.slice(0, 7)} was paused`,
        body: `${facts.detail}${facts.phase === "digest" ? `\n\nIt happened ${times(facts.occurrences)} more since ${since} UTC.` : ""}`,
        path: appPath,
      };
    case "connection_needs_reconnect": {
      const service = SERVICE_NAMES[facts.subject] ?? facts.subject;
      return {
        title: `Your ${service} connection needs reconnecting`,
        body: `${facts.detail}\n\nApps that use ${service} cannot reach it until you reconnect.`,
        path: "/connections",
      };
    }
  }
}
