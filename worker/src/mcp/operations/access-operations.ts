// The typed client's operations on who may use an app, and the owner's connections: each one route of the JSON API.
import { z } from "zod";
import { type KilnOperation, op, appId } from "./operation-fields";

/** Operations on who may use an app, and the owner's connections, in the order the declaration lists them. */
export const ACCESS_OPERATIONS: readonly KilnOperation[] = [
  op({
    name: "access.read",
    summary: "Who may use each environment (public, signed_in, invited, domains, owner) and the invite list.",
    method: "GET",
    path: "/apps/:appId/access",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<AccessOverview>",
  }),
  op({
    name: "access.set",
    summary: "Sets an environment's access rule; domains for the domains rule.",
    method: "PUT",
    path: "/apps/:appId/access/:environment",
    input: z.object({
      appId,
      environment: z.enum(["preview", "live"]),
      rule: z.enum(["public", "signed_in", "invited", "domains", "owner"]),
      domains: z.array(z.string()).max(50).optional(),
    }),
    signature:
      '(input: { appId: string; environment: Env; rule: "public" | "signed_in" | "invited" | "domains" | "owner"; domains?: string[] }): Promise<{ environment: Env; rule: string; domains: string[] }>',
  }),
  op({
    name: "access.invite",
    summary: "Invites an email to the app, with roles its code declares.",
    method: "POST",
    path: "/apps/:appId/visitors",
    input: z.object({ appId, email: z.string().max(254), roles: z.array(z.string()).max(20).optional() }),
    signature:
      "(input: { appId: string; email: string; roles?: string[] }): Promise<{ email: string; roles: string[]; invitedAt: string }>",
  }),
  op({
    name: "access.uninvite",
    summary: "Removes an invitation and ends that person's sessions.",
    method: "DELETE",
    path: "/apps/:appId/visitors/:email",
    input: z.object({ appId, email: z.string().max(254) }),
    signature: "(input: { appId: string; email: string }): Promise<{ ok: true }>",
  }),
  op({
    name: "connections.list",
    summary: "Your connected services (Stripe, Airtable, Google) and their state; keys are never shown.",
    method: "GET",
    path: "/connections",
    input: z.object({}),
    unwrap: "connections",
    signature:
      '(): Promise<{ id: string; connector: string; label: string; status: "connected" | "needs_reconnect"; demo: boolean }[]>',
  }),
];
