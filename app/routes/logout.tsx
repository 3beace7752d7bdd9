import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getSession, invalidateSession, clearedSessionCookie } from "~/lib/session.server";
import { toastHeader } from "~/lib/toast.server";

export async function loader() {
  // Logging out changes state, so it only happens by POST (the Origin check guards it).
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const current = await getSession(request);
  if (current) await invalidateSession(current.session.id);
  const headers = new Headers();
  headers.append("Set-Cookie", clearedSessionCookie(request));
  headers.append("Set-Cookie", await toastHeader(request, { kind: "info", title: "You are logged out" }));
  return redirect("/", { headers });
}
