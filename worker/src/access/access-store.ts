import type { Environment } from "../core/env";
import { nowIso } from "../core/ids";
import { DEFAULT_ACCESS, accessRowsSql, parseAccess } from "../serving/access-rule";
import type { AppAccess } from "../core/api-shapes/access";
import type { InvitedVisitor, AccessSetter } from "../core/api-shapes/access";

/** Both environments' access rules of an app (defaults where the owner set none). */
export async function readAccess(db: D1Database, appId: string): Promise<Record<Environment, AppAccess>> {
  const row = await db
    .prepare(`SELECT ${accessRowsSql("?")} AS access`)
    .bind(appId)
    .first<{ access: string }>();
  return parseAccess(row?.access ?? "[]");
}

/** Sets one environment's rule; the owner's choice is final, code's lasts until the next publish. */
export async function writeAccess(
  db: D1Database,
  appId: string,
  environment: Environment,
  access: AppAccess,
  setBy: AccessSetter = "owner",
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO app_access (app_id, environment, rule, domains_json, updated_at, set_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(app_id, environment) DO UPDATE SET rule = excluded.rule, domains_json = excluded.domains_json,
         updated_at = excluded.updated_at, set_by = excluded.set_by`,
    )
    .bind(appId, environment, access.rule, JSON.stringify(access.domains), nowIso(), setBy)
    .run();
}

/** Who set each environment's rule; absent when it is still Kiln's default. */
export async function accessSetters(
  db: D1Database,
  appId: string,
): Promise<Partial<Record<Environment, AccessSetter>>> {
  const { results } = await db
    .prepare("SELECT environment, set_by AS setBy FROM app_access WHERE app_id = ?")
    .bind(appId)
    .all<{ environment: Environment; setBy: AccessSetter }>();
  return Object.fromEntries(results.map((row) => [row.environment, row.setBy]));
}

/**
 * Makes a newly published version's `access` (or its absence) the environment's rule, unless the owner chose one
 * in the Access tab. Answers whether the rule changed (sessions started under the old one should then end).
 */
export async function applyDeclaredAccess(
  db: D1Database,
  appId: string,
  environment: Environment,
  declared: AppAccess | null,
): Promise<boolean> {
  if ((await accessSetters(db, appId))[environment] === "owner") return false;
  const before = (await readAccess(db, appId))[environment];
  if (declared === null) {
    await db.prepare("DELETE FROM app_access WHERE app_id = ? AND environment = ?").bind(appId, environment).run();
  } else {
    await writeAccess(db, appId, environment, declared, "app");
  }
  return !sameAccess(before, declared ?? DEFAULT_ACCESS[environment]);
}

/** Whether two rules admit the same people. */
export function sameAccess(a: AppAccess, b: AppAccess): boolean {
  return a.rule === b.rule && [...a.domains].sort().join() === [...b.domains].sort().join();
}

/** The roles the app's code declares (`export const roles`): the live version's, else the preview's. */
export async function declaredRoles(db: D1Database, appId: string): Promise<string[]> {
  const row = await db
    .prepare(
      `SELECT COALESCE(
         (SELECT roles_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.live_version),
         (SELECT roles_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.preview_version),
         '[]') AS roles
       FROM apps WHERE id = ?`,
    )
    .bind(appId)
    .first<{ roles: string }>();
  return JSON.parse(row?.roles ?? "[]") as string[];
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
