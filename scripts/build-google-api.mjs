#!/usr/bin/env node
// Builds the whole Google Sheets, Calendar, Gmail and Drive APIs apps may call through `kiln/google`, from Google's
// official @googleapis/* packages (their build/v*.d.ts types and build/v*.js request tables):
//  - connectors/google/api/<api>.d.ts: one namespace per API (`Sheets`, `Calendar`, `Gmail`, `Drive`), comments
//    removed, shaped like the official Node client but without googleapis-common's plumbing (no auth, no
//    MethodOptions, callbacks or streams; a method resolves to the data itself, not a Gaxios response). Names lose
//    their `$` parts so the model can look them up: `sheets_v4.Schema$ValueRange` is `Sheets.ValueRange`,
//    `Params$Resource$Spreadsheets$Values$Append` is `Sheets.SpreadsheetsValuesAppendParams`, the resource classes
//    are `Sheets.SpreadsheetsValuesResource`. Parameters Google requires are required. The official names stay
//    usable as aliases (`sheets_v4.Schema$ValueRange`), for code written from memory. Standard parameters are cut
//    to `fields` and `alt`; `media` uploads take a string, Blob or bytes. The type-checker reads these.
//  - connectors/google/api/methods.json: per method path (`sheets.spreadsheets.values.append`) what the in-app
//    client (client.ts) needs to send it: HTTP method, host, URL template, path parameters (in template order),
//    whether it takes a `requestBody`, the upload URL for `media`, and required query parameters.
//  - connectors/google/api/catalog.json: the same API as the model reads it on request (connectors/types.ts
//    ApiCatalog), every type named as apps write it (`Sheets.ValueRange`).
// Run by scripts/build-seed.mjs; the output is generated (ignored by git: the folder carries its own .gitignore).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "connectors/google/api");

/** The APIs apps get, as `google.<id>`: the package, its version file and the names of its namespace. */
const GOOGLE_APIS = [
  { id: "calendar", pkg: "@googleapis/calendar", version: "v3", namespace: "Calendar", official: "calendar_v3" },
  { id: "drive", pkg: "@googleapis/drive", version: "v3", namespace: "Drive", official: "drive_v3" },
  { id: "gmail", pkg: "@googleapis/gmail", version: "v1", namespace: "Gmail", official: "gmail_v1" },
  { id: "sheets", pkg: "@googleapis/sheets", version: "v4", namespace: "Sheets", official: "sheets_v4" },
];

/** What every params type extends, as apps see it: no auth, keys, JSONP or upload protocol (the client sets those). */
const COMMON = `export interface StandardParameters {
    fields?: string;
    alt?: string;
}
export interface Media {
    mimeType?: string;
    body?: string | Blob | ArrayBuffer | ArrayBufferView;
}
`;
const COMMON_TYPES = {
  StandardParameters: "interface StandardParameters { fields?: string; alt?: string; }",
  Media: "interface Media { mimeType?: string; body?: string | Blob | ArrayBuffer | ArrayBufferView; }",
};

const printer = ts.createPrinter({ removeComments: true });
const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);
const OFFICIAL_NAME = /\b(?:Schema|Params|Resource)\$[\w$]*/g;

function fail(message) {
  throw new Error(`build-google-api: ${message}`);
}

/** The official namespace's declarations: schemas, params, resource classes and the API class. */
function readDeclarations(api, text) {
  const source = ts.createSourceFile(`${api.official}.d.ts`, text, ts.ScriptTarget.Latest, true);
  const namespace = source.statements.find((s) => ts.isModuleDeclaration(s) && s.name.text === api.official);
  if (!namespace?.body || !ts.isModuleBlock(namespace.body)) fail(`no namespace ${api.official} in ${api.pkg}`);
  const schemas = new Map();
  const params = new Map();
  const classes = new Map();
  for (const statement of namespace.body.statements) {
    const name = statement.name?.text;
    if (ts.isInterfaceDeclaration(statement) && name.startsWith("Schema$")) schemas.set(name, statement);
    else if (ts.isInterfaceDeclaration(statement) && name.startsWith("Params$")) params.set(name, statement);
    else if (ts.isClassDeclaration(statement) && name) classes.set(name, readClass(statement, source));
  }
  return { source, schemas, params, classes };
}

