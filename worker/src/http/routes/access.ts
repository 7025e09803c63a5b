import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { appUrl } from "../../placement/app-urls";
import { recordAudit } from "../../audit/audit-log";
import { appDataStore } from "../../data/app-data-store-stub";
import type { Environment } from "../../core/env";
import { ApiError, NotFoundError } from "../../core/errors";
import { listOutbox } from "../../mail/mailer";
import { ACCESS_RULES, EMAIL_DOMAIN, ROLE_NAME } from "../../serving/access-rule";
import { appChanged } from "../../serving/app-lookup";
import { KILN_PATH } from "../../serving/visitor-cookie";
import {
  accessSetters,
  declaredRoles,
  deleteInvited,
  findInvited,
  listInvited,
  readAccess,
  saveInvited,
  sameAccess,
  writeAccess,
} from "../../access/access-store";
import { deletePasskeysOf } from "../../access/passkeys/passkey-store";
import { issueHandoff } from "../../access/sign-in-codes";
import { OWNER_ROLE } from "../../access/visitor-session";
import type { AccessOverview, AccessUpdate, EnvironmentAccess, OutboxMail, VisitLink } from "../../core/api-shapes";

const ENVIRONMENTS: Environment[] = ["preview", "live"];
const environmentSchema = z.enum(["preview", "live"], "environment must be preview or live");
const domainSchema = z.string().trim().toLowerCase().regex(EMAIL_DOMAIN, "each domain looks like example.com");
const accessSchema = z
  .object({
    rule: z.enum(ACCESS_RULES, `rule must be one of ${ACCESS_RULES.join(", ")}`),
    domains: z.array(domainSchema).max(50).default([]),
  })
  .refine((access) => access.rule !== "domains" || access.domains.length > 0, {
    message: "list at least one email domain (e.g. example.com) for the domains rule",
  });
const roleSchema = z
  .string()
  .trim()
  .regex(ROLE_NAME, "a role is a short lower-case word such as admin or member")
  .refine((role) => role !== OWNER_ROLE, "owner is the app owner's own role; choose another");
const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().email("enter a valid email address").max(254),
  roles: z.array(roleSchema).max(20).default([]),
});
const visitSchema = z.object({
  environment: environmentSchema,
  next: z.string().max(2000).default("/"),
  /** For the workspace's preview frame, which needs the partitioned cookie. */
  embed: z.boolean().default(false),
});

/**
 * Who may use an app, under `/api/apps/:id` (owner only): each environment's rule, the invite list with roles, the
 * owner's one-click entry to their own protected app, and the local outbox of sign-in mail.
 */
export const accessRoutes = new Hono<PlatformContext>()
  .get("/access", async (c) => {
    const appId = c.var.app.id;
    const [access, setters, visitors, roles] = await Promise.all([
      readAccess(c.env.DB, appId),
      accessSetters(c.env.DB, appId),
      listInvited(c.env.DB, appId),
      declaredRoles(c.env.DB, appId),
    ]);
    // setBy says whether a rule is the owner's choice, the published code's `access`, or Kiln's default.
    const withSetter = (environment: Environment): EnvironmentAccess => ({
      ...access[environment],
      setBy: setters[environment] ?? "default",
    });
    return c.json({
      preview: withSetter("preview"),
      live: withSetter("live"),
      visitors,
      roles,
    } satisfies AccessOverview);
  })
  .put("/access/:environment", async (c) => {
    const environment = environmentSchema.parse(c.req.param("environment"));
    const access = await readJson(c, accessSchema);
    const { app } = c.var;
    const before = (await readAccess(c.env.DB, app.id))[environment];
    await writeAccess(c.env.DB, app.id, environment, access);
    // The same rule again (now the owner's own choice): visitors stay signed in.
    if (sameAccess(before, access)) return c.json({ environment, ...access } satisfies AccessUpdate);
    // Sessions were started under the old rule: everyone but the owner signs in again under the new one.
    await appDataStore(c.env, app, environment).endVisitorSessions({ allBut: OWNER_ROLE });
    await appChanged(c.env, app.slug);
    await recordAudit(c.env.DB, {
      userId: c.var.user.id,
      appId: app.id,
      action: "access.set",
      detail: { environment, ...access },
    });
    return c.json({ environment, ...access } satisfies AccessUpdate);
  })
  .post("/visitors", async (c) => {
    const { email, roles } = await readJson(c, inviteSchema);
    const { app } = c.var;
    await saveInvited(c.env.DB, app.id, email, roles);
    // A visitor already signed in gets the new roles on their next request.
    await Promise.all(
      ENVIRONMENTS.map((environment) => appDataStore(c.env, app, environment).setVisitorRoles(email, roles)),
    );
    await recordAudit(c.env.DB, {
      userId: c.var.user.id,
      appId: app.id,
      action: "visitor.invite",
      detail: { email, roles },
    });
    return c.json(await findInvited(c.env.DB, app.id, email), 201);
  })
  .delete("/visitors/:email", async (c) => {
    const email = decodeURIComponent(c.req.param("email")).trim().toLowerCase();
    const { app } = c.var;
    if (!(await deleteInvited(c.env.DB, app.id, email))) throw new NotFoundError("This invitation");
    // Removed means out now: their sessions end in both environments, and their passkeys for the app go.
    await deletePasskeysOf(c.env.DB, app.id, email);
    await Promise.all(
      ENVIRONMENTS.map((environment) => appDataStore(c.env, app, environment).endVisitorSessions({ email })),
    );
    await recordAudit(c.env.DB, { userId: c.var.user.id, appId: app.id, action: "visitor.remove", detail: { email } });
    return c.json({ ok: true });
  })
  .post("/visit", async (c) => {
    const { environment, next, embed } = await readJson(c, visitSchema);
    const { app, user } = c.var;
    if (!next.startsWith("/") || next.startsWith("//"))
      throw new ApiError(400, "bad_request", "next must be a path such as /admin.");
    const token = await issueHandoff(c.env.DB, { appId: app.id, environment, email: user.email });
    const url = new URL(`${KILN_PATH}owner`, appUrl(c.env, app.slug, environment));
    url.search = new URLSearchParams({ token, next, ...(embed ? { embed: "1" } : {}) }).toString();
    return c.json({ url: url.toString(), expiresInSeconds: 120 } satisfies VisitLink);
  })
  .get("/outbox", async (c) =>
    c.json({ mails: await listOutbox(c.env.DB, c.var.app.id) } satisfies { mails: OutboxMail[] }),
  );
