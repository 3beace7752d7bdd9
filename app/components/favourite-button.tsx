import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * The heart that saves a design to the member's favourites. It is a plain
 * form posting to /favourites, so it works without JavaScript (the server
 * redirects back with a toast); once the page is hydrated it posts through
 * a fetcher, asks for data instead of a redirect and shows the new state at
 * once, going back if the server refuses.
 */
export function FavouriteButton({
  submissionId,
  saved,
  redirectTo,
  title,
}: {
  submissionId: string;
  saved: boolean;
  /** The page to come back to without JavaScript, and after logging in. */
  redirectTo: string;
  title: string;
}) {
  const fetcher = useFetcher<{ saved?: boolean; failure?: { message: string } }>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const pending = fetcher.formData?.get("intent");
  const failed = fetcher.state === "idle" ? fetcher.data?.failure : undefined;
  const shown = pending ? pending === "save" : saved;
  return (
    <fetcher.Form method="post" action="/favourites" className="inline-block">
      <input type="hidden" name="submissionId" value={submissionId} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <input type="hidden" name="reply" value={hydrated ? "data" : "redirect"} />
      <button
        type="submit"
        name="intent"
        value={shown ? "remove" : "save"}
        aria-pressed={shown}
        aria-label={shown ? `Saved: remove ${title} from your favourites` : `Save ${title} to your favourites`}
        className="inline-flex items-center gap-2 rounded-md border border-stone-300 bg-white px-4 py-2 font-semibold hover:bg-stone-100 aria-pressed:border-rose-300 aria-pressed:bg-rose-50 aria-pressed:text-rose-800"
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" className="h-5 w-5">
          <path
            d="M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 4.5 6.7 4.5c2.1 0 3.6 1.2 4.3 2.5.7-1.3 2.2-2.5 4.3-2.5 3.7 0 5.8 3.9 4.3 7.3C19.5 16.4 12 21 12 21z"
            fill={shown ? "currentColor" : "none"}
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinejoin="round"
          />
        </svg>
        {shown ? "Saved" : "Save"}
      </button>
      {failed ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {failed.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
