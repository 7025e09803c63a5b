/** Name of the browser session cookie of the Kiln workspace; app hosts strip it before app code sees a request. */
export const SESSION_COOKIE = "kiln_session";
