import { loadFromApi, seg } from "$lib/server/api";
import type { App } from "$lib/types";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async (event) => {
  const app = await loadFromApi<App>(event, `/api/apps/${seg(event.params.id)}`);
  return { app };
};
