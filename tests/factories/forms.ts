/** Form fields as a person fills them in, for tests that post forms. No database here: unit tests use it too. */

/** What an admin types into the new-round form for a valid round; tests change one field. */
export function roundFormFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: "Night shift",
    slug: "night-shift",
    brief: "Designs for people who work while the city sleeps.",
    submissionsOpenAt: "2030-01-01T00:00",
    votingOpensAt: "2030-01-10T00:00",
    votingClosesAt: "2030-01-20T00:00",
    maxSubmissionsPerDesigner: "3",
    minArtworkWidth: "1200",
    minArtworkHeight: "1200",
    winnersCount: "3",
    minVotes: "5",
    voterMinScored: "5",
    prize: "100",
    royaltyPercent: "15",
    offerTee: "on",
    teePrice: "25",
    ...overrides,
  };
}
