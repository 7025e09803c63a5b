import { fail } from "@sveltejs/kit";
import { callApi, failWith, isRecord, loadFromApi, raise, rawField, seg, textField } from "$lib/server/api";
import type { DestructiveChange, Diagnostic, SaveResult, SourceSnapshot, Version } from "$lib/types";
import type { Actions, PageServerLoad } from "./$types";

/** The one file this page edits; other files of a version are kept as they are. */
const ENTRY = "src/index.ts";

const STARTER = `import { Hono } from "hono";

const app = new Hono();

app.get("/", (c) => c.text("Hello from Kiln!"));

export default app;
`;

export const load: PageServerLoad = async (event) => {
  const id = seg(event.params.id);
  const [{ versions }, source] = await Promise.all([
    loadFromApi<{ versions: Version[] }>(event, `/api/apps/${id}/versions`),
    callApi<SourceSnapshot>(event, "GET", `/api/apps/${id}/source`),
  ]);
  let snapshot: SourceSnapshot | null = null;
  if (source.ok) snapshot = source.data;
  else if (source.status !== 404) raise(event, source);

  return {
    entry: ENTRY,
    versions,
    code: snapshot?.files[ENTRY] ?? STARTER,
    isStarter: snapshot === null || snapshot.files[ENTRY] === undefined,
    baseVersion: snapshot?.version ?? null,
    otherFiles: Object.keys(snapshot?.files ?? {}).filter((file) => file !== ENTRY),
  };
};

export const actions = {
  save: async (event) => {
    const data = await event.request.formData();
    const code = rawField(data, "code");
    const baseVersion = textField(data, "baseVersion");
    const confirmDestructive = textField(data, "confirmDestructive") === "true";
    const id = seg(event.params.id);
    if (code.trim() === "") {
      return fail(400, { save: { code, message: `${ENTRY} is empty. Write your app's code first.`, diagnostics: [], changes: [] } });
    }

    // Keep the version's other files: this page only edits the entry file.
    let files: Record<string, string> = {};
    if (baseVersion) {
      const base = await callApi<SourceSnapshot>(event, "GET", `/api/apps/${id}/source?version=${seg(baseVersion)}`);
      if (!base.ok && base.status !== 404) return failWith(event, base, { save: { code, message: base.message, diagnostics: [], changes: [] } });
      if (base.ok) files = { ...base.data.files };
    }
    files[ENTRY] = code;

    const result = await callApi<SaveResult>(event, "PUT", `/api/apps/${id}/source`, {
      files,
      ...(confirmDestructive ? { confirmDestructive: true } : {}),
    });
    if (!result.ok) {
      const changes = result.code === "destructive_change" ? readChanges(result.body) : [];
      return failWith(event, result, { save: { code, message: result.message, diagnostics: readDiagnostics(result.body), changes } });
    }
    return {
      save: {
        code,
        version: result.data.version,
        previewUrl: result.data.previewUrl,
        warnings: (result.data.warnings ?? []).map(describeWarning),
      },
    };
  },
} satisfies Actions;

function readDiagnostics(body: Record<string, unknown>): Diagnostic[] {
  const list = body.diagnostics;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((d) => ({
    file: typeof d.file === "string" ? d.file : ENTRY,
    line: typeof d.line === "number" ? d.line : 0,
    column: typeof d.column === "number" ? d.column : 0,
    message: typeof d.message === "string" ? d.message : String(d.message),
  }));
}

function readChanges(body: Record<string, unknown>): DestructiveChange[] {
  const list = body.changes;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({ description: isRecord(c) && typeof c.description === "string" ? c.description : String(c) }));
}

function describeWarning(warning: unknown): string {
  if (typeof warning === "string") return warning;
  if (isRecord(warning) && typeof warning.message === "string") {
    const where = typeof warning.file === "string" ? `${warning.file}:${String(warning.line ?? "?")}:${String(warning.column ?? "?")} ` : "";
    return `${where}${warning.message}`;
  }
  return JSON.stringify(warning);
}
