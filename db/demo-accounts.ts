/** The demo's logins, printed by `npm run demo` (kept apart from the seed, which loads the whole domain). */
export const DEMO_PASSWORD = "crowdthread-demo";

export const DEMO_ACCOUNTS = [
  { email: "admin@crowdthread.test", username: "admin", role: "admin" as const },
  { email: "ada@crowdthread.test", username: "ada", role: "member" as const },
  { email: "basquiat@crowdthread.test", username: "basquiat", role: "member" as const },
  { email: "frida@crowdthread.test", username: "frida", role: "member" as const },
  { email: "hokusai@crowdthread.test", username: "hokusai", role: "member" as const },
];
