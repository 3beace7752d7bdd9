/** Promotes an account to admin: `npm run user:admin -- someone@example.com` (`--revoke` demotes). */
import { setRole } from "~/domain/accounts.server";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";

const args = process.argv.slice(2);
const revoke = args.includes("--revoke");
const email = args.find((a) => !a.startsWith("--"));

if (!email) {
  console.error("Usage: npm run user:admin -- <email> [--revoke]");
  process.exit(2);
}

try {
  await getDatabaseHandle().migrate();
  const changed = await setRole(email, revoke ? "member" : "admin");
  if (!changed) {
    console.error(`No account has the email ${email}.`);
    process.exitCode = 1;
  } else {
    console.log(revoke ? `${email} is now a member.` : `${email} is now an admin.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
