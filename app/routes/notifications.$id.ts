import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { openNotification } from "~/domain/notifications.server";
import { requireUser } from "~/lib/auth.server";
import { idParam, parseParams } from "~/lib/edge.server";
import { valueOrThrow } from "~/lib/outcome.server";

/** Following a notification marks it read, then goes where it points. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseParams(params, { id: idParam });
  const user = await requireUser(request);
  return redirect(valueOrThrow(await openNotification(user.id, id)));
}
