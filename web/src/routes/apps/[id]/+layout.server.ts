import { loadFromApi, seg } from "$lib/server/api";
import type { AppDetail, AppProblems, ChatTurnWithEvents } from "$shapes";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async (event) => {
  const id = seg(event.params.id);
  const [app, chat, problems] = await Promise.all([
    loadFromApi<AppDetail>(event, `/api/apps/${id}`),
    loadFromApi<{ turns: ChatTurnWithEvents[] }>(event, `/api/apps/${id}/chat`),
    loadFromApi<AppProblems>(event, `/api/apps/${id}/problems`),
  ]);
  return { app, turns: chat.turns, problems };
};
