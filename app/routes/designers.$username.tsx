import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SubmissionGrid } from "~/components/artwork";
import { Avatar } from "~/components/avatar";
import { MoreLink, usePagedList } from "~/components/pager";
import { ProductGrid } from "~/components/product-grid";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReportForm } from "~/components/report-form";
import { mapPage } from "~/domain/page";
import { findProfile, winsOf } from "~/domain/profiles.server";
import { listProducts } from "~/domain/shop.server";
import { approvedByDesigner, approvedCountByDesigner, designerCursor, findDesigner } from "~/domain/submissions.server";
import { follow, followerCount, isFollowing, unfollow } from "~/domain/follows.server";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { parseParams, parseSearchParams, readForm, usernameParam } from "~/lib/edge.server";
import { formatMonth } from "~/lib/format";
import { cursorParam } from "~/lib/pagination.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `@${data.designer.username} · Crowdthread` : "Designer · Crowdthread" },
];

/** How many of the designer's products the profile shows; the rest are a link to the shop, filtered to them. */
const SHOP_PREVIEW = 8;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { username } = parseParams(params, { username: usernameParam });
  // Two lists page on their own: designs with `after`, wins with `wins`.
  const { after, wins: winsAfter } = parseSearchParams(request, {
    after: cursorParam(designerCursor).optional(),
    wins: cursorParam(designerCursor).optional(),
  });
  const designer = await findProfile(username);
  if (!designer) throw new Response("There is no designer with that name.", { status: 404 });
  const [items, itemCount, wins, shop, viewer, followers] = await Promise.all([
    approvedByDesigner(designer.id, { after }),
    approvedCountByDesigner(designer.id),
    winsOf(designer.id, { after: winsAfter }),
    listProducts({ designer: designer.username }, { size: SHOP_PREVIEW }),
    getOptionalUser(request),
    followerCount(designer.id),
  ]);
  return {
    followers,
    following: viewer && viewer.id !== designer.id ? await isFollowing(viewer.id, designer.id) : null,
    canReport: Boolean(viewer && viewer.id !== designer.id),
    isSelf: viewer?.id === designer.id,
    designerId: designer.id,
    designer: {
      username: designer.username,
      displayName: designer.displayName,
      createdAt: designer.createdAt,
      bioHtml: designer.bioHtml,
      links: designer.links,
      avatarUrl: designer.avatar?.large ?? null,
    },
    wins: mapPage(wins, (w) => ({
      id: w.id,
      title: w.title,
      caption: `#${w.rank} in ${w.roundTitle}`,
      images: w.images,
      designerUsername: designer.username,
    })),
    isLaterWinsPage: winsAfter !== undefined,
    shop: shop.items,
    moreInShop: shop.next !== null,
    itemCount,
    isLaterPage: after !== undefined,
    items: mapPage(items, (s) => ({
      id: s.id,
      title: s.title,
      images: s.images,
      designerUsername: s.designerUsername,
    })),
  };
}

const designerActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("follow") }),
  z.object({ intent: z.literal("unfollow") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { username } = parseParams(params, { username: usernameParam });
  const user = await requireUser(request);
  const parsed = designerActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  const designer = await findDesigner(username);
  if (!designer) throw new Response("There is no designer with that name.", { status: 404 });
  switch (parsed.data.intent) {
    case "follow":
      return followDesigner(request, user.id, designer);
    case "unfollow":
      return unfollowDesigner(request, user.id, designer);
  }
}

type Designer = { id: string; username: string };

async function followDesigner(request: Request, userId: string, designer: Designer) {
  const followed = await follow(userId, designer.id);
  if (!followed.ok)
    return redirectWithToast(request, `/designers/${designer.username}`, { kind: "error", title: followed.message });
  return redirectWithToast(request, `/designers/${designer.username}`, {
    kind: "info",
    title: `Following @${designer.username}`,
  });
}

async function unfollowDesigner(request: Request, userId: string, designer: Designer) {
  await unfollow(userId, designer.id);
  return redirectWithToast(request, `/designers/${designer.username}`, {
    kind: "info",
    title: `No longer following @${designer.username}`,
  });
}

/** What a link shows: its host and path, without the scheme. */
function linkLabel(url: string) {
  const u = new URL(url);
  return `${u.host}${u.pathname === "/" ? "" : u.pathname}`;
}

export default function DesignerPage() {
  const {
    designer,
    items,
    itemCount,
    isLaterPage,
    wins,
    isLaterWinsPage,
    shop,
    moreInShop,
    canReport,
    isSelf,
    designerId,
    followers,
    following,
  } = useLoaderData<typeof loader>();
  const designs = usePagedList(items, useFetcher<typeof loader>(), (data) => data.items);
  const winList = usePagedList(wins, useFetcher<typeof loader>(), (data) => data.wins, "wins");
  const start = `/designers/${designer.username}`;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-4">
        <Avatar avatarUrl={designer.avatarUrl} username={designer.username} />
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{designer.displayName ?? `@${designer.username}`}</h1>
          <p className="text-stone-600">
            @{designer.username} · member since {formatMonth(designer.createdAt)} · {followers} follower
            {followers === 1 ? "" : "s"}
          </p>
          {isSelf ? (
            <Link to="/settings" className="text-sm font-semibold text-brand-700 underline">
              Edit your profile
            </Link>
          ) : null}
        </div>
      </div>
      {designer.bioHtml ? (
        <div
          className="markdown mt-4 max-w-2xl text-stone-800"
          dangerouslySetInnerHTML={{ __html: designer.bioHtml }}
        />
      ) : null}
      {designer.links.length ? (
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {designer.links.map((href) => (
            <li key={href}>
              <a
                href={href}
                rel="nofollow ugc noopener noreferrer"
                target="_blank"
                className="text-brand-700 underline"
              >
                {linkLabel(href)}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {following !== null ? (
        <Form method="post" className="mt-3">
          <button
            type="submit"
            name="intent"
            value={following ? "unfollow" : "follow"}
            className={
              following
                ? "rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100"
                : "rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
            }
          >
            {following ? "Following" : "Follow"}
          </button>
        </Form>
      ) : null}
      {canReport ? (
        <div className="mt-2">
          <ReportForm
            subjectType="user"
            subjectId={designerId}
            redirectTo={`/designers/${designer.username}`}
            label="Report this profile"
          />
        </div>
      ) : null}
      {winList.items.length ? (
        <>
          <h2 className="mt-8 text-xl font-semibold">Wins</h2>
          <SubmissionGrid items={winList.items} empty="" />
          <MoreLink list={winList} label="More wins" startHref={isLaterWinsPage ? start : null} />
        </>
      ) : null}
      {shop.length ? (
        <>
          <h2 className="mt-8 text-xl font-semibold">In the shop</h2>
          <ProductGrid items={shop} />
          {moreInShop ? (
            <p className="mt-4 text-center">
              <Link
                to={`/shop?designer=${encodeURIComponent(designer.username)}`}
                className="font-semibold text-brand-700 underline"
              >
                All of @{designer.username}'s products in the shop
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
      <h2 className="mt-8 text-xl font-semibold">
        Designs <span className="font-normal text-stone-600">({itemCount})</span>
      </h2>
      <SubmissionGrid items={designs.items} empty="No approved designs yet." />
      <MoreLink list={designs} label="More designs" startHref={isLaterPage ? start : null} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
