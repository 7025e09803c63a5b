import { type AnyNode, type BlockStatement, parse, type Statement } from "acorn";
import { FIRST_LOOP_CREDIT } from "./guard-runtime";

/** One splice into the bundle text: replace [start, end) (often empty) with `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Local names the instrumented code uses. Random per build, so app code cannot shadow them on purpose. */
interface GuardNames {
  /** The guard's `check()`: a shared countdown, for function entries. */
  check: string;
  /** The guard's `tick()`: reads the clock, throws once stopped, returns the next credit. */
  tick: string;
  /** Each function's own loop countdown (a local, so V8 keeps it in a register). */
  counter: string;
  /** The guard's `resumed(value)`, wrapped around every await: shows the guard that a microtask chain runs. */
  resumed: string;
  refuseImport: string;
  /** The guard's `caught(error)`, the first statement of every catch block. */
  caught: string;
  /** The binding given to a `catch {` that has none, so the guard can see the error. */
  caughtError: string;
}

/** A function body (or the module's top level) and what its own code, outside nested functions, needs. */
interface Scope {
  calls: boolean;
  loops: boolean;
  /** Where its setup goes, filled in once the walk knows what it needs. */
  setup: Edit;
  /** For `x => expr`: the `)` that closes `(check(), expr`. */
  closer: Edit | null;
}

const LOOPS: ReadonlySet<string> = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);
const FUNCTIONS: ReadonlySet<string> = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
]);
// What can run more code: a function without any cannot recurse, and its caller is checked.
const CALLS: ReadonlySet<string> = new Set(["CallExpression", "NewExpression", "TaggedTemplateExpression"]);

/**
 * Instruments the app's bundled JavaScript (esbuild's output: types and JSX
 * already gone) so every loop iteration counts down a local counter that
 * calls the guard's `tick()` when it runs out, and every function that can
 * call others calls `check()` on entry. Leaf functions (no calls, no loops)
 * are left alone: they cannot run long by themselves, and they are the many
 * small callbacks where a check would cost the most. Every `await x` becomes
 * `resumed(await x)`, so the guard sees a microtask chain run. Splices text on
 * the same lines, so the bundle's line numbers do not move. A computed `import(name)`
 * (which could load any module of the bundle, Kiln's included) becomes a call
 * that refuses; fixed names were already resolved by the bundler.
 */
