import type { Env, Environment } from "../core/env";
import { PREVIEW_SUFFIX } from "./app-host";

/** Public URL of an app in one environment. */
export function appUrl(env: Env, slug: string, environment: Environment): string {
  const scheme = env.APPS_SCHEME ?? "http";
  const label = environment === "preview" ? `${slug}${PREVIEW_SUFFIX}` : slug;
  return `${scheme}://${label}.${env.APPS_DOMAIN}/`;
}
