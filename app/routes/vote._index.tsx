import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RoundGrid } from "~/components/round-card";
import { listRounds } from "~/domain/rounds.server";
import { getOptionalUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Vote · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const rounds = await listRounds(await getOptionalUser(request));
  return { voting: rounds.filter((r) => r.phase === "voting") };
}

export default function VotePage() {
  const { voting } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-3xl font-bold tracking-tight">Vote</h1>
      <p className="mt-2 max-w-2xl text-stone-700">
        Score each design from 0 to 5 while its round's voting window is open. Scores stay hidden until the round
        closes.
      </p>
      <RoundGrid rounds={voting} empty="No round is open for voting right now." spacing="mt-6" />
    </div>
  );
}
