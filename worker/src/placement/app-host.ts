import type { Environment } from "../core/env";

/**
 * Preview hosts are `{slug}--preview.{domain}`, not `{slug}.preview.{domain}`:
 * one label keeps both under a single wildcard route and certificate.
 */
export const PREVIEW_SUFFIX = "--preview";

/** Where a request for an app host should go. */
export interface AppHost {
  slug: string;
  environment: Environment;
}

/** Parses a Host header into an app host, or null when it is not under the apps domain. */
export function parseAppHost(host: string, appsDomain: string): AppHost | null {
  const hostname = host.toLowerCase();
  const suffix = `.${appsDomain.toLowerCase()}`;
  if (!hostname.endsWith(suffix)) return null;
  const label = hostname.slice(0, -suffix.length);
  if (label === "" || label.includes(".")) return null;
  if (label.endsWith(PREVIEW_SUFFIX)) return { slug: label.slice(0, -PREVIEW_SUFFIX.length), environment: "preview" };
  return { slug: label, environment: "live" };
}
