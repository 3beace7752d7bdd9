import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CONTENT_PAGES } from "~/components/content-links";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { contentPage } from "~/lib/content-pages.server";
import { parseParams } from "~/lib/edge.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Crowdthread` : "Crowdthread" },
];

const pageParam = z.enum(CONTENT_PAGES.map((p) => p.slug) as [string, ...string[]]);

/** /about, /faq, /shipping-and-returns, /terms, /privacy, /contact; any other one-word address is a 404. */
export async function loader({ params }: LoaderFunctionArgs) {
  const { page } = parseParams(params, { page: pageParam });
  const found = contentPage(page);
  if (!found) throw new Response("There is no page at this address.", { status: 404 });
  return found;
}

export default function ContentPage() {
  const { html } = useLoaderData<typeof loader>();
  return <article className="markdown mx-auto max-w-3xl text-stone-800" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
