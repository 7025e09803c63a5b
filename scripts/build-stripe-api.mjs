#!/usr/bin/env node
// Builds the full Stripe API apps may call through `kiln/stripe`, from the `stripe` package's own declarations:
//  - connectors/stripe/api/: its resource declarations (v1; the v2 client is another protocol), comments removed,
//    with the SDK's plumbing (StripeResource, the Stripe class, Node's types) cut out and lib.d.ts replaced by the
//    few shapes apps meet (lists, search results, request options without keys). The type-checker reads these.
//  - connectors/stripe/api/catalog.json: the same API as the model reads it on request (progressive disclosure):
//    per resource its methods and the namespace its types are named in, a compact signature per method, a
//    compact body per type.
// Run by scripts/build-seed.mjs; the output is generated (gitignored).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sdkDir = join(root, "node_modules/stripe/esm");
const outDir = join(root, "connectors/stripe/api");

/** Namespaces of the Stripe class left out: v2 is a different client; test helpers act on test mode only. */
const EXCLUDED_PROPERTIES = new Set(["v2", "testHelpers"]);
const EXCLUDED_DIRS = new Set(["V2", "TestHelpers"]);

/** What the resources import from the SDK's lib.d.ts, as apps see it: no keys, accounts or raw headers per call. */
const LIB = `export interface RequestOptions {
    idempotencyKey?: string;
    timeout?: number;
}
export type Response<T> = T;
export interface ApiList<T> {
    object: 'list';
    data: Array<T>;
    has_more: boolean;
    url: string;
}
export interface ApiListPromise<T> extends Promise<ApiList<T>>, AsyncIterableIterator<T> {
    autoPagingEach(handler: (item: T) => boolean | void | Promise<boolean | void>): Promise<void>;
    autoPagingToArray(opts: {
        limit: number;
    }): Promise<Array<T>>;
}
export interface ApiSearchResult<T> {
    object: 'search_result';
    data: Array<T>;
    has_more: boolean;
    url: string;
    next_page: string | null;
    total_count?: number;
}
export interface ApiSearchResultPromise<T> extends Promise<ApiSearchResult<T>>, AsyncIterableIterator<T> {
    autoPagingEach(handler: (item: T) => boolean | void | Promise<boolean | void>): Promise<void>;
    autoPagingToArray(opts: {
        limit: number;
    }): Promise<Array<T>>;
}
export interface FileData {
    data: string | Uint8Array;
    name?: string;
    type?: string;
}
export type StripeStreamResponse = ReadableStream<Uint8Array>;
`;

const printer = ts.createPrinter({ removeComments: true });

/** Every .d.ts under `dir`, relative paths. */
function declarationFiles(dir, base = dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!EXCLUDED_DIRS.has(name)) found.push(...declarationFiles(path, base));
    } else if (name.endsWith(".d.ts")) found.push(relative(base, path));
  }
  return found;
}

/** A resource file without the SDK's plumbing: no StripeResource base, no Stripe-class constructor. */
function stripPlumbing(text, file) {
  const lines = printer
    .printFile(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true))
    .split("\n")
    .filter(
      (line) =>
        !/^import \{ StripeResource \} from /.test(line) &&
        !/^import \{ Stripe \} from .*stripe\.core\.js';$/.test(line) &&
        !/^import \{ multipartRequestDataProcessor \} from /.test(line) &&
        !/^\s*private readonly stripe;$/.test(line) &&
        !/^\s*constructor\(stripe: Stripe\);$/.test(line) &&
        !/^\s*requestDataProcessor: typeof multipartRequestDataProcessor;$/.test(line) &&
        !/^\/\/\/ <reference/.test(line),
    )
    .map((line) => line.replace(/ extends StripeResource\b/, ""));
  const out = lines.join("\n");
  for (const match of out.matchAll(/from '([^']+)'/g)) {
    const target = join(dirname(file), match[1]).replace(/\.js$/, ".d.ts");
    if (!target.startsWith("resources/") && !["lib.d.ts", "shared.d.ts", "Decimal.d.ts"].includes(target))
      throw new Error(`build-stripe-api: ${file} imports ${match[1]}, which apps' declarations do not carry`);
  }
  return out;
}

/** The resources the Stripe class exposes, as `{ property, type, file }`, read from stripe.core.d.ts. */
function clientProperties() {
  const core = readFileSync(join(sdkDir, "stripe.core.d.ts"), "utf8");
  const imports = new Map();
  for (const match of core.matchAll(/import \{([^}]+)\} from '\.\/(resources\/[^']+)\.js';/g))
    for (const name of match[1].split(",").map((n) => n.trim().split(" as ").pop()))
      if (name) imports.set(name, match[2]);
  const properties = [];
  for (const match of core.matchAll(/^ {4}([a-z][A-Za-z0-9]*): ([A-Z][A-Za-z0-9]*);$/gm)) {
    const [, property, type] = match;
    if (EXCLUDED_PROPERTIES.has(property) || !imports.has(type)) continue;
    properties.push({ property, type, file: imports.get(type) });
  }
  if (properties.length < 50)
    throw new Error(`build-stripe-api: only ${properties.length} resources found in stripe.core.d.ts`);
  return properties;
}

function clientDeclaration(properties) {
  const imports = properties.map((p) => `import type { ${p.type} } from './${p.file}.js';`);
  const fields = properties.map((p) => `    ${p.property}: ${p.type};`);
  const reexports = properties.map((p) => `export type * from './${p.file}.js';`);
  return `${imports.join("\n")}\n/** Every v1 resource of the Stripe API, as the official SDK names them. */\nexport interface StripeApi {\n${fields.join("\n")}\n}\n${reexports.join("\n")}\n`;
}

