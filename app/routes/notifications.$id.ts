import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { openNotification } from "~/domain/notifications.server";
import { requireUser } from "~/lib/auth.server";

/** Following a notification marks it read, then goes where it points. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = await openNotification(user.id, params.id ?? "");
  if (!url) throw new Response("That notification was not found.", { status: 404 });
  return redirect(url);
}
