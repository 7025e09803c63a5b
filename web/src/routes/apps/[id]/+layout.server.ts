import { loadFromApi, seg } from "$lib/server/api";
import type { AppDetail, ChatTurnWithEvents } from "$shapes";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async (event) => {
  const id = seg(event.params.id);
  const [app, chat] = await Promise.all([
    loadFromApi<AppDetail>(event, `/api/apps/${id}`),
    loadFromApi<{ turns: ChatTurnWithEvents[] }>(event, `/api/apps/${id}/chat`),
  ]);
  return { app, turns: chat.turns };
};
