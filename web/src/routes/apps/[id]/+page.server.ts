import { callApi, failWith, seg, textField } from "$lib/server/api";
import type { Actions } from "./$types";

export const actions = {
  /** Lets a version Kiln paused (it brought the runner down) serve again. */
  resume: async (event) => {
    const version = textField(await event.request.formData(), "version");
    const result = await callApi<{ released: number }>(
      event,
      "POST",
      `/api/apps/${seg(event.params.id)}/resume`,
      version ? { version } : {},
    );
    if (!result.ok) return failWith(event, result, { resume: { message: result.message } });
    return { resume: { released: result.data.released } };
  },
} satisfies Actions;
