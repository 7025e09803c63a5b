/**
 * Bindings of the local front door, written into its workerd config by scripts/front-door.mjs (it has no wrangler
 * config of its own: on Cloudflare, routes do its job).
 */
export interface FrontEnv {
  /** `{slug}.APPS_DOMAIN` and `{slug}--preview.APPS_DOMAIN` go to the runners, every other host to the control plane. */
  APPS_DOMAIN: string;
  /** How many runner processes there are: RUNNER_0 … RUNNER_{n-1}. */
  RUNNER_COUNT: string;
  /** Shared with the runners only: marks the request ids this front door gave. */
  KILN_FRONT_SECRET: string;
  CONTROL: Fetcher;
  /** The control plane's PlatformEntry through a direct socket: `/api/*` of the platform host, without miniflare's entry. */
  CONTROL_API?: Fetcher;
  [runner: `RUNNER_${number}`]: Fetcher;
}
