import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { mailQueueSummary } from "~/domain/mailer.server";
import { getOptionalUser } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { formatTimestamp } from "~/lib/format";
import { readOutbox } from "~/lib/mail.server";

export const meta: MetaFunction = () => [{ title: "Local outbox · Crowdthread" }];

/**
 * Without SMTP_URL, mail is written to DATA_DIR/outbox instead of being sent;
 * this page shows it. Open to everyone in development; in production (the
 * demo) only admins see it, since it holds other people's reset links.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.SMTP_URL) throw new Response("Mail goes to the SMTP server; there is no local outbox.", { status: 404 });
  if (env.NODE_ENV === "production") {
    const user = await getOptionalUser(request);
    if (user?.role !== "admin") throw new Response("The local outbox is for admins.", { status: 404 });
  }
  const [messages, queue] = await Promise.all([readOutbox(50), mailQueueSummary()]);
  return { messages, queue };
}

/** Plain text with its http(s) links made clickable; React escapes the rest. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part} className="text-brand-700 underline">
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default function OutboxPage() {
  const { messages, queue } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-3xl font-bold tracking-tight">Local outbox</h1>
      <p className="mt-2 text-stone-700">
        No <code>SMTP_URL</code> is set, so email is written here instead of being sent. Queue: {queue.pending} waiting,{" "}
        {queue.sent} delivered, {queue.failed} given up.
      </p>
      {messages.length === 0 ? (
        <p className="mt-6 text-stone-700">The outbox is empty.</p>
      ) : (
        <ul className="mt-6 space-y-4">
          {messages.map((m) => (
            <li key={m.id} className="rounded-xl border border-stone-200 bg-white p-4">
              <p className="font-semibold">{m.subject}</p>
              <p className="text-sm text-stone-600">
                To {m.to} · {formatTimestamp(m.writtenAt)} UTC
              </p>
              <pre className="mt-3 whitespace-pre-wrap break-words font-sans text-sm text-stone-800">
                <Linkified text={m.text} />
              </pre>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
