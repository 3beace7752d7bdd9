import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportPersonalData } from "~/domain/privacy.server";
import { requireUser } from "~/lib/auth.server";

/** Download of everything Crowdthread keeps about the member. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await exportPersonalData(user.id);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="crowdthread-${user.username}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
