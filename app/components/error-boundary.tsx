import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be understood", body: "Check what you entered and try again." },
  403: { title: "You can't open this page", body: "Your account does not have access to it." },
  404: { title: "Page not found", body: "The page you asked for does not exist, or it has moved." },
  429: { title: "Too many attempts", body: "Please wait a little and try again." },
};

/** The page a person sees when something goes wrong: what happened and where to go next. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let detail: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    detail = typeof error.data === "string" ? error.data : undefined;
  }
  const message = MESSAGES[status] ?? {
    title: "Something went wrong on our side",
    body: "The error was logged. Try again in a moment; if it keeps happening, tell us.",
  };
  return (
    <section className="mx-auto max-w-xl py-16 text-center" aria-labelledby="error-title">
      <p className="text-sm font-semibold text-brand-600">Error {status}</p>
      <h1 id="error-title" className="mt-2 text-3xl font-bold tracking-tight">
        {message.title}
      </h1>
      <p className="mt-4 text-stone-700">{detail && status < 500 ? detail : message.body}</p>
      <div className="mt-8 flex justify-center gap-4">
        <Link to="/" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Go to the home page
        </Link>
        <Link to="/rounds" className="rounded-md border border-stone-300 px-4 py-2 font-semibold hover:bg-stone-100">
          Browse rounds
        </Link>
      </div>
    </section>
  );
}
