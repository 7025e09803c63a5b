import type { Env, Environment } from "../core/env";
import { placementOf } from "../placement/runner-placement";
import type { AppDataStore } from "./app-data-store";

/** The environments an app has; each gets its own, fully separate database. */
export const ENVIRONMENTS = ["preview", "live"] as const satisfies readonly Environment[];

/** The Durable Object name of one app environment's database: `${appId}:${environment}`. */
export function appDataStoreName(appId: string, environment: Environment): string {
  if (typeof appId !== "string" || appId.length === 0) throw new Error("An app id is required to reach its database.");
  if (!ENVIRONMENTS.includes(environment))
    throw new Error(`Unknown environment '${String(environment)}'; use "preview" or "live".`);
  return `${appId}:${environment}`;
}

/** What placing an app's databases needs: its id names them, its slug picks the runner that holds them. */
export interface PlacedApp {
  id: string;
  slug: string;
}

/**
 * The APP_DATA namespace typed by the class behind it. Core declares the binding untyped, since that class lives
 * here; control-plane/bindings-check.ts proves at compile time that wrangler binds exactly this class.
 */
export function appDataNamespace(namespace: DurableObjectNamespace): DurableObjectNamespace<AppDataStore> {
  return namespace as DurableObjectNamespace<AppDataStore>;
}

/** The stub of one app environment's database, for the platform API (apps reach it only through the gateway). */
export function appDataStore(env: Env, app: PlacedApp, environment: Environment): DurableObjectStub<AppDataStore> {
  const namespace = appDataNamespace(placementOf(env, app.slug).appData);
  return namespace.get(namespace.idFromName(appDataStoreName(app.id, environment)));
}

/**
 * The stub of a throwaway database of `app` (e.g. `${appId}:trial:…` for a build's smoke start), in the runner that
 * runs the app's trials. Names that end like a real environment (`:preview`, `:live`) are refused so a scratch can
 * never alias one.
 */
export function scratchDataStore(env: Env, app: PlacedApp, name: string): DurableObjectStub<AppDataStore> {
  const namespace = appDataNamespace(placementOf(env, app.slug).appData);
  return namespace.get(namespace.idFromName(checkScratchName(name)));
}

/** Validates a scratch database name; returns it unchanged. */
export function checkScratchName(name: string): string {
  if (typeof name !== "string" || name.length === 0) throw new Error("A scratch database needs a name.");
  if (ENVIRONMENTS.some((environment) => name.endsWith(`:${environment}`))) {
    throw new Error(`'${name}' is the name of a real app database, not a scratch one.`);
  }
  return name;
}
