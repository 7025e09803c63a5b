// What the Versions tab shows before a publish or rollback: the API's plan (schema, hosts, automations, setup,
// rows) and the code's change against the live version, counted here from both sources (the tab's own diff).
import type { RequestEvent } from "@sveltejs/kit";
import { callApi, seg } from "$lib/server/api";
import { diffSources, type FileChange } from "$lib/source-diff";
import type { ListedVersion, PublishPlan, SourceSnapshot } from "$shapes";

/** One file the release changes, with its line counts (null when too large to count). */
export interface ReviewedFile {
  path: string;
  change: FileChange;
  added: number | null;
  removed: number | null;
}

/** The summary the owner confirms once, or why it could not be read. */
export interface PublishReview {
  kind: "publish" | "rollback";
  plan: PublishPlan | null;
  files: ReviewedFile[];
  /** Why the summary could not be read, in the owner's words. */
  problem: string | null;
}

/** Reads `?review=<number>`: the version to publish (or roll back to) and everything that would change. */
export async function publishReview(event: RequestEvent, versions: ListedVersion[]): Promise<PublishReview | null> {
  const raw = event.url.searchParams.get("review")?.trim().replace(/^v/i, "");
  if (!raw) return null;
  const target = versions.find((v) => v.number === Number(raw));
  const live = versions.find((v) => v.live);
  if (!target || target.live) return null;
  const kind = target.wasLive && live !== undefined && target.number < live.number ? "rollback" : "publish";
  const appPath = `/api/apps/${seg(event.params.id ?? "")}`;
  const source = (version: string) =>
    callApi<SourceSnapshot>(event, "GET", `${appPath}/source?version=${encodeURIComponent(version)}`);
  const [plan, after, before] = await Promise.all([
    callApi<PublishPlan>(event, "GET", `${appPath}/publish-plan?version=${encodeURIComponent(target.version)}`),
    source(target.version),
    live ? source(live.version) : null,
  ]);
  const failed = [plan, after, before].find((answer) => answer !== null && !answer.ok);
  if (failed && !failed.ok)
    return { kind, plan: null, files: [], problem: `Kiln could not work out what would change: ${failed.message}` };
  if (!plan.ok || !after.ok) return null;
  const diff = diffSources(before?.ok ? before.data.files : null, after.data.files);
  const files = diff.files.map((file) => ({
    path: file.path,
    change: file.change,
    added: file.diff.kind === "diff" ? file.diff.added : null,
    removed: file.diff.kind === "diff" ? file.diff.removed : null,
  }));
  return { kind, plan: plan.data, files, problem: null };
}
