/**
 * The log-in and sign-up pages' addresses with where to come back to
 * afterwards (`redirectTo`, checked by the server with safeRedirectPath).
 * Without one, the pages send the member home.
 */
export function withRedirectTo(path: "/login" | "/signup", back: string | null | undefined) {
  return back ? `${path}?redirectTo=${encodeURIComponent(back)}` : path;
}
