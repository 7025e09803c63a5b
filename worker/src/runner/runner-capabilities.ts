import { WorkerEntrypoint } from "cloudflare:workers";
import type { AppBundle } from "../build";
import { appDataStoreName, checkScratchName } from "../data/app-data-store-stub";
import type { AppDataStoreClient } from "../data/app-database-client";
import type { AppDatabaseGatewayProps } from "../data/app-database-gateway";
import { type EgressProps, handleEgress } from "../egress/egress-proxy";
import type { Env } from "../env";
import { type NewLogEntry, appendLogs } from "../logs/log-store";
import { loadBundle } from "../versions/version-store";

/** The app-facing database operations the runner may forward. */
export const APP_DATABASE_METHODS = ["list", "get", "insert", "update", "delete", "count", "query"] as const satisfies readonly (keyof AppDataStoreClient)[];
/** One of those operations. */
export type AppDatabaseMethod = (typeof APP_DATABASE_METHODS)[number];

/**
 * What the separate runner process may ask of the control plane: bundles,
 * app databases, the egress decision and log storage. App code never holds
 * this binding; the runner's own entrypoints call it with props Kiln set.
 */
export class RunnerCapabilities extends WorkerEntrypoint<Env> {
  /** A version's code, read once when the runner starts that version's isolate. */
  bundle(appId: string, version: string): Promise<AppBundle | null> {
    return loadBundle(this.env.BUNDLES, appId, version);
  }

  /**
   * One app-facing database operation on the database `props` names (Durable
   * Object stubs cannot cross to another process, so each call is forwarded).
   */
  async database<M extends AppDatabaseMethod>(props: AppDatabaseGatewayProps, method: M, args: Parameters<AppDataStoreClient[M]>) {
    if (!APP_DATABASE_METHODS.includes(method)) throw new Error(`'${String(method)}' is not a database operation.`);
    if (props.databaseName !== undefined && !props.databaseName.startsWith(`${props.appId}:`)) throw new Error("A scratch database must belong to its app.");
    const name = props.databaseName !== undefined ? checkScratchName(props.databaseName) : appDataStoreName(props.appId, props.environment);
    const store: AppDataStoreClient = this.env.APP_DATA.get(this.env.APP_DATA.idFromName(name));
    // Called as a method: `.apply` on an RPC stub would itself be taken for an RPC call.
    const call = (store as unknown as Record<string, (...a: unknown[]) => ReturnType<AppDataStoreClient[M]>>)[method]!;
    return call(...(args as unknown[]));
  }

  /** Decides and performs (or refuses) one outbound call of an app, exactly as in single-process mode. */
  egress(props: EgressProps, request: Request): Promise<Response> {
    return handleEgress(this.env, props, request);
  }

  /** Stores a batch of app log lines gathered by the runner's tails. */
  appendLogs(entries: NewLogEntry[]): Promise<void> {
    return appendLogs(this.env.DB, entries.slice(0, 1000));
  }
}
