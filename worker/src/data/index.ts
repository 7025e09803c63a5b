/** The per-app database: one SQLite Durable Object per app and environment. */
export { AppDataStore, MAX_QUERY_ROWS } from "./app-data-store";
export {
  appDataStore,
  appDataStoreName,
  checkScratchName,
  ENVIRONMENTS,
  scratchDataStore,
} from "./app-data-store-stub";
export { createAppDatabase, unwrap, type AppDataStoreClient } from "./app-database-client";
export { AppDatabaseGateway, gatewayDatabaseName, type AppDatabaseGatewayProps } from "./app-database-gateway";
export type { DataRow, DataValue } from "./column-values";
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./list-options";
export type { MigrationPlan, SchemaChange } from "./schema-change";
export type { DataErrorCode, DataErrorDetails, DataFailure, DataResult } from "./result";
export {
  COLUMN_TYPES,
  SCHEMA_LIMITS,
  SYSTEM_COLUMNS,
  normaliseTables,
  type AppSchema,
  type ColumnDefinition,
  type TableDefinition,
} from "./schema";
export type { BackupInfo, BackupKind } from "../core/api-shapes/data";
export type * from "./store-types";
