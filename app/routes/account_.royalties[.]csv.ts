import type { LoaderFunctionArgs } from "@remix-run/node";
import { ledgerCsv } from "~/domain/ledger.server";
import { requireUser } from "~/lib/auth.server";

/** The member's own ledger as CSV, with a running balance, to check line by line. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return new Response(await ledgerCsv(user.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="crowdthread-royalties-${user.username}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
