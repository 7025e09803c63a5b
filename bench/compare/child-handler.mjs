// Run by a fresh Node process per request (the container stand-in): evaluates
// the handler on the JSON given as its argument and prints the body.
import { HANDLER_SOURCE } from "./handler.mjs";

const input = process.argv[2] ?? "{}";
process.stdout.write(new Function("input", `return ${HANDLER_SOURCE};`)(input));
