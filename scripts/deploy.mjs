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
