import { loadFromApi, seg } from "$lib/server/api";
import type { ChatTurn } from "$lib/chat/turn-events";
import type { App } from "$lib/types";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async (event) => {
  const id = seg(event.params.id);
  const [app, chat] = await Promise.all([
    loadFromApi<App>(event, `/api/apps/${id}`),
    loadFromApi<{ turns: ChatTurn[] }>(event, `/api/apps/${id}/chat`),
  ]);
  return { app, turns: chat.turns };
};
