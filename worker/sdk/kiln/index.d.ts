export type ColumnType = "text" | "integer" | "number" | "boolean" | "json" | "datetime";
/** `optional` columns accept null; a datetime is ISO-8601 text. */
export interface ColumnSpec { type: ColumnType; optional?: boolean; default?: string | number | boolean | null }
export type ColumnDeclaration = ColumnType | `${ColumnType}?` | ColumnSpec;
/** Columns by name; Kiln adds `id`, `created_at`, `updated_at`. */
export type TableDeclaration = Record<string, ColumnDeclaration>;
export type Tables = Record<string, TableDeclaration>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type SqlValue = string | number | boolean | null;

type TypeOf<T> = T extends "text" | "datetime" ? string : T extends "integer" | "number" ? number : T extends "boolean" ? boolean : JsonValue;
type Value<C> = TypeOf<C extends ColumnSpec ? C["type"] : C extends `${infer B}?` ? B : C>;
type IsOptional<C> = C extends `${string}?` | { optional: true } | { default: string | number | boolean | null } ? true : false;
type RequiredKeys<T> = { [K in keyof T]: IsOptional<T[K]> extends true ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

export type Row<T extends TableDeclaration> = { id: number; created_at: string; updated_at: string } & { [K in RequiredKeys<T>]: Value<T[K]> } & { [K in OptionalKeys<T>]: Value<T[K]> | null };
export type NewRow<T extends TableDeclaration> = { [K in RequiredKeys<T>]: Value<T[K]> } & { [K in OptionalKeys<T>]?: Value<T[K]> | null };
/** `where` matches by equality; `limit` ≤1000, default 100. */
export interface ListOptions<T extends TableDeclaration> { where?: Partial<Row<T>>; orderBy?: keyof Row<T> & string; order?: "asc" | "desc"; limit?: number; offset?: number }

/** The app's own database (preview and live are separate). */
export interface AppDatabase<T extends Tables = Tables> {
  list<K extends keyof T & string>(table: K, options?: ListOptions<T[K]>): Promise<Row<T[K]>[]>;
  get<K extends keyof T & string>(table: K, id: number): Promise<Row<T[K]> | null>;
  /** A repeated `key` (7 days) writes nothing and returns the first row. */
  insert<K extends keyof T & string>(table: K, row: NewRow<T[K]>, options?: { key: string }): Promise<Row<T[K]>>;
  update<K extends keyof T & string>(table: K, id: number, patch: Partial<NewRow<T[K]>>): Promise<Row<T[K]> | null>;
  delete<K extends keyof T & string>(table: K, id: number): Promise<boolean>;
  count<K extends keyof T & string>(table: K, where?: Partial<Row<T[K]>>): Promise<number>;
  /** Your tables by their declared names: `query("select * from todos where done = ?", [false])` */
  query<R = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<R[]>;
}

/** All an app gets; `AppEnv<typeof tables>` types rows; FILES: put(name, file), get(name): Response | null, list(), delete(name), url(name, { expiresIn }). */
export interface AppEnv<T extends Tables = Tables> { DB: AppDatabase<T>; FILES: import("./files").AppFiles; CONFIG: Readonly<Record<string, string>>; KILN: { appId: string; environment: "preview" | "live"; version: string } }
export interface AppHandler<T extends Tables = Tables> { fetch(request: Request, env: AppEnv<T>, ctx: ExecutionContext): Response | Promise<Response> }

export declare function defineTables<const T extends Tables>(tables: T): T;
export declare function defineApp<T extends Tables = Tables>(handler: AppHandler<T>): AppHandler<T>;
/** `export const checks: Check[]` (≤20): run in order before deploy on one scratch DB (rows persist; CONFIG: setup defaults + owner values); no redirects. Pass if status (default < 400), contains and each json path ("items.0.name", "items.length") hold. trigger: an automation (json checks its output) or a Stripe event to onStripeEvent. as: "owner", "visitor" or a role. */
export interface Check { name: string; path?: string; method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; form?: Record<string, string>; status?: number; contains?: string; json?: Record<string, JsonValue>; as?: string; trigger?: { automation: string; input?: JsonValue } | { stripe: string; object?: Record<string, JsonValue> } }
/** `export const automations: Automations<typeof tables>`; cron: 5 fields in timezone (IANA, UTC default); webhook: true gives a URL; missed: "run_once" default; attempts: 3 default. */
export interface Automation<T extends Tables = Tables> { cron?: string; timezone?: string; webhook?: boolean; missed?: "skip" | "run_once"; attempts?: number; /** Its result is kept (as JSON) on the run. */ run(run: AutomationRun, env: AppEnv<T>): Promise<unknown> }
export type Automations<T extends Tables = Tables> = Record<string, Automation<T>>;
/** idempotencyKey: same on each retry (also sent to Stripe; key each insert with it + ":" + item); input: webhook or manual JSON. */
export interface AutomationRun { name: string; trigger: "cron" | "webhook" | "manual"; scheduledAt: string | null; attempt: number; idempotencyKey: string; input: JsonValue }
/** `export const setup = { OWNER_EMAIL: { type: "email", label: "Your email" } } satisfies Setup`: Kiln asks the owner; publishing waits for each non-optional value. */
export type Setup = Record<string, SetupItem>;
export type SetupItem = { label: string; help?: string; optional?: boolean } & (
  | { type: "text" | "email" | "url" | "number" | "timezone" | "time"; default?: string }
  /** Kiln finds or creates the spreadsheet `title` (with `headers` as row 1); CONFIG[KEY] = its id. */
  | { type: "google_sheet"; title: string; headers?: string[] }
  /** Kiln finds or creates table `name` in a base the owner picks; CONFIG[KEY] = table id, CONFIG[KEY + "_BASE"] = base id. */
  | { type: "airtable_table"; name: string; fields: Record<string, "singleLineText" | "multilineText" | "email" | "phoneNumber" | "url" | "number" | "currency" | "date" | "dateTime" | "checkbox"> }
);
type Guard = import("hono").MiddlewareHandler;
/** Who is signed in (the owner has role "owner" and passes every guard); guards answer 401/403, pages go to sign-in. */
export declare function visitor(c: import("hono").Context): { id: string; email: string; roles: string[] } | null;
export declare function requireVisitor(): Guard;
export declare function requireOwner(): Guard;
export declare function requireRole(...roles: string[]): Guard;
/** `export const roles: Roles` (for invitees), `access: Access` (the live rule unless the owner sets one). */
export type Roles = readonly string[];
export type Access = "public" | "signed_in" | "invited" | "owner" | { domains: string[] };
/** MCP tools; input: z.object */
export type Tools<T extends Tables = Tables> = Record<string, { description: string; input: object; roles?: Roles; run(input: any, env: AppEnv<T>, caller: ReturnType<typeof visitor>): unknown }>;
