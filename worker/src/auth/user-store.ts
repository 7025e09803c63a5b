import type { CurrentUser } from "../core/records";
import { newId, nowIso } from "../core/ids";

/** A user's row as sign-in needs it: who they are and the hash to verify a password against. */
export interface UserLogin {
  id: string;
  passwordHash: string;
}

/** Creates a user with an already hashed password; null when the email has an account (one row per email). */
export async function createUser(db: D1Database, email: string, passwordHash: string): Promise<CurrentUser | null> {
  const id = newId("usr");
  const inserted = await db
    .prepare(
      "INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(email) DO NOTHING",
    )
    .bind(id, email, passwordHash, nowIso())
    .run();
  return inserted.meta.changes === 0 ? null : { id, email };
}

/** The user with `email` and their password hash, for sign-in; null when there is none. */
export function findUserLogin(db: D1Database, email: string): Promise<UserLogin | null> {
  return db
    .prepare("SELECT id, password_hash AS passwordHash FROM users WHERE email = ?")
    .bind(email)
    .first<UserLogin>();
}

/** The user with `id`, or null once the account is gone: a call made on their behalf re-checks they still exist. */
export function findUser(db: D1Database, id: string): Promise<CurrentUser | null> {
  return db.prepare("SELECT id, email FROM users WHERE id = ?").bind(id).first<CurrentUser>();
}