/** A resource class: its sub-resources (properties) and, per method, its params type and what it resolves to. */
function readClass(node, source) {
  const properties = [];
  const methods = new Map();
  for (const member of node.members) {
    if (ts.isPropertyDeclaration(member) && member.type && ts.isTypeReferenceNode(member.type)) {
      const type = member.type.typeName.getText(source);
      if (type.startsWith("Resource$")) properties.push({ name: member.name.getText(source), type });
    }
    if (!ts.isMethodDeclaration(member) || !member.type) continue;
    // The promise overload without streams: (params?: Params$…, options?: MethodOptions): Promise<Gaxios…<T>>.
    const returns = member.type.getText(source);
    const match = /^Promise<GaxiosResponseWithHTTP2<([\s\S]+)>>$/.exec(returns);
    const [params, options] = member.parameters;
    if (!match || match[1] === "Readable" || options?.type?.getText(source) !== "MethodOptions") continue;
    methods.set(member.name.getText(source), { params: params.type.getText(source), result: match[1] });
  }
  return { properties, methods };
}

/** Per resource class and method, what googleapis sends: read out of build/v*.js. */
function readRequests(api, js) {
  const requests = new Map();
  const classes = [...js.matchAll(/^ {4}class (Resource\$[\w$]+) \{$/gm)];
  classes.forEach((match, index) => {
    const body = js.slice(match.index, classes[index + 1]?.index ?? js.length);
    const methods = new Map();
    const starts = [...body.matchAll(/^ {8}(\w+)\(paramsOrCallback, optionsOrCallback, callback\) \{$/gm)];
    starts.forEach((start, i) => {
      const text = body.slice(start.index, starts[i + 1]?.index ?? body.length);
      const one = (pattern, what) => pattern.exec(text)?.[1] ?? fail(`${api.pkg}: no ${what} for ${start[1]}`);
      const list = (pattern, what) =>
        one(pattern, what)
          .split(",")
          .map((s) => s.trim().replace(/^'|'$/g, ""))
          .filter(Boolean);
      const rootUrl = one(/const rootUrl = options\.rootUrl \|\| '([^']+)';/, "rootUrl");
      methods.set(start[1], {
        host: new URL(rootUrl).host,
        path: one(/\burl: \(rootUrl\s*\+\s*'([^']+)'\)/, "url"),
        mediaPath: /\bmediaUrl: \(rootUrl\s*\+\s*'([^']+)'\)/.exec(text)?.[1],
        httpMethod: one(/\bmethod: '(\w+)'/, "method"),
        requiredParams: list(/\brequiredParams: \[([^\]]*)\]/, "requiredParams"),
        pathParams: list(/\bpathParams: \[([^\]]*)\]/, "pathParams"),
      });
    });
    requests.set(match[1], methods);
  });
  return requests;
}

/**
 * Walks the API class's resource tree: per resource class its path and new name, per method its path, params
 * type, result and request. Returns the renames (official name → new name) and the tree.
 */
function buildTree(api, declarations, requests) {
  const renames = new Map();
  for (const name of declarations.schemas.keys()) renames.set(name, name.slice("Schema$".length));
  const resources = [];
  const paramsOf = new Map();
  const visit = (className, path) => {
    const declared = declarations.classes.get(className) ?? fail(`${api.pkg}: no class ${className}`);
    const sent = requests.get(className) ?? new Map();
    const stem = path.map(pascal).join("");
    renames.set(className, `${stem}Resource`);
    const methods = [];
    for (const [name, method] of declared.methods) {
      const request = sent.get(name) ?? fail(`${api.pkg}: no request for ${className}.${name}`);
      const paramsName = `${stem}${pascal(name)}Params`;
      if (paramsOf.has(method.params)) fail(`${api.pkg}: ${method.params} serves two methods`);
      paramsOf.set(method.params, { name: paramsName, request });
      renames.set(method.params, paramsName);
      methods.push({ name, ...method, request });
    }
    resources.push({ path, className, methods, children: declared.properties });
    for (const child of declared.properties) visit(child.type, [...path, child.name]);
  };
  const apiClass = [...declarations.classes.keys()].find((name) => !name.startsWith("Resource$"));
  const top = declarations.classes.get(apiClass);
  for (const child of top.properties) visit(child.type, [child.name]);
  renames.set(apiClass, "Api");
  const taken = new Map();
  for (const [official, renamed] of renames) {
    if (taken.has(renamed)) fail(`${api.pkg}: ${official} and ${taken.get(renamed)} would both be ${renamed}`);
    taken.set(renamed, official);
  }
  for (const name of declarations.params.keys()) if (!paramsOf.has(name)) fail(`${api.pkg}: ${name} has no method`);
  return { renames, resources, paramsOf, apiClass, top };
}

