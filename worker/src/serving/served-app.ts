import type { ConnectorId } from "../../../connectors/types";
import type { Environment } from "../core/env";
import type { AppAccess } from "../core/api-shapes/access";

/** What the serving path needs to know about an app host: one row of the routing table. */
export interface ServedApp {
  appId: string;
  slug: string;
  name: string;
  previewVersion: string | null;
  liveVersion: string | null;
  config: Record<string, string>;
  /** Versions paused after bringing the runner down; visitors get a 503 page. */
  quarantined: string[];
  /** Connectors the preview and live versions import (empty when an environment has no version). */
  previewConnectors: ConnectorId[];
  liveConnectors: ConnectorId[];
  /** Whether the preview and live versions export tools: only then is `/mcp` of the host Kiln's, not the app's. */
  previewTools: boolean;
  liveTools: boolean;
  /** Who may use each environment (the default when the owner set none). */
  access: Record<Environment, AppAccess>;
}

/** The version an environment of an app serves, or null before its first deployment there. */
export function servedVersion(
  app: Pick<ServedApp, "liveVersion" | "previewVersion">,
  environment: Environment,
): string | null {
  return environment === "live" ? app.liveVersion : app.previewVersion;
}

/** The connectors of the version an environment serves. */
export function servedConnectors(app: ServedApp, environment: Environment): ConnectorId[] {
  return environment === "live" ? app.liveConnectors : app.previewConnectors;
}

/** Whether the version an environment serves exports tools (read at build, so serving never asks the isolate). */
export function servesTools(app: ServedApp, environment: Environment): boolean {
  return environment === "live" ? app.liveTools : app.previewTools;
}