export function instrumentApp(code: string, guardSpecifier: string): string {
  const role = (name: string): string => freshName(code, name);
  const names: GuardNames = {
    check: role("check"),
    tick: role("tick"),
    counter: role("steps"),
    resumed: role("resumed"),
    refuseImport: role("refuse"),
    caught: role("caught"),
    caughtError: role("error"),
  };
  const program = parse(code, { ecmaVersion: "latest", sourceType: "module" });
  const top: Scope = { calls: false, loops: false, setup: insertion(0, ""), closer: null };
  const edits = collectEdits(program, top, names);
  // Stable sort: at one position, edits stay in walk order (outer openers first, inner closers first).
  edits.sort((a, b) => a.start - b.start);
  const imports = `check as ${names.check}, tick as ${names.tick}, resumed as ${names.resumed}, refuseImport as ${names.refuseImport}, caught as ${names.caught}`;
  let output = `import { ${imports} } from ${JSON.stringify(guardSpecifier)};${top.loops ? counterDeclaration(names) : ""}`;
  let cursor = 0;
  for (const edit of edits) {
    output += code.slice(cursor, edit.start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return output + code.slice(cursor);
}

/** Walks the tree without recursion (a long generated expression must not overflow the builder's stack). */
function collectEdits(program: AnyNode, top: Scope, names: GuardNames): Edit[] {
  const edits: Edit[] = [];
  const scopes: Scope[] = [];
  // An Edit on the stack is a closer, emitted after the node's children.
  const stack: ({ node: AnyNode; scope: Scope } | Edit)[] = [{ node: program, scope: top }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (!("node" in item)) {
      edits.push(item);
      continue;
    }
    const { node } = item;
    let scope = item.scope;
    const closers: Edit[] = [];
    if (LOOPS.has(node.type) && "body" in node) {
      scope.loops = true;
      const countdown = `if (--${names.counter} < 0) ${names.counter} = ${names.tick}() | 0;`;
      // Each step of a `for await` resumes from a microtask, like an await.
      const resumes = node.type === "ForOfStatement" && node.await ? `${names.resumed}();` : "";
      guardLoopBody(node.body as Statement, resumes + countdown, edits, closers);
    } else if (FUNCTIONS.has(node.type) && "body" in node) {
      const body = node.body as AnyNode;
      if (body.type === "BlockStatement") {
        scope = { calls: false, loops: false, setup: insertion(afterDirectives(body), ""), closer: null };
        edits.push(scope.setup);
      } else {
        // `x => expr` may become `x => (check(), expr)`: same value, no `return` to get wrong.
        scope = { calls: false, loops: false, setup: insertion(body.start, ""), closer: insertion(body.end, "") };
        edits.push(scope.setup);
        closers.push(scope.closer!);
      }
      scopes.push(scope);
    } else if (CALLS.has(node.type)) {
      scope.calls = true;
    } else if (node.type === "AwaitExpression") {
      edits.push(insertion(node.start, `${names.resumed}(`));
      closers.push(insertion(node.end, ")"));
    } else if (node.type === "CatchClause") {
      // A stack overflow or the guard's own stop must not be swallowed: a catch that retries
      // the recursion would otherwise double the work at every level of the stack.
      const param = node.param;
      if (!param) {
        edits.push(insertion(node.body.start, `(${names.caughtError}) `));
        edits.push(insertion(node.body.start + 1, `${names.caught}(${names.caughtError});`));
      } else if (param.type === "Identifier") {
        edits.push(insertion(node.body.start + 1, `${names.caught}(${param.name});`));
      }
    } else if (
      node.type === "ImportExpression" &&
      !(node.source.type === "Literal" && typeof node.source.value === "string")
    ) {
      edits.push({ start: node.start, end: node.source.start, text: `${names.refuseImport}(` });
    }
    stack.push(...closers.reverse());
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, scope });
  }
  for (const scope of scopes) fillSetup(scope, names);
  return edits;
}

/** A function's setup: the entry check if it can call, the loop counter if it loops. */
function fillSetup(scope: Scope, names: GuardNames): void {
  if (scope.closer !== null) {
    if (!scope.calls) return;
    scope.setup.text = `(${names.check}(), `;
    scope.closer.text = ")";
    return;
  }
  scope.setup.text = (scope.calls ? `${names.check}();` : "") + (scope.loops ? counterDeclaration(names) : "");
}

/** A constant start, and `| 0` on each refill, keep the counter a small integer V8 can hold in a register. */
function counterDeclaration(names: GuardNames): string {
  return `let ${names.counter} = ${FIRST_LOOP_CREDIT};`;
}

/** A loop body gets the countdown as its first statement; a single statement is wrapped in braces for it. */
function guardLoopBody(body: Statement, countdown: string, edits: Edit[], closers: Edit[]): void {
  if (body.type === "BlockStatement") {
    edits.push(insertion(body.start + 1, countdown));
    return;
  }
  edits.push(insertion(body.start, `{${countdown}`));
  closers.push(insertion(body.end, "}"));
}

/** Where a function body's first statement goes: after `{` and any directive prologue ("use strict"). */
function afterDirectives(body: BlockStatement): number {
  let position = body.start + 1;
  for (const statement of body.body) {
    if (statement.type !== "ExpressionStatement" || statement.directive === undefined) break;
    position = statement.end;
  }
  return position;
}

function insertion(position: number, text: string): Edit {
  return { start: position, end: position, text };
}

/** A node's child nodes in source order (acorn's keys list children in the order they are written). */
function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const value of Object.values(node) as unknown[]) {
    if (Array.isArray(value)) {
      for (const element of value as unknown[]) if (isNode(element)) children.push(element);
    } else if (isNode(value)) children.push(value);
  }
  return children;
}

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === "object" && value !== null && "type" in value && typeof value.type === "string" && "start" in value
  );
}

/** `__kiln_<role>_<12 hex>`, checked not to occur in the code already. */
function freshName(code: string, role: string): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    const name = `__kiln_${role}_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    if (!code.includes(name)) return name;
  }
}
