// An app's flat file paths as a folder tree for the Code tab, and the rows a
// keyboard walks through when some folders are collapsed. Pure: tested in workerd.

/** A folder or file of the tree; `path` of a folder is its path without a trailing slash. */
export type FileTreeNode =
  | { kind: "folder"; name: string; path: string; depth: number; children: FileTreeNode[] }
  | { kind: "file"; name: string; path: string; depth: number };

/** Folders before files, each sorted by name, the way editors list them. */
export function buildFileTree(paths: Iterable<string>): FileTreeNode[] {
  const root: FileTreeNode[] = [];
  const folders = new Map<string, FileTreeNode[]>([["", root]]);
  for (const path of [...new Set(paths)].sort()) {
    const parts = path.split("/");
    let parent = "";
    parts.forEach((name, i) => {
      const here = parent === "" ? name : `${parent}/${name}`;
      const siblings = folders.get(parent) ?? root;
      if (i === parts.length - 1) {
        siblings.push({ kind: "file", name, path: here, depth: i });
      } else if (!folders.has(here)) {
        const children: FileTreeNode[] = [];
        folders.set(here, children);
        siblings.push({ kind: "folder", name, path: here, depth: i, children });
      }
      parent = here;
    });
  }
  const order = (nodes: FileTreeNode[]): FileTreeNode[] =>
    nodes
      .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "folder" ? -1 : 1))
      .map((node) => (node.kind === "folder" ? { ...node, children: order(node.children) } : node));
  return order(root);
}

/** The rows shown when the folders in `collapsed` are closed, top to bottom. */
export function visibleRows(tree: FileTreeNode[], collapsed: ReadonlySet<string>): FileTreeNode[] {
  const rows: FileTreeNode[] = [];
  const walk = (nodes: FileTreeNode[]) => {
    for (const node of nodes) {
      rows.push(node);
      if (node.kind === "folder" && !collapsed.has(node.path)) walk(node.children);
    }
  };
  walk(tree);
  return rows;
}

/** The folders that contain `path` ("src/a/b.ts" → ["src", "src/a"]). */
export function foldersOf(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** Character offset of a 1-based line and column in `text`, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const end = text.indexOf("\n", offset);
    if (end === -1) return text.length;
    offset = end + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const lineLength = (lineEnd === -1 ? text.length : lineEnd) - offset;
  return offset + Math.min(Math.max(0, column - 1), lineLength);
}
