/** A same-origin path to continue to after signing in; anything else goes to /apps. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/")) return "/apps";
  // Parse the way browsers do (they drop tabs and newlines, read "\\" as "/"),
  // so "/\tevil.example" or "/\\evil.example" cannot leave this origin.
  const base = "http://kiln.invalid";
  const url = new URL(next, base);
  if (url.origin !== base) return "/apps";
  // Dot segments can leave a path starting "//" ("/.//evil.example"), which a browser reads as another host.
  const path = `/${url.pathname.replace(/^[/\\]+/, "")}`;
  return path + url.search + url.hash;
}
