import { fail, type RequestEvent as KitEvent } from "@sveltejs/kit";
import { callApi, failWith, isRecord, loadFromApi, seg, textField } from "$lib/server/api";
import type { ConnectionsOverview, DestructiveChange, ListedVersion, PublishResult, SourceSnapshot } from "$shapes";
import type { Actions, PageServerLoad, RequestEvent } from "./$types";
import { publishReview } from "./publish-review";

/** The two versions being compared (`?from=2&to=3`) and their files; `from` null: `to` is the first version. */
export interface Comparison {
  from: number | null;
  to: number;
  fromFiles: Record<string, string> | null;
  toFiles: Record<string, string> | null;
  /** Why the comparison could not be shown, in the owner's words. */
  problem: string | null;
}

export const load: PageServerLoad = async (event) => {
  const appPath = `/api/apps/${seg(event.params.id)}`;
  const [{ versions }, connections] = await Promise.all([
    loadFromApi<{ versions: ListedVersion[] }>(event, `${appPath}/versions`),
    callApi<ConnectionsOverview>(event, "GET", "/api/connections"),
  ]);
  return {
    versions,
    // Unknown (null) when the connections could not be read: the page then flags nothing rather than everything.
    connections: connections.ok ? connections.data.connections : null,
    comparison: await compare(event, appPath, versions),
    review: await publishReview(event, versions),
  };
};

/** Reads `?from` and `?to` (version numbers); by default the newest version against the one before it. */
async function compare(event: KitEvent, appPath: string, versions: ListedVersion[]): Promise<Comparison | null> {
  const newest = versions[0];
  if (!newest) return null;
  const wanted = (name: string) => {
    const raw = event.url.searchParams.get(name)?.trim().replace(/^v/i, "");
    return raw ? Number(raw) : null;
  };
  const toNumber = wanted("to") ?? newest.number;
  const to = versions.find((v) => v.number === toNumber);
  if (!to)
    return { from: null, to: toNumber, fromFiles: null, toFiles: null, problem: missing(toNumber, newest.number) };
  const fromNumber = wanted("from") ?? versions.find((v) => v.number < to.number)?.number ?? null;
  const from = fromNumber === null ? null : versions.find((v) => v.number === fromNumber);
  if (fromNumber !== null && !from)
    return {
      from: fromNumber,
      to: to.number,
      fromFiles: null,
      toFiles: null,
      problem: missing(fromNumber, newest.number),
    };

  const source = (version: string) =>
    callApi<SourceSnapshot>(event, "GET", `${appPath}/source?version=${encodeURIComponent(version)}`);
  const [fromSource, toSource] = await Promise.all([from ? source(from.version) : null, source(to.version)]);
  const failed = [fromSource, toSource].find((r) => r !== null && !r.ok);
  if (failed && !failed.ok)
    return {
      from: from?.number ?? null,
      to: to.number,
      fromFiles: null,
      toFiles: null,
      problem: `Kiln could not read the source of these versions: ${failed.message}`,
    };
  return {
    from: from?.number ?? null,
    to: to.number,
    fromFiles: fromSource?.ok ? fromSource.data.files : null,
    toFiles: toSource.ok ? toSource.data.files : null,
    problem: null,
  };
}

function missing(number: number, newest: number): string {
  return Number.isInteger(number) && number > 0
    ? `This app has no v${number}; its versions go from v1 to v${newest}. Pick two versions below.`
    : "That link does not name a version. Pick two versions below.";
}

type Release = "publish" | "rollback";

async function release(event: RequestEvent, kind: Release) {
  const data = await event.request.formData();
  const version = textField(data, "version");
  const confirmDestructive = textField(data, "confirmDestructive") === "true";
  const liveData = textField(data, "liveData");
  if (!version) return fail(400, { release: { kind, version, message: "Pick a version.", changes: [] } });

  const result = await callApi<PublishResult>(event, "POST", `/api/apps/${seg(event.params.id)}/${kind}`, {
    version,
    ...(confirmDestructive ? { confirmDestructive: true } : {}),
    ...(kind === "publish" && (liveData === "copy" || liveData === "empty") ? { liveData } : {}),
  });
  if (!result.ok) {
    const changes = result.code === "destructive_change" ? readChanges(result.body) : [];
    return failWith(event, result, { release: { kind, version, message: result.message, changes } });
  }
  return {
    release: {
      kind,
      version: result.data.version,
      liveUrl: result.data.liveUrl,
      connectors: result.data.connectors ?? [],
      copied: result.data.copied ?? [],
      done: true,
    },
  };
}

export const actions = {
  publish: (event) => release(event, "publish"),
  rollback: (event) => release(event, "rollback"),
  /** An earlier version becomes the preview again (built and checked as any upload). */
  restore: async (event) => {
    const version = textField(await event.request.formData(), "version");
    const result = await callApi<{ version: string }>(event, "POST", `/api/apps/${seg(event.params.id)}/restore`, {
      version,
    });
    if (!result.ok) return failWith(event, result, { restore: { version, message: result.message } });
    return { restore: { version: result.data.version, message: null } };
  },
} satisfies Actions;

function readChanges(body: Record<string, unknown>): DestructiveChange[] {
  const list = body.changes;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({
    description: isRecord(c) && typeof c.description === "string" ? c.description : String(c),
  }));
}
