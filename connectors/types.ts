// The contract every connector (`connectors/<id>/`) fulfils, so the control
// plane (vault, connections API, egress proxy) treats them all alike.

/** The connectors Kiln ships; an app declares the ones it uses. */
export type ConnectorId = "stripe" | "airtable" | "google" | "ai";

// Every id once; a new member of the union without an entry here fails to compile.
const KNOWN_CONNECTORS: Readonly<Record<ConnectorId, true>> = { stripe: true, airtable: true, google: true, ai: true };

/** The connector ids, in the order lists show them. */
export const CONNECTOR_IDS = Object.keys(KNOWN_CONNECTORS) as readonly ConnectorId[];

/** Whether `value` names a connector Kiln ships (a path segment, a query value, a stored list). */
export function isConnectorId(value: unknown): value is ConnectorId {
  return typeof value === "string" && Object.hasOwn(KNOWN_CONNECTORS, value);
}

/** How the owner proves who they are to the upstream service. */
export type CredentialKind = "api_key" | "oauth2";

/**
 * What the egress proxy and the connections API need to know about a
 * connector. Pure data: reviewed as a security boundary, so no callbacks.
 */
export interface ConnectorRule {
  id: ConnectorId;
  /** Name shown to people ("Stripe"). */
  label: string;
  kind: CredentialKind;
  /**
   * Exact hosts the in-app client calls: lower-case ASCII, no port, no
   * trailing dot. The credential is added only on an exact match.
   */
  hosts: readonly string[];
  /**
   * Platform variable that overrides the upstream base URL (e.g.
   * STRIPE_API_BASE=http://127.0.0.1:9100): the proxy sends calls for every
   * host of this connector there, path and query unchanged. Unset: the real host.
   */
  upstreamVar: string;
  /** Header form of the injected credential; every shipped connector uses a bearer token. */
  inject: { header: "authorization"; scheme: "Bearer" };
  /** Headers the proxy always adds (e.g. a pinned API version); never secrets. */
  fixedHeaders?: Readonly<Record<string, string>>;
  /**
   * How the service makes a write idempotent. Inside an automation run the
   * proxy sets `header` to the run's key for that write, so a retried run does
   * not act twice; a key the app chose itself is kept, one the client made up
   * (it starts with `generatedPrefix`) is replaced.
   */
  idempotency?: { header: string; generatedPrefix: string };
  /** Cheap read that proves a credential works; sent at connect and test time. */
  check: { method: "GET"; host: string; path: string };
}

/** A request a fake upstream received, as tests inspect it (`GET /__fake/requests`). */
export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A running loopback fake of a third-party service (tests and demo mode).
 * Each `connectors/<id>/fake/server.ts` exports
 * `startFake(options?: { port?: number }): Promise<FakeUpstream>`.
 */
export interface FakeUpstream {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Platform variables that point Kiln at this fake, e.g. { STRIPE_API_BASE: url }. */
  vars: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A connector's whole API as the model reads it on request (generated, e.g. scripts/build-stripe-api.mjs): the
 * methods of each resource (`stripe.charges` → list, create, …), each method's signature and each type's body,
 * compact (one line each). The type-checker reads the full declarations instead.
 */
export interface ApiCatalog {
  /** By path (`stripe.checkout.sessions`): its methods, and the namespace its own types are named in (`Checkout.`). */
  resources: Readonly<Record<string, { prefix: string; methods: readonly string[] }>>;
  methods: Readonly<Record<string, string>>;
  types: Readonly<Record<string, string>>;
  /** Namespaces the index names without their resources (`stripe.issuing`); a lookup of one lists them. */
  folded?: readonly string[];
  /** What the context says of the connector instead of its declarations (brief.md; added by the seed). */
  brief?: string;
  /** The connector's own module declarations (index.d.ts) as a lookup of `kiln/<id>` answers (added by the seed). */
  module?: string;
}
