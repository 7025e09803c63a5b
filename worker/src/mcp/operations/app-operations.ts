// The typed client's operations on apps, their code, builds and versions: each one route of the JSON API.
import { z } from "zod";
import { type KilnOperation, op, appId, version } from "./operation-fields";

/** Operations on apps, their code, builds and versions, in the order the declaration lists them. */
export const APP_OPERATIONS: readonly KilnOperation[] = [
  op({
    name: "apps.list",
    summary: "Every app of yours, with its URLs, versions and problems (failing automations, paused versions).",
    method: "GET",
    path: "/apps",
    input: z.object({}),
    unwrap: "apps",
    signature: "(): Promise<ListedApp[]>",
  }),
  op({
    name: "apps.create",
    summary: "A new empty app; write its code with source.write.",
    method: "POST",
    path: "/apps",
    input: z.object({ name: z.string().min(1).max(80) }),
    signature: "(input: { name: string }): Promise<App>",
  }),
  op({
    name: "apps.get",
    summary: "One app, with the connectors its code uses and its paused versions.",
    method: "GET",
    path: "/apps/:appId",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<App & { quarantines: { version: string; message: string }[] }>",
  }),
  op({
    name: "apps.rename",
    summary: "Renames an app (its URLs stay).",
    method: "PATCH",
    path: "/apps/:appId",
    input: z.object({ appId, name: z.string().min(1).max(80) }),
    signature: "(input: { appId: string; name: string }): Promise<App>",
  }),
  op({
    name: "apps.delete",
    summary: "Deletes an app, its versions and both databases. Cannot be undone.",
    method: "DELETE",
    path: "/apps/:appId",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<{ ok: true }>",
  }),
  op({
    name: "source.read",
    summary: "The files of the preview version (or of `version`).",
    method: "GET",
    path: "/apps/:appId/source",
    input: z.object({ appId, version: version.optional() }),
    query: ["version"],
    signature:
      "(input: { appId: string; version?: string }): Promise<{ version: string; files: Record<string, string> }>",
  }),
  op({
    name: "source.write",
    summary:
      'Replaces the app\'s files (src/index.ts is the entry; the app contract is module "kiln": search it) and builds them: type-check, bundle, start, checks, data migration. Deployed to preview when every step passes; otherwise ok: false with diagnostics to fix, and preview keeps serving the last good version.',
    method: "PUT",
    path: "/apps/:appId/source",
    input: z.object({
      appId,
      files: z.record(z.string(), z.string()),
      confirmDestructive: z.boolean().optional(),
    }),
    failureIsResult: true,
    signature:
      "(input: { appId: string; files: Record<string, string>; confirmDestructive?: boolean }): Promise<Deployed | BuildFailure>",
  }),
  op({
    name: "builds.last",
    summary: "How the app's most recent build ended (chat, upload or hand save), with its diagnostics.",
    method: "GET",
    path: "/apps/:appId/builds/last",
    input: z.object({ appId }),
    unwrap: "build",
    signature: "(input: { appId: string }): Promise<LastBuild | null>",
  }),
  op({
    name: "versions.list",
    summary: "Every version, newest first, with which serves preview and live and the hosts each may call.",
    method: "GET",
    path: "/apps/:appId/versions",
    input: z.object({ appId }),
    unwrap: "versions",
    signature: "(input: { appId: string }): Promise<Version[]>",
  }),
  op({
    name: "versions.plan",
    summary: "What publishing `version` would change for the live app: tables, hosts, automations, missing setup.",
    method: "GET",
    path: "/apps/:appId/publish-plan",
    input: z.object({ appId, version }),
    query: ["version"],
    signature: "(input: { appId: string; version: string }): Promise<PublishPlan>",
  }),
  op({
    name: "versions.publish",
    summary:
      'Makes `version` live. The first publish may take the preview\'s rows along (liveData: "copy"); a data-losing migration needs confirmDestructive.',
    method: "POST",
    path: "/apps/:appId/publish",
    input: z.object({
      appId,
      version,
      confirmDestructive: z.boolean().optional(),
      liveData: z.enum(["copy", "empty"]).optional(),
    }),
    signature:
      '(input: { appId: string; version: string; confirmDestructive?: boolean; liveData?: "copy" | "empty" }): Promise<{ version: string; liveUrl: string }>',
  }),
  op({
    name: "versions.rollback",
    summary: "Makes an earlier live version live again.",
    method: "POST",
    path: "/apps/:appId/rollback",
    input: z.object({ appId, version, confirmDestructive: z.boolean().optional() }),
    signature:
      "(input: { appId: string; version: string; confirmDestructive?: boolean }): Promise<{ version: string; liveUrl: string }>",
  }),
  op({
    name: "apps.duplicate",
    summary: "A copy of an app: its code, config and preview rows, as a new app.",
    method: "POST",
    path: "/apps/:appId/duplicate",
    input: z.object({ appId, name: z.string().min(1).max(80).optional() }),
    signature: "(input: { appId: string; name?: string }): Promise<App>",
  }),
  op({
    name: "apps.resume",
    summary: "Lifts the pause Kiln put on a version that brought the app runner down.",
    method: "POST",
    path: "/apps/:appId/resume",
    input: z.object({ appId }),
    signature: "(input: { appId: string }): Promise<unknown>",
  }),
  op({
    name: "apps.incidents",
    summary:
      "Times a version brought the runner down (ran too long, used too much memory, crashed), and paused versions.",
    method: "GET",
    path: "/apps/:appId/incidents",
    input: z.object({ appId }),
    signature:
      "(input: { appId: string }): Promise<{ incidents: { version: string; reason: string; message: string; createdAt: string }[]; quarantines: { version: string; message: string }[] }>",
  }),
  op({
    name: "versions.restore",
    summary: "Builds an earlier version's source again as the preview.",
    method: "POST",
    path: "/apps/:appId/restore",
    input: z.object({ appId, version, confirmDestructive: z.boolean().optional() }),
    signature:
      "(input: { appId: string; version: string; confirmDestructive?: boolean }): Promise<{ version: string; previewUrl: string }>",
  }),
  op({
    name: "templates.list",
    summary: "The templates an app can start from.",
    method: "GET",
    path: "/templates",
    input: z.object({}),
    unwrap: "templates",
    signature:
      "(): Promise<{ id: string; title: string; description: string; connectors: string[]; tables: string[] }[]>",
  }),
];
