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

/** The app id an MCP snippet's run goes by where the runner names whose code runs: never an app's. */
export const SNIPPET_APP_ID = "mcp-snippet";

/**
 * Who an MCP snippet's run is in request marks and in-flight calls: no app, so a snippet that brings a runner down is
 * charged to none; the owner it ran for rides where a version would, so their snippets' kills are counted.
 */
export function snippetRun(userId: string) {
  return { appId: SNIPPET_APP_ID, environment: "preview", version: userId } as const;
}
