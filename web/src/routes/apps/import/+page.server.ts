import { fail, redirect } from "@sveltejs/kit";
import { callApiWithBytes, failWith, seg, textField } from "$lib/server/api";
import type { AppTransfer } from "$shapes";
import type { Actions } from "./$types";

/** The API's own limit is 20 MB; refusing a larger file here saves sending it. */
const MAX_BYTES = 20 * 1024 * 1024;

export const actions = {
  /** A new app from an export's zip: its code built as any upload, its rows loaded into its preview. */
  default: async (event) => {
    const form = await event.request.formData();
    const file = form.get("archive");
    const name = textField(form, "name");
    if (!(file instanceof File) || file.size === 0)
      return fail(400, { message: "Choose the .zip file you exported from Kiln.", name });
    if (file.size > MAX_BYTES)
      return fail(413, {
        message: `That file is larger than ${MAX_BYTES / 1024 / 1024} MB, more than Kiln imports.`,
        name,
      });
    const query = name ? `?name=${encodeURIComponent(name)}` : "";
    const result = await callApiWithBytes<AppTransfer>(
      event,
      `/api/apps/import${query}`,
      new Uint8Array(await file.arrayBuffer()),
      "application/zip",
    );
    if (!result.ok) {
      // The app was made but its code or data did not come along: say what, with a link to it.
      const made = result.body.app as { id?: unknown } | undefined;
      const appId = result.status === 409 && typeof made?.id === "string" ? made.id : null;
      return failWith(event, result, { message: result.message, name, appId });
    }
    // Something of the data had no place in the app's tables: say what before opening it.
    if (result.data.skipped.length > 0)
      return { imported: { id: result.data.id, name: result.data.name, skipped: result.data.skipped } };
    redirect(303, `/apps/${seg(result.data.id)}`);
  },
} satisfies Actions;
