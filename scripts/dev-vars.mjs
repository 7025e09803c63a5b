// Local Worker secrets for `npm start`: `.dev.vars` at the repository root
// (gitignored), which wrangler loads as secrets of the Workers it starts.
// Today it holds the vault's master key, generated on first start.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where wrangler looks for local secrets of the Workers configured at the root. */
export const DEV_VARS_PATH = path.join(root, ".dev.vars");

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

function unquote(value) {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}

/** The KEY=VALUE pairs of a dev-vars file ({} when it does not exist). */
export function readDevVars(file = DEV_VARS_PATH) {
  if (!existsSync(file)) return {};
  const values = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (match) values[match[1]] = unquote(match[2]);
  }
  return values;
}

/**
 * Sets (string) or removes (null) variables, keeping every other line as it
 * was. Written to a temporary file and renamed, owner-only, so a crash never
 * leaves a half-written key behind.
 */
export function updateDevVars(changes, file = DEV_VARS_PATH) {
  const pending = new Map(Object.entries(changes));
  const lines = existsSync(file) ? readFileSync(file, "utf8").replace(/\n$/, "").split(/\r?\n/) : [];
  const kept = [];
  for (const line of lines) {
    const name = LINE.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) {
      kept.push(line);
      continue;
    }
    const value = pending.get(name);
    pending.delete(name);
    if (value !== null) kept.push(`${name}=${value}`);
  }
  for (const [name, value] of pending) if (value !== null) kept.push(`${name}=${value}`);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, kept.length > 0 ? `${kept.join("\n")}\n` : "", { mode: 0o600 });
  renameSync(temporary, file);
}

/** A fresh vault master key: 32 random bytes, base64. */
export function newMasterKeyText() {
  return randomBytes(32).toString("base64");
}

/**
 * Makes sure `.dev.vars` holds a vault master key, generating one on first
 * start, and returns the vault's variables so the caller can pass them to the
 * control plane explicitly. An existing key is never replaced: it is what
 * encrypted the stored connections (rotate with `npm run vault:rotate`).
 */
export function ensureDevVars({ file = DEV_VARS_PATH, log = console.log } = {}) {
  let values = readDevVars(file);
  if (!values.KILN_MASTER_KEY) {
    updateDevVars({ KILN_MASTER_KEY: newMasterKeyText() }, file);
    values = readDevVars(file);
    log(
      `Generated a local vault master key in ${path.relative(process.cwd(), file) || file} (keep it: stored connections cannot be read without it).`,
    );
  }
  if (Buffer.from(values.KILN_MASTER_KEY, "base64").length !== 32) {
    throw new Error(
      `KILN_MASTER_KEY in ${file} is not 32 bytes of base64. Fix or remove that line (removing it makes stored connections unreadable).`,
    );
  }
  const vars = { KILN_MASTER_KEY: values.KILN_MASTER_KEY };
  if (values.KILN_MASTER_KEY_PREVIOUS) vars.KILN_MASTER_KEY_PREVIOUS = values.KILN_MASTER_KEY_PREVIOUS;
  return vars;
}
