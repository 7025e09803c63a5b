// Runs the real `scripts/vault-rotate.mjs` against a throwaway local D1
// (wrangler's local persistence) and a throwaway .dev.vars:
//   node --test scripts/vault-rotate.test.mjs      (npm run test:vault-rotate)
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { openSecret, sealSecret } from "../worker/src/vault/envelope.ts";
import { generateMasterKeyText, loadKeyring } from "../worker/src/vault/master-key.ts";
import { ensureDevVars, readDevVars, updateDevVars } from "./dev-vars.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
const work = mkdtempSync(path.join(tmpdir(), "kiln-rotate-test-"));
const persistTo = path.join(work, "state");
const devVars = path.join(work, ".dev.vars");
const OWNER = "usr_rotatetest000001";

function d1(sql) {
  const output = execFileSync(
    wranglerBin,
    ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql],
    {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1" },
    },
  );
  return JSON.parse(output)[0].results;
}

function rotate(...args) {
  return spawnSync(
    process.execPath,
    [path.join(root, "scripts", "vault-rotate.mjs"), "--persist-to", persistTo, "--dev-vars", devVars, ...args],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
}

async function storeSealed(keyText, recordId, plaintext) {
  const sealed = await sealSecret(await loadKeyring({ current: keyText }), plaintext, { ownerId: OWNER, recordId });
  d1(
    `INSERT INTO vault_secrets (record_id, owner_id, scheme, ciphertext, iv, wrapped_key, key_id, created_at, updated_at) VALUES ` +
      `('${recordId}', '${OWNER}', '${sealed.scheme}', '${sealed.ciphertext}', '${sealed.iv}', '${sealed.wrappedKey}', '${sealed.keyId}', 'now', 'now')`,
  );
}

function rows() {
  return d1(
    "SELECT record_id AS recordId, scheme, ciphertext, iv, wrapped_key AS wrappedKey, key_id AS keyId FROM vault_secrets ORDER BY record_id",
  );
}

const secrets = {
  con_rotate_a: "sk_test_rotate_alpha_1111",
  con_rotate_b: "patRotate.beta2222",
  oaf_rotate_c: "pkce verifier gamma 3333",
};

describe("vault:rotate", () => {
  before(async () => {
    execFileSync(wranglerBin, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, CI: "1" },
    });
    d1(
      `INSERT INTO users (id, email, password_hash, created_at) VALUES ('${OWNER}', 'rotate@example.com', 'x', 'now')`,
    );
    writeFileSync(devVars, "# local secrets\nOTHER_SETTING=keep-me\n");
    ensureDevVars({ file: devVars, log: () => {} });
    for (const [recordId, secret] of Object.entries(secrets))
      await storeSealed(readDevVars(devVars).KILN_MASTER_KEY, recordId, secret);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("ensureDevVars creates an owner-only key once and keeps it afterwards", () => {
    const first = readDevVars(devVars).KILN_MASTER_KEY;
    assert.equal(Buffer.from(first, "base64").length, 32);
    assert.equal(statSync(devVars).mode & 0o777, 0o600);
    assert.deepEqual(ensureDevVars({ file: devVars, log: () => {} }), { KILN_MASTER_KEY: first });
    assert.equal(readDevVars(devVars).OTHER_SETTING, "keep-me");
  });

  it("re-wraps every data key under a new key in .dev.vars; every ciphertext is untouched and opens with the new key", async () => {
    const oldKey = readDevVars(devVars).KILN_MASTER_KEY;
    const before = rows();
    const result = rotate();
    assert.equal(result.status, 0, result.stderr);

    const vars = readDevVars(devVars);
    assert.notEqual(vars.KILN_MASTER_KEY, oldKey);
    assert.equal(vars.KILN_MASTER_KEY_PREVIOUS, undefined);
    assert.equal(vars.OTHER_SETTING, "keep-me");
    const newKeyring = await loadKeyring({ current: vars.KILN_MASTER_KEY });
    const after = rows();
    assert.equal(after.length, before.length);
    for (const [i, row] of after.entries()) {
      assert.equal(row.keyId, newKeyring.current.id);
      assert.notEqual(row.wrappedKey, before[i].wrappedKey);
      assert.equal(row.ciphertext, before[i].ciphertext);
      assert.equal(row.iv, before[i].iv);
      assert.equal(
        await openSecret(newKeyring, row, { ownerId: OWNER, recordId: row.recordId }),
        secrets[row.recordId],
      );
    }
    await assert.rejects(
      openSecret(await loadKeyring({ current: oldKey }), after[0], { ownerId: OWNER, recordId: after[0].recordId }),
      /sealed under master key/,
    );
    // Key ids are printed; keys and secrets never are.
    for (const text of [oldKey, vars.KILN_MASTER_KEY, ...Object.values(secrets)])
      assert.ok(!(result.stdout + result.stderr).includes(text));
    assert.match(result.stdout, new RegExp(`Re-wrapped 3 data key\\(s\\).*${newKeyring.current.id}`));
  });

  it("finishes a rotation that stopped half-way (a previous key still in .dev.vars)", async () => {
    const current = readDevVars(devVars).KILN_MASTER_KEY;
    const next = generateMasterKeyText();
    // As if the script had saved the new key and died before re-wrapping.
    updateDevVars({ KILN_MASTER_KEY: next, KILN_MASTER_KEY_PREVIOUS: current }, devVars);
    const result = rotate();
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Resuming/);
    assert.deepEqual(readDevVars(devVars).KILN_MASTER_KEY, next);
    assert.equal(readDevVars(devVars).KILN_MASTER_KEY_PREVIOUS, undefined);
    const keyring = await loadKeyring({ current: next });
    for (const row of rows())
      assert.equal(await openSecret(keyring, row, { ownerId: OWNER, recordId: row.recordId }), secrets[row.recordId]);
  });

  it("changes nothing when a data key is under a master key it does not have", async () => {
    await storeSealed(generateMasterKeyText(), "con_rotate_stranger", "sealed by some other key");
    const varsBefore = readFileSync(devVars, "utf8");
    const rowsBefore = rows();
    const result = rotate();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /vault:rotate: A data key is wrapped under master key mk_[0-9a-f]{16}/);
    assert.equal(readFileSync(devVars, "utf8"), varsBefore);
    assert.deepEqual(rows(), rowsBefore);
  });

  it("--print-new-key prints a fresh 32-byte key and touches nothing", () => {
    const varsBefore = readFileSync(devVars, "utf8");
    const result = rotate("--print-new-key");
    assert.equal(result.status, 0);
    assert.equal(Buffer.from(result.stdout.trim(), "base64").length, 32);
    assert.equal(readFileSync(devVars, "utf8"), varsBefore);
  });
});
