// The first deploy's runner config: the real one without its binding to the control plane, and still deployable.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  BOOTSTRAP_CONFIG,
  bootstrapRunnerConfig,
  kilnUrlWarning,
  registrableDomain,
  sharedSiteWarning,
} from "./deploy.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

test("the first deploy's runner keeps its code, databases and variables, and binds nothing of the control plane", () => {
  const config = bootstrapRunnerConfig();
  assert.equal(config.name, "kiln-runner");
  assert.equal(config.services, undefined);
  assert.equal(config.env.production.services, undefined);
  assert.deepEqual(config.env.production.durable_objects.bindings, [{ name: "APP_DATA", class_name: "AppDataStore" }]);
  assert.deepEqual(config.migrations, [{ tag: "v1", new_sqlite_classes: ["AppDataStore"] }]);
  assert.ok(config.env.production.vars.APPS_DOMAIN);

  const file = path.join(root, BOOTSTRAP_CONFIG);
  const out = mkdtempSync(path.join(tmpdir(), "kiln-bootstrap-"));
  writeFileSync(file, JSON.stringify(config));
  try {
    execFileSync(
      process.execPath,
      [
        path.join(root, "node_modules/wrangler/bin/wrangler.js"),
        "deploy",
        "--dry-run",
        "-c",
        BOOTSTRAP_CONFIG,
        "--env",
        "production",
        "--outdir",
        out,
      ],
      { cwd: root, stdio: "ignore", env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" } },
    );
    assert.ok(readdirSync(out).includes("index.js"));
  } finally {
    rmSync(file, { force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test("deploying warns when apps share a registrable domain with the platform, and only then", () => {
  assert.equal(registrableDomain("kiln.example.com"), "example.com");
  assert.equal(registrableDomain("a.apps.example.co.uk"), "example.co.uk");
  assert.equal(registrableDomain("apps.example.com:443"), "example.com");
  assert.match(sharedSiteWarning("kiln.example.com", "apps.example.com"), /both under example\.com/);
  assert.match(sharedSiteWarning("kiln.example.co.uk", "apps.example.co.uk"), /both under example\.co\.uk/);
  assert.equal(sharedSiteWarning("kiln.example.com", "example-apps.com"), null);
  assert.equal(sharedSiteWarning("kiln.example.co.uk", "apps.other.co.uk"), null);
  assert.equal(sharedSiteWarning(null, "apps.example.com"), null);
});

test("warns when KILN_URL, where sign-in pages send an app's owner, is not the platform host", () => {
  assert.equal(kilnUrlWarning("kiln.example.org", "https://kiln.example.org"), null);
  assert.match(kilnUrlWarning("kiln.example.org", "https://kiln.example.com"), /is not https:\/\/kiln\.example\.org/);
  assert.match(kilnUrlWarning("kiln.example.org", null), /KILN_URL \(unset\)/);
  assert.equal(kilnUrlWarning(null, "https://kiln.example.com"), null);
});
