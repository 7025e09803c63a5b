// The platform's records that every layer passes around: plain data, as D1 keeps them.

/** The signed-in person, as every authenticated route and feature sees them. */
export interface CurrentUser {
  id: string;
  email: string;
}

/** An app record as the platform keeps it in D1. */
export interface AppRecord {
  id: string;
  ownerId: string;
  name: string;
  slug: string;
  previewVersion: string | null;
  liveVersion: string | null;
  createdAt: string;
}

/**
 * Who an MCP snippet's run is, where the runner names whose code is running (request marks, in-flight calls): never
 * an app's id, so a snippet that brings a runner down is reported to its caller and charged to no app.
 */
export const SNIPPET_RUN = { appId: "mcp-snippet", environment: "preview", version: "snippet" } as const;
