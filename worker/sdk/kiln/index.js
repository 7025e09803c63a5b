// Kiln app SDK (runtime half). The helpers are identities: their value is in
// the types they give the app's code; the platform reads `tables` at build.
export function defineTables(tables) {
  return tables;
}
export function defineApp(handler) {
  return handler;
}
