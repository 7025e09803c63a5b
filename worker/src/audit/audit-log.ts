import { nowIso } from "../core/ids";

/** Things the platform records about who changed what. */
export type AuditAction =
  | "user.signup"
  | "user.login"
  | "token.create"
  | "token.delete"
  | "mcp_grant.revoke"
  | "app.create"
  | "app.rename"
  | "app.duplicate"
  | "app.export"
  | "app.import"
  | "app.delete"
  | "file.delete"
  | "app.ai_budget"
  | "version.create"
  | "app.publish"
  | "app.rollback"
  | "data.write"
  | "connection.connect"
  | "connection.rejected"
  | "connection.test"
  | "connection.disconnect"
  | "connection.refresh_failed"
  | "connection.key_rejected"
  | "access.set"
  | "visitor.invite"
  | "visitor.remove";

/** Appends an audit event. `detail` must never hold a secret: it is shown to the owner. */
export async function recordAudit(
  db: D1Database,
  event: { userId: string | null; appId?: string | null; action: AuditAction; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .prepare("INSERT INTO audit_events (user_id, app_id, action, detail_json, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(event.userId, event.appId ?? null, event.action, JSON.stringify(event.detail ?? {}), nowIso())
    .run();
}
