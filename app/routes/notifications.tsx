import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { MoreLink, usePagedList } from "~/components/pager";
import { markAllRead, notificationCursor, notificationsFor, unreadCount } from "~/domain/notifications.server";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { cursorParam } from "~/lib/pagination.server";
import { redirectWithToast } from "~/lib/toast.server";
import { parseSearchParams, readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Crowdthread" }];

const listSearch = { after: cursorParam(notificationCursor).optional() };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { after } = parseSearchParams(request, listSearch);
  const [items, unread] = await Promise.all([notificationsFor(user.id, { after }), unreadCount(user.id)]);
  return { items, unread, isLaterPage: after !== undefined };
}

/** The page's one form today; further ones join the union with their own function. */
const notificationsActionSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("mark-all-read") })]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = notificationsActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  switch (parsed.data.intent) {
    case "mark-all-read":
      return markAllReadHere(request, user.id);
  }
}

async function markAllReadHere(request: Request, userId: string) {
  await markAllRead(userId);
  return redirectWithToast(request, "/notifications", { kind: "info", title: "All caught up" });
}

export default function NotificationsPage() {
  const { items, unread, isLaterPage } = useLoaderData<typeof loader>();
  const list = usePagedList(items, useFetcher<typeof loader>(), (data) => data.items);
  return (
    <div className="mx-auto max-w-2xl">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">Notifications</h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="mark-all-read" />
            <button
              type="submit"
              className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
            >
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {list.items.length === 0 ? (
        <p className="mt-6 text-stone-700">
          Nothing yet. You'll hear here when someone comments on your designs or replies to you.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-stone-100 rounded-xl border border-stone-200 bg-white">
          {list.items.map((n) => (
            <li key={n.id} className={`px-4 py-3 ${n.readAt ? "" : "bg-brand-50"}`}>
              <Link to={`/notifications/${n.id}`} reloadDocument className="font-medium hover:underline">
                {n.title}
              </Link>
              <p className="text-xs text-stone-600">
                {formatDateTime(n.createdAt)} UTC{n.readAt ? "" : " · new"}
              </p>
            </li>
          ))}
        </ul>
      )}
      <MoreLink list={list} label="Older notifications" startHref={isLaterPage ? "/notifications" : null} />
    </div>
  );
}
