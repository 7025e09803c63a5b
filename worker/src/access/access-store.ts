import type { Environment } from "../env";
import { nowIso } from "../lib/ids";
import { type AppAccess, accessRowsSql, parseAccess } from "../serving/access-rule";

/** One person the owner invited, with the roles they gave them. */
export interface InvitedVisitor {
  email: string;
  roles: string[];
  invitedAt: string;
}

/** Both environments' access rules of an app (defaults where the owner set none). */
export async function readAccess(db: D1Database, appId: string): Promise<Record<Environment, AppAccess>> {
  const row = await db
    .prepare(`SELECT ${accessRowsSql("?")} AS access`)
    .bind(appId)
    .first<{ access: string }>();
  return parseAccess(row?.access ?? "[]");
}

/** Sets one environment's rule. */
export async function writeAccess(
  db: D1Database,
  appId: string,
  environment: Environment,
  access: AppAccess,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO app_access (app_id, environment, rule, domains_json, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(app_id, environment) DO UPDATE SET rule = excluded.rule, domains_json = excluded.domains_json,
         updated_at = excluded.updated_at`,
    )
    .bind(appId, environment, access.rule, JSON.stringify(access.domains), nowIso())
    .run();
}

/** The app's invite list, in the order people were invited. */
export async function listInvited(db: D1Database, appId: string): Promise<InvitedVisitor[]> {
  const rows = await db
    .prepare(
      "SELECT email, roles_json AS roles, invited_at AS invitedAt FROM app_visitors WHERE app_id = ? ORDER BY invited_at, email",
    )
    .bind(appId)
    .all<{ email: string; roles: string; invitedAt: string }>();
  return rows.results.map((row) => ({ ...row, roles: JSON.parse(row.roles) as string[] }));
}

/** The invitation of `email` to the app, or null when they are not invited. */
export async function findInvited(db: D1Database, appId: string, email: string): Promise<InvitedVisitor | null> {
  const row = await db
    .prepare(
      "SELECT email, roles_json AS roles, invited_at AS invitedAt FROM app_visitors WHERE app_id = ? AND email = ?",
    )
    .bind(appId, email)
    .first<{ email: string; roles: string; invitedAt: string }>();
  return row ? { ...row, roles: JSON.parse(row.roles) as string[] } : null;
}

/** Invites `email` (or changes their roles when already invited). */
export async function saveInvited(db: D1Database, appId: string, email: string, roles: string[]): Promise<void> {
  await db
    .prepare(
      `INSERT INTO app_visitors (app_id, email, roles_json, invited_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(app_id, email) DO UPDATE SET roles_json = excluded.roles_json`,
    )
    .bind(appId, email, JSON.stringify(roles), nowIso())
    .run();
}

/** Removes an invitation; answers whether there was one. */
export async function deleteInvited(db: D1Database, appId: string, email: string): Promise<boolean> {
  const result = await db.prepare("DELETE FROM app_visitors WHERE app_id = ? AND email = ?").bind(appId, email).run();
  return result.meta.changes > 0;
}
