import { Link } from "@remix-run/react";

/** What a used, expired or forged emailed link shows, with the way to get a new one. */
export function LinkNotValid({ message, to, label }: { message: string; to: string; label: string }) {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-3xl font-bold tracking-tight">Link not valid</h1>
      <p className="mt-2 text-stone-700">{message}</p>
      <Link
        to={to}
        className="mt-4 inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
      >
        {label}
      </Link>
    </div>
  );
}
