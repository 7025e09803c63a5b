// Who may use an app, under `/api/apps/:id` (owner only): `/access`, `/visitors`, `/visit`, `/outbox`.
import type { Environment } from "./common";

/** Every rule, in the order the workspace offers them. */
export const ACCESS_RULES = ["public", "signed_in", "invited", "domains", "owner"] as const;

/**
 * Who may use one environment of an app: anyone; anyone signed in; only invited emails; anyone with an email at
 * one of the listed domains; only the app's owner.
 */
export type AccessRule = (typeof ACCESS_RULES)[number];

/** One environment's rule as stored and pushed to the runner: plain data. */
export interface AppAccess {
  rule: AccessRule;
  /** Lower-case domains (`example.com`) for the `domains` rule; empty otherwise. */
  domains: string[];
}

/** Who chose an environment's rule: the owner in the Access tab, or the published code's `access`. */
export type AccessSetter = "owner" | "app";

/** One environment's rule, and who chose it: the owner, the published code's `access`, or Kiln's default. */
export interface EnvironmentAccess extends AppAccess {
  setBy: AccessSetter | "default";
}

/** One person the owner invited, with the roles they gave them (`POST /api/apps/:id/visitors` answers one). */
export interface InvitedVisitor {
  email: string;
  roles: string[];
  invitedAt: string;
}

/** `GET /api/apps/:id/access`: both environments' rules, the invite list, and the roles the app's code declares. */
export interface AccessOverview {
  preview: EnvironmentAccess;
  live: EnvironmentAccess;
  visitors: InvitedVisitor[];
  roles: string[];
}

/** `PUT /api/apps/:id/access/:environment`: the rule now in force. */
export interface AccessUpdate extends AppAccess {
  environment: Environment;
}

/** `POST /api/apps/:id/visit`: a one-time link that signs the owner in to their own app. */
export interface VisitLink {
  url: string;
  expiresInSeconds: number;
}

/** A mail in the local outbox (`GET /api/apps/:id/outbox` → `{ mails }`). */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}
