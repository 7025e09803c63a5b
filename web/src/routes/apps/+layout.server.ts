import { redirect } from "@sveltejs/kit";
import { signInUrl } from "$lib/server/api";
import type { LayoutServerLoad } from "./$types";

// Everything under /apps needs a signed-in person.
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, signInUrl(url));
};
