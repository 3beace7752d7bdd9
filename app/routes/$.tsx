import { GeneralErrorBoundary } from "~/components/error-boundary";

export async function loader() {
  throw new Response("The page you asked for does not exist, or it has moved.", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
