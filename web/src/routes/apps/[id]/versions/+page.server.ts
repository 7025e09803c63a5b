import { fail } from "@sveltejs/kit";
import { callApi, failWith, isRecord, loadFromApi, seg, textField } from "$lib/server/api";
import type { DestructiveChange, PublishResult, Version } from "$lib/types";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";

export const load: PageServerLoad = async (event) => {
  const { versions } = await loadFromApi<{ versions: Version[] }>(event, `/api/apps/${seg(event.params.id)}/versions`);
  return { versions };
};

type Release = "publish" | "rollback";

async function release(event: RequestEvent, kind: Release) {
  const data = await event.request.formData();
  const version = textField(data, "version");
  const confirmDestructive = textField(data, "confirmDestructive") === "true";
  if (!version) return fail(400, { release: { kind, version, message: "Pick a version.", changes: [] } });

  const result = await callApi<PublishResult>(event, "POST", `/api/apps/${seg(event.params.id)}/${kind}`, {
    version,
    ...(confirmDestructive ? { confirmDestructive: true } : {}),
  });
  if (!result.ok) {
    const changes = result.code === "destructive_change" ? readChanges(result.body) : [];
    return failWith(event, result, { release: { kind, version, message: result.message, changes } });
  }
  return { release: { kind, version: result.data.version, liveUrl: result.data.liveUrl, connectors: result.data.connectors ?? [], done: true } };
}

export const actions = {
  publish: (event) => release(event, "publish"),
  rollback: (event) => release(event, "rollback"),
} satisfies Actions;

function readChanges(body: Record<string, unknown>): DestructiveChange[] {
  const list = body.changes;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({ description: isRecord(c) && typeof c.description === "string" ? c.description : String(c) }));
}
