// A record's comments (`…/{recordId}/comments`), with `ensure` and a delete
// that counts "already gone" as done, so a retried run comments once.
import type * as Api from "./index";
import { call, enc, type Fetch, isMissing } from "./request";

/** The comments of the record at `recordPath` (`/{baseId}/{table}/{recordId}`). */
export function commentsClient(fetchFn: Fetch, recordPath: string): Api.AirtableComments {
  const path = `${recordPath}/comments`;
  const list: Api.AirtableComments["list"] = (options = {}) => {
    const query = new URLSearchParams();
    if (options.pageSize !== undefined) query.set("pageSize", String(options.pageSize));
    if (options.offset !== undefined) query.set("offset", options.offset);
    return call<Api.AirtableCommentPage>(fetchFn, "GET", path, query);
  };
  const listAll = async () => {
    const comments: Api.AirtableComment[] = [];
    let offset: string | null | undefined;
    do {
      const page = await list(offset ? { offset } : {});
      comments.push(...page.comments);
      offset = page.offset;
    } while (offset);
    return comments;
  };
  const create: Api.AirtableComments["create"] = (text, options = {}) =>
    call<Api.AirtableComment>(fetchFn, "POST", path, undefined, { text, ...options });
  return {
    list,
    listAll,
    create,
    async ensure(text, options = {}) {
      const same = (await listAll()).find(
        (comment) => comment.text === text && comment.parentCommentId === options.parentCommentId,
      );
      return same ?? create(text, options);
    },
    update: (commentId, text) =>
      call<Api.AirtableComment>(fetchFn, "PATCH", `${path}/${enc(commentId)}`, undefined, { text }),
    async delete(commentId) {
      try {
        await call(fetchFn, "DELETE", `${path}/${enc(commentId)}`);
      } catch (error) {
        // Deleted by an earlier try of this run: done. Still there (or the record unreadable): the refusal stands.
        const gone =
          isMissing(error) &&
          (await listAll().then(
            (all) => all.every((c) => c.id !== commentId),
            () => false,
          ));
        if (!gone) throw error;
      }
    },
  };
}
