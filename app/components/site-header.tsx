import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

type HeaderUser = { username: string; role: "member" | "admin" } | null;

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-2 py-2 text-sm font-medium whitespace-nowrap sm:px-3 ${isActive ? "bg-brand-100 text-brand-900" : "text-stone-700 hover:bg-stone-100"}`;
/** The links beside the logo: a little narrower on a phone, so that they share its row down to 360 px. */
const barLinkClass = (state: { isActive: boolean }) => `${linkClass(state)} max-sm:px-1.5`;

/** The header's icons: 24-unit line drawings in the text colour, hidden from screen readers (the links name themselves). */
function LineIcon({ className, children }: { className: string; children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

export function SiteHeader({ user, cartCount, unread }: { user: HeaderUser; cartCount: number; unread: number }) {
  // A member's header has four items on the right (an admin's one link more): the search field waits for
  // 1280 px (xl) there, and below that the icon stands in for it, so the header stays one row at 1024 px.
  const searchField = user ? "xl" : "sm";
  return (
    <header className="border-b border-stone-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 gap-y-2 px-4 py-3 sm:gap-x-4">
        <Link to="/" className="text-base font-black tracking-tight text-brand-700 min-[380px]:text-lg sm:text-xl">
          Crowdthread
        </Link>
        {/* On a phone the links scroll sideways when they do not fit, and the edge they go under fades (scroll-cue). */}
        <nav
          aria-label="Main"
          className="scroll-cue order-last -mx-1 flex w-full gap-0.5 overflow-x-auto sm:order-none sm:w-auto sm:gap-1"
        >
          <NavLink to="/rounds" className={linkClass}>
            Rounds
          </NavLink>
          <NavLink to="/vote" className={linkClass}>
            Vote
          </NavLink>
          <NavLink to="/proposals" className={linkClass}>
            Proposals
          </NavLink>
          <NavLink to="/shop" className={linkClass}>
            Shop
          </NavLink>
          <NavLink to="/critique" className={linkClass}>
            Critique
          </NavLink>
          {user?.role === "admin" ? (
            <NavLink to="/admin" className={linkClass}>
              Admin
            </NavLink>
          ) : null}
        </nav>
        <Form
          method="get"
          action="/search"
          role="search"
          // From sm up; a phone gets the search icon beside the cart, so the header keeps two rows. It gives way
          // (down to its basis) before the links beside it would wrap to a second row, and grows into what is left.
          className={`hidden max-w-xs gap-1 ${searchField === "xl" ? "xl:flex xl:flex-1 xl:basis-40" : "sm:flex sm:flex-1 sm:basis-40"}`}
        >
          <label htmlFor="site-search" className="sr-only">
            Search designs, products and designers
          </label>
          <input
            id="site-search"
            type="search"
            name="q"
            maxLength={200}
            placeholder="Search designs"
            className="w-0 min-w-0 flex-1 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm"
          />
          {/* An icon, so the field keeps room for its placeholder while the header stays one row at 1280 px. */}
          <button
            type="submit"
            aria-label="Search"
            className="rounded-md border border-stone-300 px-2 py-1.5 text-stone-700 hover:bg-stone-100"
          >
            <LineIcon className="h-5 w-5">
              <circle cx="11" cy="11" r="7" />
              <path d="m20 20-3.5-3.5" />
            </LineIcon>
          </button>
        </Form>
        <div className="ml-auto flex items-center sm:gap-2">
          <NavLink
            to="/search"
            className={(state) => `${barLinkClass(state)} ${searchField === "xl" ? "xl:hidden" : "sm:hidden"}`}
            aria-label="Search"
          >
            <LineIcon className="inline h-5 w-5">
              <circle cx="11" cy="11" r="7" />
              <path d="m20 20-3.5-3.5" />
            </LineIcon>
          </NavLink>
          <NavLink to="/cart" className={barLinkClass}>
            {/* On a phone a bag, so a visitor's Log in and Sign up fit beside the logo; the word from sm up. */}
            <LineIcon className="inline h-5 w-5 sm:hidden">
              <path d="M6 7h12l1 14H5L6 7Z" />
              <path d="M9 10V6a3 3 0 0 1 6 0v4" />
            </LineIcon>
            <span className="sr-only sm:not-sr-only">Cart</span>
            {cartCount ? (
              <span className="ml-1 rounded-full bg-brand-600 px-1.5 py-0.5 text-xs font-bold text-white">
                {cartCount}
              </span>
            ) : null}
            <span className="sr-only">
              {" "}
              ({cartCount} item{cartCount === 1 ? "" : "s"})
            </span>
          </NavLink>
          {user ? (
            <>
              <NavLink to="/notifications" className={barLinkClass} aria-label={`Notifications, ${unread} unread`}>
                <LineIcon className="inline h-5 w-5">
                  <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" />
                  <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                </LineIcon>
                {unread ? (
                  <span className="ml-1 rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-bold text-white">
                    {unread}
                  </span>
                ) : null}
              </NavLink>
              <NavLink to="/account" className={barLinkClass}>
                <span className="sr-only">Your account: </span>
                {/* On a phone an icon, so the logo and these links share one row; the name from sm up. */}
                <LineIcon className="inline h-5 w-5 sm:hidden">
                  <circle cx="12" cy="8" r="4" />
                  <path d="M4 21a8 8 0 0 1 16 0" />
                </LineIcon>
                <span className="sr-only sm:not-sr-only">@{user.username}</span>
              </NavLink>
              {/* On a phone, Log out is on the account page, so the logo and these links share one row. */}
              <Form method="post" action="/logout" className="hidden sm:block">
                <button
                  type="submit"
                  className="rounded-md px-2 py-2 text-sm font-medium whitespace-nowrap text-stone-700 hover:bg-stone-100 sm:px-3"
                >
                  Log out
                </button>
              </Form>
            </>
          ) : (
            <>
              <NavLink to="/login" className={barLinkClass}>
                Log in
              </NavLink>
              <Link
                to="/signup"
                className="ml-0.5 rounded-md bg-brand-600 px-2 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-700 sm:ml-0 sm:px-3"
              >
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
