import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAdmin } from "~/lib/auth.server";

// Loaders run in parallel, so every admin child route checks too; this one
// keeps the admin shell itself from rendering for anyone else.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

const SECTIONS = [
  ["/admin", "Overview"],
  ["/admin/moderation", "Moderation"],
  ["/admin/rounds", "Rounds"],
  ["/admin/proposals", "Proposals"],
  ["/admin/orders", "Orders"],
  ["/admin/shipping", "Shipping and tax"],
  ["/admin/payouts", "Payouts"],
  ["/admin/printful", "Printful"],
] as const;

export default function AdminLayout() {
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 md:grid-cols-[12rem_minmax(0,1fr)] print:block">
      <nav aria-label="Admin" className="flex flex-wrap gap-1 md:flex-col print:hidden">
        {SECTIONS.map(([to, label]) => (
          <NavLink
            key={to}
            to={to}
            end={to === "/admin"}
            className={({ isActive }) =>
              `rounded-md px-3 py-2 text-sm font-medium ${isActive ? "bg-brand-100 text-brand-900" : "hover:bg-stone-100"}`
            }
          >
            {label}
          </NavLink>
        ))}
      </nav>
      <div className="min-w-0">
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
