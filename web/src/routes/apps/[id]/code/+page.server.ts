import { fail } from "@sveltejs/kit";
import { callApi, failWith, isRecord, loadFromApi, raise, rawField, seg, textField } from "$lib/server/api";
import type { DeployResult, DestructiveChange, LastBuild, ListedVersion, SourceSnapshot } from "$shapes";
import type { Actions, PageServerLoad } from "./$types";

/** The file a new app starts with, and the one opened first. */
const ENTRY = "src/index.ts";

const STARTER = `import { Hono } from "hono";

const app = new Hono();

app.get("/", (c) => c.text("Hello from Kiln!"));

export default app;
`;

/** Unsaved changes the browser sends along: path → new text, or null for a deleted file. */
type Edits = Record<string, string | null>;

export const load: PageServerLoad = async (event) => {
  const id = seg(event.params.id);
  const [{ versions }, source, { build }] = await Promise.all([
    loadFromApi<{ versions: ListedVersion[] }>(event, `/api/apps/${id}/versions`),
    callApi<SourceSnapshot>(event, "GET", `/api/apps/${id}/source`),
    loadFromApi<{ build: LastBuild | null }>(event, `/api/apps/${id}/builds/last`),
  ]);
  let snapshot: SourceSnapshot | null = null;
  if (source.ok) snapshot = source.data;
  else if (source.status !== 404) raise(event, source);

  return {
    entry: ENTRY,
    versions,
    files: snapshot?.files ?? { [ENTRY]: STARTER },
    isStarter: snapshot === null,
    baseVersion: snapshot?.version ?? null,
    lastBuild: build,
  };
};

export const actions = {
  /** Builds a new version from the base version's files with the edits applied, as a chat turn would. */
  save: async (event) => {
    const data = await event.request.formData();
    const path = textField(data, "path");
    const content = rawField(data, "content");
    const edits = readEdits(rawField(data, "edits"));
    const baseVersion = textField(data, "baseVersion");
    const confirmDestructive = textField(data, "confirmDestructive") === "true";
    const id = seg(event.params.id);
    const echo = { path, content, edits };

    let files: Record<string, string> = {};
    if (baseVersion) {
      const base = await callApi<SourceSnapshot>(event, "GET", `/api/apps/${id}/source?version=${seg(baseVersion)}`);
      if (!base.ok)
        return failWith(event, base, { save: { ...echo, code: base.code, message: base.message, changes: [] } });
      files = { ...base.data.files };
    }
    for (const [file, text] of Object.entries(edits)) {
      if (text === null) delete files[file];
      else files[file] = text;
    }
    if (path !== "") files[path] = content;
    if (Object.keys(files).length === 0) {
      return fail(400, {
        save: {
          ...echo,
          code: "bad_request",
          message: "The app has no files left. Add src/index.ts before saving.",
          changes: [],
        },
      });
    }

    const result = await callApi<DeployResult>(event, "PUT", `/api/apps/${id}/source`, {
      files,
      ...(confirmDestructive ? { confirmDestructive: true } : {}),
    });
    if (!result.ok) {
      const changes = result.code === "destructive_change" ? readChanges(result.body) : [];
      return failWith(event, result, { save: { ...echo, code: result.code, message: result.message, changes } });
    }
    return { save: { version: result.data.version, warnings: (result.data.warnings ?? []).map(describeWarning) } };
  },
} satisfies Actions;

function readEdits(json: string): Edits {
  if (json.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const edits: Edits = {};
  for (const [file, text] of Object.entries(parsed)) {
    if (typeof text === "string" || text === null) edits[file] = text;
  }
  return edits;
}

function readChanges(body: Record<string, unknown>): DestructiveChange[] {
  const list = body.changes;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({
    description: isRecord(c) && typeof c.description === "string" ? c.description : String(c),
  }));
}

function describeWarning(warning: unknown): string {
  if (typeof warning === "string") return warning;
  if (isRecord(warning) && typeof warning.message === "string") {
    const where =
      typeof warning.file === "string"
        ? `${warning.file}:${String(warning.line ?? "?")}:${String(warning.column ?? "?")} `
        : "";
    return `${where}${warning.message}`;
  }
  return JSON.stringify(warning);
}