// --- The catalog the model reads: index lines, method signatures, type bodies. ---

const compact = (node, source) =>
  printer
    .printNode(ts.EmitHint.Unspecified, node, source)
    .replace(/\s*\n\s*/g, " ")
    .replace(/;\s*}/g, "; }");

/** Methods and types of one declaration file, named as apps write them (namespace prefix for nested folders). */
function readCatalogFile(file, text, prefix, catalog, resourceTypes) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visitTypes = (statements, qualifier) => {
    for (const statement of statements) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
        const name = `${qualifier}${statement.name.text}`;
        catalog.types[name] = compact(statement, source).replace(/^export (declare )?/, "");
      } else if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) {
        // A nested folder's file declares its params in `namespace Checkout`, which is the folder's own namespace.
        const inner = qualifier.endsWith(`${statement.name.text}.`) ? qualifier : `${qualifier}${statement.name.text}.`;
        visitTypes(statement.body.statements, inner);
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        const methods = [];
        for (const member of statement.members) {
          if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
          methods.push({ name: member.name.text, signature: compact(member, source) });
        }
        if (methods.length > 0) resourceTypes.set(`${prefix}${statement.name.text}`, { prefix, methods });
      }
    }
  };
  visitTypes(source.statements, prefix);
}

/** The namespace classes (`Checkout { sessions: SessionResource }`) map a property path to a resource class. */
function namespaceMembers(text, file) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const members = [];
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const member of statement.members) {
      if (
        ts.isPropertyDeclaration(member) &&
        member.type &&
        ts.isTypeReferenceNode(member.type) &&
        ts.isIdentifier(member.name)
      )
        members.push({ property: member.name.text, type: member.type.typeName.getText(source) });
    }
  }
  return members;
}

const FOLDED_NAMESPACES = [
  "stripe.apps",
  "stripe.billing",
  "stripe.climate",
  "stripe.entitlements",
  "stripe.financialConnections",
  "stripe.forwarding",
  "stripe.identity",
  "stripe.issuing",
  "stripe.productCatalog",
  "stripe.radar",
  "stripe.reporting",
  "stripe.sigma",
  "stripe.tax",
  "stripe.terminal",
  "stripe.threeDSecure",
  "stripe.treasury",
];

function buildCatalog(properties, stripped) {
  const catalog = { resources: {}, methods: {}, types: {} };
  const resourceTypes = new Map();
  for (const [file, text] of stripped) {
    if (file === "shared.d.ts") readCatalogFile(file, text, "", catalog, resourceTypes);
    if (!file.startsWith("resources/") || file.endsWith("index.d.ts")) continue;
    const parts = file.split("/");
    const prefix = parts.length > 2 ? `${parts.slice(1, -1).join(".")}.` : "";
    readCatalogFile(file, text, prefix, catalog, resourceTypes);
  }
  const addResource = (path, typeName) => {
    const resource = resourceTypes.get(typeName);
    if (!resource) return;
    catalog.resources[path] = { prefix: resource.prefix, methods: resource.methods.map((m) => m.name) };
    for (const m of resource.methods) catalog.methods[`${path}.${m.name}`] = m.signature;
  };
  for (const p of properties) {
    if (p.file.endsWith("/index")) {
      const namespace = p.file.split("/")[1];
      const walk = (file, pathPrefix, typePrefix) => {
        for (const member of namespaceMembers(stripped.get(`${file}.d.ts`) ?? "", file)) {
          const path = `${pathPrefix}.${member.property}`;
          if (member.type.endsWith("Resource")) addResource(path, `${typePrefix}${member.type}`);
          else walk(`${dirname(file)}/${member.type}/index`, path, `${typePrefix}${member.type}.`);
        }
      };
      walk(p.file, `stripe.${p.property}`, `${namespace}.`);
    } else addResource(`stripe.${p.property}`, p.type);
  }
  // Stripe's products of their own (each enabled separately in the dashboard), which an app seldom reaches: the
  // index names them and a lookup of one lists its resources, so every request does not pay for them.
  catalog.folded = FOLDED_NAMESPACES.filter((n) => Object.keys(catalog.resources).some((r) => r.startsWith(`${n}.`)));
  return catalog;
}

function main() {
  if (!existsSync(sdkDir)) throw new Error("build-stripe-api: node_modules/stripe is missing; run npm install");
  rmSync(outDir, { recursive: true, force: true });
  const stripped = new Map();
  for (const file of declarationFiles(join(sdkDir, "resources")).map((f) => `resources/${f}`))
    stripped.set(file, stripPlumbing(readFileSync(join(sdkDir, file), "utf8"), file));
  for (const file of ["shared.d.ts", "Decimal.d.ts"])
    stripped.set(file, stripPlumbing(readFileSync(join(sdkDir, file), "utf8"), file));
  stripped.set("lib.d.ts", LIB);
  const properties = clientProperties();
  stripped.set("client.d.ts", clientDeclaration(properties));
  for (const [file, text] of stripped) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), text);
  }
  const catalog = buildCatalog(properties, stripped);
  writeFileSync(join(outDir, "catalog.json"), JSON.stringify(catalog));
  const bytes = [...stripped.values()].reduce((n, t) => n + t.length, 0);
  console.log(
    `build-stripe-api: ${stripped.size} declaration files (${(bytes / 1024).toFixed(0)} KB), ${Object.keys(catalog.resources).length} resources, ${Object.keys(catalog.methods).length} methods, ${Object.keys(catalog.types).length} types`,
  );
}

main();
