import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { removeFavourite, saveFavourite } from "~/domain/favourites.server";
import { getOptionalUser, safeRedirectPath } from "~/lib/auth.server";
import { idParam, readForm } from "~/lib/edge.server";
import { failureData, redirectWithFailure } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";

/**
 * The heart on design and product pages posts here. Without JavaScript the
 * form asks for a redirect back to the page (`reply=redirect`) with a toast;
 * the heart's fetcher asks for data instead and has already shown the new
 * state. A guest is sent to log in and comes back to the page.
 */
const favouriteSchema = z.object({
  intent: z.enum(["save", "remove"]),
  submissionId: idParam,
  redirectTo: z.string().max(2000).optional(),
  reply: z.enum(["redirect", "data"]).default("redirect"),
});

/** Someone who types the address finds the saved list. */
export async function loader() {
  return redirect("/account/favourites");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = favouriteSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw new Response("This form cannot be read.", { status: 400 });
  const { intent, submissionId, reply } = parsed.data;
  const back = safeRedirectPath(parsed.data.redirectTo, `/submissions/${submissionId}`);
  const user = await getOptionalUser(request);
  if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  const outcome =
    intent === "save" ? await saveFavourite(user.id, submissionId) : await removeFavourite(user.id, submissionId);
  if (!outcome.ok) return reply === "data" ? failureData(outcome) : redirectWithFailure(request, back, outcome);
  if (reply === "data") return data({ saved: intent === "save" });
  return redirectWithToast(request, back, {
    kind: "success",
    title: intent === "save" ? "Saved to your favourites" : "Removed from your favourites",
  });
}
