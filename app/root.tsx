import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import stylesheet from "./app.css?url";
import { CONTENT_PAGES } from "./components/content-links";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { SiteHeader } from "./components/site-header";
import { Toaster } from "./components/toaster";
import { cartItemCount } from "./domain/cart.server";
import { unreadCount } from "./domain/notifications.server";
import { getOptionalUser } from "./lib/auth.server";
import { currentCartId } from "./lib/cart-session.server";
import { getPublicEnv } from "./lib/env.server";
import { popToast } from "./lib/toast.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Crowdthread — designs chosen by the crowd" },
  {
    name: "description",
    content: "Submit artwork, vote on designs, and buy the winners. Designers earn a royalty on every sale.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, { toast, setCookie }, cartId] = await Promise.all([
    getOptionalUser(request),
    popToast(request),
    currentCartId(request),
  ]);
  const [cartCount, unread] = await Promise.all([cartId ? cartItemCount(cartId) : 0, user ? unreadCount(user.id) : 0]);
  return data(
    {
      user: user ? { id: user.id, username: user.username, role: user.role } : null,
      toast,
      cartCount,
      unread,
      env: getPublicEnv(),
    },
    { headers: setCookie ? { "Set-Cookie": setCookie } : undefined },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  useEffect(() => {
    // Browser tests wait for this marker before they click.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <SiteHeader user={rootData?.user ?? null} cartCount={rootData?.cartCount ?? 0} unread={rootData?.unread ?? 0} />
        <Toaster toast={rootData?.toast ?? null} />
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 print:max-w-none print:p-0">
          {children}
        </main>
        <footer className="border-t border-stone-200 py-6 text-center text-sm text-stone-600 print:hidden">
          <nav aria-label="About the shop">
            <ul className="flex flex-wrap justify-center gap-x-5 gap-y-2 px-4">
              {CONTENT_PAGES.map((page) => (
                <li key={page.slug}>
                  <Link to={`/${page.slug}`} className="hover:text-stone-900 hover:underline">
                    {page.label}
                  </Link>
                </li>
              ))}
              <li>
                <Link to="/ranking" className="hover:text-stone-900 hover:underline">
                  How ranking works
                </Link>
              </li>
            </ul>
          </nav>
          <p className="mt-3">
            Crowdthread — open-source, fair to designers. Ranking rules are public; royalties are auditable.
          </p>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
