// `npm run vault:rotate`: re-wraps every data key in the vault under a new
// master key. Secrets themselves are never decrypted or rewritten: only the
// small wrapped keys change. See docs/vault.md for when and how.
//
//   npm run vault:rotate                        local: new key in .dev.vars, local D1 re-wrapped
//   npm run vault:rotate -- --print-new-key     print a fresh master key (for `wrangler secret put`)
//   npm run vault:rotate -- --remote            Cloudflare D1: re-wrap from KILN_MASTER_KEY_PREVIOUS
//                                               to KILN_MASTER_KEY, both read from this shell's environment
// Options: --persist-to <dir> (local state, default .wrangler/state), --dev-vars <file>, --config <wrangler config>
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { importMasterKey } from "../worker/src/vault/master-key.ts";
import { KEY_USAGE_QUERY, WRAPPED_KEYS_QUERY, planRotation } from "../worker/src/vault/rotation.ts";
import { VaultError } from "../worker/src/vault/vault-error.ts";
import { DEV_VARS_PATH, newMasterKeyText, readDevVars, updateDevVars } from "./dev-vars.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");

const { values: options } = parseArgs({
  options: {
    "print-new-key": { type: "boolean", default: false },
    remote: { type: "boolean", default: false },
    "persist-to": { type: "string" },
    "dev-vars": { type: "string", default: DEV_VARS_PATH },
    config: { type: "string", default: path.join(root, "wrangler.jsonc") },
  },
});

/** Runs SQL on the platform D1 (local or remote) through wrangler; returns each statement's rows. */
function d1(args) {
  const target = options.remote
    ? ["--remote", "--yes"]
    : ["--local", ...(options["persist-to"] ? ["--persist-to", options["persist-to"]] : [])];
  try {
    const output = execFileSync(
      wranglerBin,
      ["d1", "execute", "DB", "--config", options.config, ...target, "--json", ...args],
      {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: options.remote ? process.env : { ...process.env, CI: "1" },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return JSON.parse(output).map((result) => result.results ?? []);
  } catch (error) {
    throw new Error(`wrangler d1 execute failed: ${error.stderr || error.stdout || error.message}`);
  }
}

function query(sql) {
  return d1(["--command", sql])[0] ?? [];
}

function execute(statements) {
  const dir = mkdtempSync(path.join(tmpdir(), "kiln-vault-rotate-"));
  try {
    const file = path.join(dir, "rewrap.sql");
    writeFileSync(file, `${statements.join("\n")}\n`, { mode: 0o600 });
    d1(["--file", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The old and new key texts, and whether .dev.vars must be updated before re-wrapping. */
function chooseKeys() {
  if (options.remote) {
    const { KILN_MASTER_KEY: next, KILN_MASTER_KEY_PREVIOUS: old } = process.env;
    if (!next || !old) {
      throw new Error(
        "--remote needs the new key in KILN_MASTER_KEY and the old one in KILN_MASTER_KEY_PREVIOUS (this shell's environment); see docs/vault.md.",
      );
    }
    return { oldText: old, newText: next, writeDevVars: false, resuming: false };
  }
  const vars = readDevVars(options["dev-vars"]);
  if (!vars.KILN_MASTER_KEY)
    throw new Error(`${options["dev-vars"]} has no KILN_MASTER_KEY: nothing to rotate (npm start creates one).`);
  // A previous key left in .dev.vars means an earlier rotation stopped half-way: finish that one.
  if (vars.KILN_MASTER_KEY_PREVIOUS)
    return {
      oldText: vars.KILN_MASTER_KEY_PREVIOUS,
      newText: vars.KILN_MASTER_KEY,
      writeDevVars: false,
      resuming: true,
    };
  return { oldText: vars.KILN_MASTER_KEY, newText: newMasterKeyText(), writeDevVars: true, resuming: false };
}

async function rotate() {
  const keys = chooseKeys();
  const oldKey = await importMasterKey(keys.oldText, "KILN_MASTER_KEY_PREVIOUS");
  const newKey = await importMasterKey(keys.newText, "KILN_MASTER_KEY");
  if (oldKey.id === newKey.id)
    throw new Error("The old and the new master key are the same key: generate a new one with --print-new-key.");
  if (!options.remote) {
    execFileSync(
      wranglerBin,
      [
        "d1",
        "migrations",
        "apply",
        "DB",
        "--config",
        options.config,
        "--local",
        ...(options["persist-to"] ? ["--persist-to", options["persist-to"]] : []),
      ],
      {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, CI: "1" },
      },
    );
  }
  console.log(
    `${keys.resuming ? "Resuming the rotation" : "Rotating"} from master key ${oldKey.id} to ${newKey.id}${options.remote ? " (remote D1)" : ""}.`,
  );

  // Plan first: a data key under a master key we do not have stops everything before any change.
  let plan = await planRotation(query(WRAPPED_KEYS_QUERY), [oldKey], newKey);
  // The new key is saved (with the old one as previous) before any data key depends on it.
  if (keys.writeDevVars)
    updateDevVars({ KILN_MASTER_KEY: keys.newText, KILN_MASTER_KEY_PREVIOUS: keys.oldText }, options["dev-vars"]);

  let rewrapped = 0;
  for (let pass = 0; pass < 5 && plan.statements.length > 0; pass++) {
    execute(plan.statements);
    rewrapped += plan.rewrapped;
    // Secrets a running Worker stored meanwhile under the old key are picked up by the next pass.
    plan = await planRotation(query(WRAPPED_KEYS_QUERY), [oldKey], newKey);
  }
  const leftOver = query(KEY_USAGE_QUERY).filter((usage) => usage.keyId !== newKey.id);
  if (leftOver.length > 0) {
    throw new Error(
      `Data keys are still wrapped under ${leftOver.map((usage) => `${usage.keyId} (${usage.count})`).join(", ")}; run the command again.`,
    );
  }
  console.log(
    `Re-wrapped ${rewrapped} data key(s); every stored credential is now under ${newKey.id}. No secret was decrypted.`,
  );
  if (options.remote) {
    console.log("Finish with: npx wrangler secret delete KILN_MASTER_KEY_PREVIOUS");
  } else {
    updateDevVars({ KILN_MASTER_KEY_PREVIOUS: null }, options["dev-vars"]);
    console.log(`Saved the new key in ${options["dev-vars"]}. Restart npm start so the Worker uses it.`);
  }
}

try {
  if (options["print-new-key"]) console.log(newMasterKeyText());
  else await rotate();
} catch (error) {
  console.error(
    `vault:rotate: ${error instanceof VaultError || error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
