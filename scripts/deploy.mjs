// `npm run deploy`: both Workers to Cloudflare (`env.production`), in an order that also works the very first time.
// The control plane binds the runner (RUNNER, and APP_DATA from its class) and the runner binds the control plane
// (CONTROL), and Cloudflare refuses a binding to a Worker that does not exist yet. So when the runner is not there
// yet, it is first deployed without its CONTROL binding (a config derived from wrangler.runner.jsonc), then the
// control plane, then the runner as configured. An existing runner is never deployed without its binding.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const RUNNER_CONFIG = "wrangler.runner.jsonc";
/** Written beside the real config (so its paths resolve the same), only while the first deploy runs. */
export const BOOTSTRAP_CONFIG = "wrangler.runner.bootstrap.json";

/** wrangler.runner.jsonc without any service binding: what can be deployed before the control plane exists. */
export function bootstrapRunnerConfig() {
  const text = readFileSync(path.join(root, RUNNER_CONFIG), "utf8");
  const { config, error } = ts.parseConfigFileTextToJson(RUNNER_CONFIG, text);
  if (error) throw new Error(`${RUNNER_CONFIG} is not valid JSON with comments`);
  const { services: _top, ...top } = config;
  const { services: _production, ...production } = config.env.production;
  return { ...top, env: { ...config.env, production } };
}

// Second-level labels under which registrars sell domains (example.co.uk): a heuristic, not the Public Suffix List,
// enough to tell `apps.example.com` + `kiln.example.com` (one site) from `example-apps.com` + `kiln.example.com`.
const SECOND_LEVEL = new Set(["ac", "co", "com", "edu", "gov", "net", "org", "ne", "or"]);

/** The registrable domain of a host (`a.b.example.co.uk` → `example.co.uk`), by the heuristic above. */
export function registrableDomain(host) {
  const labels = host.toLowerCase().replace(/:\d+$/, "").split(".").filter(Boolean);
  const take = labels.length >= 3 && SECOND_LEVEL.has(labels.at(-2)) && labels.at(-1).length === 2 ? 3 : 2;
  return labels.slice(-take).join(".");
}

/**
 * A warning when the platform host and the apps domain are one site (one registrable domain): a browser then
 * sends SameSite cookies between them, and any cookie scoped to the shared parent reaches both. Null when apart.
 */
export function sharedSiteWarning(platformHost, appsDomain) {
  if (!platformHost || !appsDomain) return null;
  const site = registrableDomain(platformHost);
  if (site !== registrableDomain(appsDomain)) return null;
  return (
    `Warning: the platform host ${platformHost} and the apps domain ${appsDomain} are both under ${site}. ` +
    "Apps are code written by a model: serve them from a registrable domain of their own (e.g. example-apps.com), " +
    "as workers.dev and val.run do, so an app can never share a site with Kiln's own session."
  );
}

/**
 * A warning when KILN_URL does not name the platform host: an app's sign-in page links its owner there to enter
 * signed in, so a stale example address sends owners nowhere. Null when it matches or either is unset.
 */
export function kilnUrlWarning(platformHost, kilnUrl) {
  if (!platformHost) return null;
  let host = null;
  try {
    host = kilnUrl ? new URL(kilnUrl).host : null;
  } catch {}
  if (host === platformHost.toLowerCase()) return null;
  return (
    `Warning: KILN_URL (${kilnUrl || "unset"}) is not https://${platformHost}, the platform host of wrangler.jsonc. ` +
    "Set it in env.production.vars: an app's sign-in page links its owner there to enter without a code."
  );
}

/** The production platform host (the first custom-domain route of wrangler.jsonc) and APPS_DOMAIN, when set. */
export function productionHosts() {
  const text = readFileSync(path.join(root, "wrangler.jsonc"), "utf8");
  const { config } = ts.parseConfigFileTextToJson("wrangler.jsonc", text);
  const production = config?.env?.production ?? {};
  const route = (production.routes ?? []).find((r) => typeof r === "object" && r.custom_domain);
  return {
    platformHost: route?.pattern ?? null,
    appsDomain: production.vars?.APPS_DOMAIN ?? null,
    kilnUrl: production.vars?.KILN_URL ?? null,
  };
}

function wrangler(args, { quiet = false } = {}) {
  const run = spawnSync(process.execPath, [wranglerJs, ...args], { cwd: root, encoding: "utf8", env: process.env });
  if (!quiet || run.status === 0) process.stdout.write(run.stdout ?? "");
  if (!quiet || run.status === 0) process.stderr.write(run.stderr ?? "");
  return { ok: run.status === 0, output: `${run.stdout}\n${run.stderr}` };
}

/** Whether Cloudflare says the runner Worker does not exist (any other failure is not taken for that). */
function runnerMissing() {
  const asked = wrangler(["deployments", "list", "-c", RUNNER_CONFIG, "--env", "production"], { quiet: true });
  return !asked.ok && /10007|script_not_found|not found|does not exist/i.test(asked.output);
}

function deployOrExit(args) {
  if (!wrangler(["deploy", ...args, "--env", "production"]).ok) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { platformHost, appsDomain, kilnUrl } = productionHosts();
  for (const warning of [sharedSiteWarning(platformHost, appsDomain), kilnUrlWarning(platformHost, kilnUrl)])
    if (warning) console.warn(warning);
  if (runnerMissing()) {
    console.log("The runner is not deployed yet: deploying it first without its binding to the control plane.");
    const file = path.join(root, BOOTSTRAP_CONFIG);
    writeFileSync(file, JSON.stringify(bootstrapRunnerConfig(), null, 2));
    try {
      deployOrExit(["-c", BOOTSTRAP_CONFIG]);
    } finally {
      rmSync(file, { force: true });
    }
  }
  deployOrExit([]);
  deployOrExit(["-c", RUNNER_CONFIG]);
}
