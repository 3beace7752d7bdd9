import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSessionAndRedirect } from "~/lib/new-session.server";
import { getSession, invalidateSession } from "~/lib/session.server";

export async function loader() {
  // Logging out changes state, so it only happens by POST (the Origin check guards it).
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const current = await getSession(request);
  if (current) await invalidateSession(current.session.id);
  return endSessionAndRedirect(request, { redirectTo: "/", toast: { kind: "info", title: "You are logged out" } });
}
