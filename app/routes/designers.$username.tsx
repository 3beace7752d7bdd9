import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { SubmissionGrid } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReportForm } from "~/components/report-form";
import { findDesigner, listApprovedByDesigner, publicImages } from "~/domain/submissions.server";
import { follow, followerCount, isFollowing, unfollow } from "~/domain/follows.server";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `@${data.designer.username} · Crowdthread` : "Designer · Crowdthread" }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const designer = await findDesigner(params.username ?? "");
  if (!designer) throw new Response("There is no designer with that name.", { status: 404 });
  const [items, viewer, followers] = await Promise.all([listApprovedByDesigner(designer.id), getOptionalUser(request), followerCount(designer.id)]);
  return {
    followers,
    following: viewer && viewer.id !== designer.id ? await isFollowing(viewer.id, designer.id) : null,
    canReport: Boolean(viewer && viewer.id !== designer.id),
    designerId: designer.id,
    designer: { username: designer.username, displayName: designer.displayName, createdAt: designer.createdAt },
    items: items.map((s) => ({ id: s.id, title: s.title, images: publicImages(s.images), designerUsername: s.designerUsername })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const designer = await findDesigner(params.username ?? "");
  if (!designer) throw new Response("There is no designer with that name.", { status: 404 });
  const intent = (await request.formData()).get("intent");
  if (intent === "follow") await follow(user.id, designer.id);
  else if (intent === "unfollow") await unfollow(user.id, designer.id);
  else throw new Response("Unknown action", { status: 400 });
  return redirectWithToast(request, `/designers/${designer.username}`, {
    kind: "info",
    title: intent === "follow" ? `Following @${designer.username}` : `No longer following @${designer.username}`,
  });
}

const month = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export default function DesignerPage() {
  const { designer, items, canReport, designerId, followers, following } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">{designer.displayName ?? `@${designer.username}`}</h1>
      <p className="text-stone-600">
        @{designer.username} · member since {month.format(designer.createdAt)} · {followers} follower{followers === 1 ? "" : "s"}
      </p>
      {following !== null ? (
        <Form method="post" className="mt-3">
          <button
            type="submit"
            name="intent"
            value={following ? "unfollow" : "follow"}
            className={following ? "rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100" : "rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"}
          >
            {following ? "Following" : "Follow"}
          </button>
        </Form>
      ) : null}
      {canReport ? (
        <div className="mt-2">
          <ReportForm subjectType="user" subjectId={designerId} redirectTo={`/designers/${designer.username}`} label="Report this profile" />
        </div>
      ) : null}
      <h2 className="mt-8 text-xl font-semibold">Designs</h2>
      <SubmissionGrid items={items} empty="No approved designs yet." />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
