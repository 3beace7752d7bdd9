/**
 * Server-renders pages of the app inside a test, the way the production
 * server does (app/entry.server.tsx through Remix's request handler), from a
 * server build assembled here from the source route modules: the route tree
 * comes from Remix's own flat-routes convention, so new routes need no edits.
 * Browser assets are not built; their URLs in the HTML are placeholders.
 */
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import { REMIX_FUTURE } from "~/remix-future";
import { context } from "./requests";

type RouteModule = ServerBuild["routes"][string]["module"];

let handler: Promise<ReturnType<typeof createRequestHandler>> | undefined;

async function assembleBuild(): Promise<ServerBuild> {
  const appDirectory = path.resolve(import.meta.dirname, "../../app");
  const tree: ReturnType<typeof flatRoutes> = {
    root: { id: "root", path: "", file: "root.tsx" },
    ...flatRoutes(appDirectory),
  };
  const routes: ServerBuild["routes"] = {};
  const assetRoutes: ServerBuild["assets"]["routes"] = {};
  for (const route of Object.values(tree)) {
    const module = (await import(/* @vite-ignore */ path.join(appDirectory, route.file))) as RouteModule;
    const { parentId, index } = route;
    routes[route.id] = { id: route.id, parentId, path: route.path, index, module };
    assetRoutes[route.id] = {
      id: route.id,
      parentId,
      path: route.path,
      index,
      module: `/assets/${route.id}.js`,
      hasAction: Boolean(module.action),
      hasLoader: Boolean(module.loader),
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: Boolean(module.ErrorBoundary),
    };
  }
  const entry = (await import("~/entry.server")) as ServerBuild["entry"]["module"];
  return {
    mode: "production",
    entry: { module: entry },
    routes,
    assets: {
      entry: { module: "/assets/entry.client.js", imports: [] },
      routes: assetRoutes,
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: REMIX_FUTURE as ServerBuild["future"],
    isSpaMode: false,
  };
}

/** The response the app gives a browser for this request (HTML for a page). */
export async function renderPage(request: Request): Promise<Response> {
  handler ??= assembleBuild().then((build) => createRequestHandler(build, "production"));
  return (await handler)(request, context());
}
