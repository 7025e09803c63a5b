// The owner's alerts (`GET`/`PUT /api/alerts`) and what needs them on each app (`problems` of the app list).
import type { ConnectorId } from "./connections";

/** What went wrong: an automation's run failed for good, a version was paused, a connection needs reconnecting. */
export type AlertKind = "automation_failed" | "version_paused" | "connection_needs_reconnect";

/** `first`: sent at once; `digest`: more of the same within the window, counted; `recovered`: it works again. */
export type AlertPhase = "first" | "digest" | "recovered";

/** Where alerts go. The webhook's signing secret is never part of it (shown once, when it is made). */
export interface AlertSettings {
  email: boolean;
  /** The owner's address the mail goes to. */
  emailTo: string;
  webhookUrl: string | null;
  /** Whether a signing secret exists (the receiver checks `x-kiln-signature` with it). */
  webhookSigned: boolean;
}

/** `PUT /api/alerts` body: `rotateSecret` makes a new signing secret (a new webhook URL always gets one). */
export interface AlertSettingsInput {
  email: boolean;
  webhookUrl: string | null;
  rotateSecret?: boolean;
}

/** `PUT /api/alerts` → the settings, and the signing secret only when one was just made. */
export interface AlertSettingsSaved {
  settings: AlertSettings;
  signingSecret: string | null;
}

/** How one alert was delivered. */
export type AlertDeliveryStatus = "sent" | "off" | "none" | "failed";

/** One alert sent to the owner. */
export interface Alert {
  id: string;
  appId: string | null;
  kind: AlertKind;
  subject: string;
  phase: AlertPhase;
  /** How many occurrences it reports (a digest's count). */
  occurrences: number;
  title: string;
  body: string;
  /** Kiln's page where it is fixed. */
  link: string;
  email: AlertDeliveryStatus;
  webhook: AlertDeliveryStatus;
  createdAt: string;
}

/** `GET /api/alerts`. */
export interface AlertsOverview {
  settings: AlertSettings;
  alerts: Alert[];
}

/** The JSON a webhook receives (POST, `x-kiln-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`). */
export interface AlertWebhookBody {
  id: string;
  kind: AlertKind;
  phase: AlertPhase;
  app: { id: string; name: string } | null;
  subject: string;
  occurrences: number;
  title: string;
  text: string;
  url: string;
  createdAt: string;
}

/** What needs the owner on one app; each badge links to where it is fixed. */
export interface AppProblems {
  /** Live automations whose last finished run failed. */
  failingAutomations: string[];
  /** Versions Kiln paused after they brought the app runner down. */
  pausedVersions: string[];
  /** Services the app's deployed code uses whose connection needs reconnecting. */
  reconnect: ConnectorId[];
}
