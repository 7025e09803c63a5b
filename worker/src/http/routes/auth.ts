import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { ApiError, NotFoundError } from "../../core/errors";
import { sessionCookieName } from "../../core/cookies";
import {
  SESSION_TTL_SECONDS,
  createApiToken,
  createSession,
  deleteApiToken,
  deleteSession,
  listApiTokens,
} from "../../auth/credentials";
import { type AttemptKey, type AttemptRule, recordFailure, refuseWhenLimited } from "../../auth/attempt-limit";
import { hashPassword, verifyPassword } from "../../auth/passwords";
import { createUser, findUserLogin } from "../../auth/user-store";
import { requireUser } from "../require-user";
import type { ApiToken, CreatedApiToken, User } from "../../core/api-shapes";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("enter a valid email address").max(254),
  password: z.string().min(8, "the password must have at least 8 characters").max(200),
});

const tokenSchema = z.object({ name: z.string().trim().min(1, "give the token a name").max(100) });

// Verified against when the email is unknown, so both paths cost the same
// time and a caller cannot tell which emails have accounts.
const DUMMY_HASH = `pbkdf2-sha256$100000$00000000000000000000000000000000$${"0".repeat(64)}`;

/** Wrong passwords for one email: enough for typos, far too few to guess one. */
const LOGIN_PER_EMAIL: AttemptRule = { scope: "login-email", limit: 10, windowSeconds: 15 * 60 };
/** Wrong passwords from one client address (Cloudflare's CF-Connecting-IP), across emails. */
const LOGIN_PER_ADDRESS: AttemptRule = { scope: "login-ip", limit: 50, windowSeconds: 15 * 60 };

// Locally no proxy names the client's address, so only the per-email count applies there.
function loginKeys(email: string, request: Request): AttemptKey[] {
  const address = request.headers.get("cf-connecting-ip");
  return [{ rule: LOGIN_PER_EMAIL, value: email }, ...(address ? [{ rule: LOGIN_PER_ADDRESS, value: address }] : [])];
}

/** Sign-up, sign-in, sign-out and bearer tokens under `/api/auth` and `/api/tokens`. */
export const authRoutes = new Hono<PlatformContext>()
  .post("/auth/signup", async (c) => {
    const { email, password } = await readJson(c, credentialsSchema);
    const user = await createUser(c.env.DB, email, await hashPassword(password));
    if (user === null)
      throw new ApiError(409, "email_taken", "An account with this email already exists. Sign in instead.");
    await startSession(c, user.id);
    await recordAudit(c.env.DB, { userId: user.id, action: "user.signup" });
    return c.json({ user } satisfies { user: User }, 201);
  })
  .post("/auth/login", async (c) => {
    const { email, password } = await readJson(c, credentialsSchema.extend({ password: z.string().min(1).max(200) }));
    // Counted for unknown emails too: the answer never tells which emails have accounts.
    const keys = loginKeys(email, c.req.raw);
    await refuseWhenLimited(c.env.DB, keys);
    const row = await findUserLogin(c.env.DB, email);
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok) {
      await recordFailure(c.env.DB, keys);
      throw new ApiError(401, "invalid_credentials", "The email or password is wrong.");
    }
    await startSession(c, row.id);
    await recordAudit(c.env.DB, { userId: row.id, action: "user.login" });
    return c.json({ user: { id: row.id, email } } satisfies { user: User });
  })
  .post("/auth/logout", async (c) => {
    const name = sessionCookieName(c.req.url);
    const session = getCookie(c, name);
    if (session) await deleteSession(c.env.DB, session);
    deleteCookie(c, name, { path: "/", secure: new URL(c.req.url).protocol === "https:" });
    return c.json({ ok: true });
  })
  .get("/auth/me", requireUser, (c) => c.json({ user: c.var.user } satisfies { user: User }))
  .post("/tokens", requireUser, async (c) => {
    const { name } = await readJson(c, tokenSchema);
    const token = await createApiToken(c.env.DB, c.var.user.id, name);
    await recordAudit(c.env.DB, { userId: c.var.user.id, action: "token.create", detail: { tokenId: token.id, name } });
    return c.json(token satisfies CreatedApiToken, 201);
  })
  .get("/tokens", requireUser, async (c) =>
    c.json({ tokens: await listApiTokens(c.env.DB, c.var.user.id) } satisfies { tokens: ApiToken[] }),
  )
  .delete("/tokens/:tokenId", requireUser, async (c) => {
    const tokenId = c.req.param("tokenId");
    if (!(await deleteApiToken(c.env.DB, c.var.user.id, tokenId))) throw new NotFoundError("This token");
    await recordAudit(c.env.DB, { userId: c.var.user.id, action: "token.delete", detail: { tokenId } });
    return c.json({ ok: true });
  });

async function startSession(c: Parameters<typeof setCookie>[0], userId: string): Promise<void> {
  const env = c.env as PlatformContext["Bindings"];
  const secret = await createSession(env.DB, userId);
  setCookie(c, sessionCookieName(c.req.url), secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
    secure: new URL(c.req.url).protocol === "https:",
  });
}
