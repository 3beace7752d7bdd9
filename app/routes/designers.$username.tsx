import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SubmissionGrid } from "~/components/artwork";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReportForm } from "~/components/report-form";
import { findDesigner, listApprovedByDesigner, publicImages } from "~/domain/submissions.server";
import { getOptionalUser } from "~/lib/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `@${data.designer.username} · Crowdthread` : "Designer · Crowdthread" }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const designer = await findDesigner(params.username ?? "");
  if (!designer) throw new Response("There is no designer with that name.", { status: 404 });
  const [items, viewer] = await Promise.all([listApprovedByDesigner(designer.id), getOptionalUser(request)]);
  return {
    canReport: Boolean(viewer && viewer.id !== designer.id),
    designerId: designer.id,
    designer: { username: designer.username, displayName: designer.displayName, createdAt: designer.createdAt },
    items: items.map((s) => ({ id: s.id, title: s.title, images: publicImages(s.images), designerUsername: s.designerUsername })),
  };
}

const month = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

export default function DesignerPage() {
  const { designer, items, canReport, designerId } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">{designer.displayName ?? `@${designer.username}`}</h1>
      <p className="text-stone-600">
        @{designer.username} · member since {month.format(designer.createdAt)}
      </p>
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