/** Official names in `text` replaced by the new ones (`qualify`: as `Sheets.ValueRange`). */
function rename(text, api, renames, qualify) {
  return text.replace(OFFICIAL_NAME, (name) => {
    const renamed = renames.get(name) ?? fail(`${api.pkg}: unknown type ${name}`);
    return qualify ? `${api.namespace}.${renamed}` : renamed;
  });
}

/** A params interface as apps see it: required parameters required, `media` as Media. */
function paramsText(node, source, request) {
  const required = new Set(request.requiredParams);
  const members = node.members.map((member) => {
    const name = member.name.getText(source);
    if (name === "media") return "media?: Media;";
    const text = printer.printNode(ts.EmitHint.Unspecified, member, source);
    return required.has(name) ? text.replace(/^([\w$'".]+)\?:/, "$1:") : text;
  });
  for (const name of required)
    if (!node.members.some((m) => m.name.getText(source) === name))
      fail(`required ${name} is not in ${node.name.text}`);
  return `interface ${node.name.text} extends StandardParameters {\n${members.map((m) => `    ${m}`).join("\n")}\n}`;
}

function schemaText(node, source) {
  return printer.printNode(ts.EmitHint.Unspecified, node, source).replace(/^export /, "");
}

/** The method's signature in the resource interface: params required when Google requires some. */
function signature(method) {
  const optional = method.request.requiredParams.length === 0 ? "?" : "";
  return `${method.name}(params${optional}: ${method.params}): Promise<${method.result}>;`;
}

const oneLine = (text) =>
  text
    .replace(/\s*\n\s*/g, " ")
    .replace(/;\s*}/g, "; }")
    .replace(/{\s+}/g, "{}");

function build(api) {
  const dir = join(root, "node_modules", api.pkg, "build");
  if (!existsSync(dir)) fail(`node_modules/${api.pkg} is missing; run npm install`);
  const declarations = readDeclarations(api, readFileSync(join(dir, `${api.version}.d.ts`), "utf8"));
  const requests = readRequests(api, readFileSync(join(dir, `${api.version}.js`), "utf8"));
  const { renames, resources, paramsOf, apiClass, top } = buildTree(api, declarations, requests);
  const { source } = declarations;

  // Declarations: every official text printed without comments, then renamed.
  const blocks = [];
  const catalogTypes = {};
  for (const [name, node] of declarations.schemas) {
    const text = schemaText(node, source);
    blocks.push(rename(text, api, renames, false));
    catalogTypes[`${api.namespace}.${renames.get(name)}`] = oneLine(rename(text, api, renames, true)).replace(
      /^interface [\w.]+/,
      `interface ${renames.get(name)}`,
    );
  }
  for (const [name, node] of declarations.params) {
    const text = paramsText(node, source, paramsOf.get(name).request);
    blocks.push(rename(text, api, renames, false));
    catalogTypes[`${api.namespace}.${renames.get(name)}`] = oneLine(rename(text, api, renames, true)).replace(
      /^interface [\w.]+/,
      `interface ${renames.get(name)}`,
    );
  }
  const methods = {};
  const catalogResources = {};
  const catalogMethods = {};
  for (const resource of resources) {
    const members = [
      ...resource.children.map((child) => `${child.name}: ${child.type};`),
      ...resource.methods.map(signature),
    ];
    blocks.push(
      rename(`interface ${resource.className} {\n${members.map((m) => `    ${m}`).join("\n")}\n}`, api, renames, false),
    );
    if (resource.methods.length === 0) continue;
    const path = `google.${api.id}.${resource.path.join(".")}`;
    // `get` first: the lookup shows the object a resource's first method returns.
    const ordered = [...resource.methods].sort((a, b) => Number(b.name === "get") - Number(a.name === "get"));
    catalogResources[path] = { prefix: `${api.namespace}.`, methods: ordered.map((m) => m.name) };
    for (const method of ordered) {
      catalogMethods[`${path}.${method.name}`] = rename(signature(method), api, renames, true);
      const { request } = method;
      const inTemplate = [...request.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (inTemplate.length !== request.pathParams.length || inTemplate.some((p) => !request.pathParams.includes(p)))
        fail(`${api.pkg}: ${path}.${method.name}: path params ${request.pathParams} are not those of ${request.path}`);
      const paramsNode = declarations.params.get(method.params);
      const entry = {
        httpMethod: request.httpMethod,
        host: request.host,
        path: request.path,
        pathParams: inTemplate,
        requestBody: paramsNode.members.some((m) => m.name.getText(source) === "requestBody"),
      };
      if (request.mediaPath) entry.mediaPath = request.mediaPath;
      const requiredQuery = request.requiredParams.filter((p) => !inTemplate.includes(p));
      if (requiredQuery.length > 0) entry.requiredQuery = requiredQuery;
      methods[`${api.id}.${resource.path.join(".")}.${method.name}`] = entry;
    }
  }
  blocks.push(
    rename(
      `interface Api {\n${top.properties.map((p) => `    ${p.name}: ${p.type};`).join("\n")}\n}`,
      api,
      renames,
      false,
    ),
  );
  const indent = (text) => text.replace(/^(?=.)/gm, "    ");
  const aliases = [...renames]
    .filter(([official]) => !official.startsWith("Resource$") && official !== apiClass)
    .map(([official, renamed]) => `    type ${official} = ${api.namespace}.${renamed};`);
  const dts = [
    "import type { Media, StandardParameters } from './common.js';",
    `export declare namespace ${api.namespace} {`,
    ...blocks.map((b) => indent(`export ${b}`)),
    "}",
    `/** The official client's names: \`${api.official}.Schema$X\` is \`${api.namespace}.X\`. */`,
    `export declare namespace ${api.official} {`,
    ...aliases,
    "}",
    "",
  ].join("\n");
  return { dts, methods, catalog: { resources: catalogResources, methods: catalogMethods, types: catalogTypes } };
}

function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const catalog = { resources: {}, methods: {}, types: { ...COMMON_TYPES } };
  const methods = {};
  const files = new Map([["common.d.ts", COMMON]]);
  for (const api of GOOGLE_APIS) {
    const built = build(api);
    files.set(`${api.id}.d.ts`, built.dts);
    Object.assign(methods, built.methods);
    for (const part of ["resources", "methods", "types"]) Object.assign(catalog[part], built.catalog[part]);
  }
  files.set(
    "client.d.ts",
    [
      ...GOOGLE_APIS.map((api) => `import type { ${api.namespace} } from './${api.id}.js';`),
      "/** Sheets v4, Calendar v3, Gmail v1 and Drive v3, as the official Node client names them. */",
      "export interface GoogleApi {",
      ...GOOGLE_APIS.map((api) => `    ${api.id}: ${api.namespace}.Api;`),
      "}",
      ...GOOGLE_APIS.map((api) => `export type { ${api.namespace}, ${api.official} } from './${api.id}.js';`),
      "export type * from './common.js';",
      "",
    ].join("\n"),
  );
  // Gmail's account settings (filters, aliases, delegates, S/MIME…) are admin work an app seldom does: the index
  // names the namespace and a lookup lists it.
  catalog.folded = ["google.gmail.users.settings"];
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  writeFileSync(join(outDir, "methods.json"), JSON.stringify(methods));
  writeFileSync(join(outDir, "catalog.json"), JSON.stringify(catalog));
  // Generated: kept out of git (and so out of Biome, which reads the ignore files).
  writeFileSync(join(outDir, ".gitignore"), "*\n");
  const bytes = [...files.values()].reduce((n, t) => n + t.length, 0);
  console.log(
    `build-google-api: ${files.size} declaration files (${(bytes / 1024).toFixed(0)} KB), ${Object.keys(catalog.resources).length} resources, ${Object.keys(catalog.methods).length} methods, ${Object.keys(catalog.types).length} types`,
  );
}

main();
