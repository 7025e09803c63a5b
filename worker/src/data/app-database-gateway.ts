import { WorkerEntrypoint } from "cloudflare:workers";
import type { AppDatabase, ListOptions, NewRow, Row, SqlValue, Tables } from "../../sdk/kiln/index";
import type { Env, Environment } from "../core/env";
import { appDataNamespace, appDataStoreName, checkScratchName } from "./app-data-store-stub";
import { createAppDatabase, type AppDataStoreClient } from "./app-database-client";

/** Who a gateway serves; set by the platform when it builds the dynamic worker's `env.DB`. */
export interface AppDatabaseGatewayProps {
  appId: string;
  environment: Environment;
  /** A scratch database instead of the environment's (trial runs); must start with `${appId}:`. */
  databaseName?: string | undefined;
}

// Ids by database name: deriving one hashes the name on every app request, and an id never changes.
const ids = new Map<string, DurableObjectId>();

function databaseId(namespace: DurableObjectNamespace, name: string): DurableObjectId {
  let id = ids.get(name);
  if (!id) {
    if (ids.size >= 10_000) ids.clear();
    id = namespace.idFromName(name);
    ids.set(name, id);
  }
  return id;
}

/**
 * An app's `env.DB`: the SDK's `AppDatabase` over RPC. The database is chosen from the props the
 * platform set, never from arguments, so an app can only ever reach its own data.
 * Wire it as `ctx.exports.AppDatabaseGateway({ props: { appId, environment } })`. Both Workers export it:
 * the runner binds the control plane's Durable Object class, so a read is one hop.
 */
export class AppDatabaseGateway
  extends WorkerEntrypoint<Pick<Env, "APP_DATA">, AppDatabaseGatewayProps>
  implements AppDatabase
{
  #database: AppDatabase | undefined;

  /** The app's database, resolved once per gateway instance from its props. */
  get #db(): AppDatabase {
    if (this.#database) return this.#database;
    const namespace = appDataNamespace(this.env.APP_DATA);
    const store: AppDataStoreClient = namespace.get(databaseId(namespace, gatewayDatabaseName(this.ctx.props)));
    this.#database = createAppDatabase(store);
    return this.#database;
  }

  list<K extends string>(table: K, options?: ListOptions<Tables[K]>): Promise<Row<Tables[K]>[]> {
    return this.#db.list(table, options);
  }

  get<K extends string>(table: K, id: number): Promise<Row<Tables[K]> | null> {
    return this.#db.get(table, id);
  }

  insert<K extends string>(table: K, row: NewRow<Tables[K]>, options?: { key: string }): Promise<Row<Tables[K]>> {
    return this.#db.insert(table, row, options);
  }

  update<K extends string>(table: K, id: number, patch: Partial<NewRow<Tables[K]>>): Promise<Row<Tables[K]> | null> {
    return this.#db.update(table, id, patch);
  }

  delete<K extends string>(table: K, id: number): Promise<boolean> {
    return this.#db.delete(table, id);
  }

  count<K extends string>(table: K, where?: Partial<Row<Tables[K]>>): Promise<number> {
    return this.#db.count(table, where);
  }

  query<R = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<R[]> {
    return this.#db.query<R>(sql, params);
  }
}

/**
 * The Durable Object name a gateway's props select. A scratch name must belong to the same app,
 * so even a platform mistake cannot point one app's code at another app's data.
 */
export function gatewayDatabaseName(props: AppDatabaseGatewayProps): string {
  const standard = appDataStoreName(props.appId, props.environment);
  if (props.databaseName === undefined) return standard;
  if (!props.databaseName.startsWith(`${props.appId}:`)) {
    throw new Error("This app's database is misconfigured (the scratch database belongs to another app).");
  }
  return checkScratchName(props.databaseName);
}
