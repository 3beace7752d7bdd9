/** Seeds demo data into an empty database (migrating it first). */
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "#db/seed";
import { closeDatabase, getDatabaseHandle } from "~/lib/db.server";

try {
  await getDatabaseHandle().migrate();
  const { seeded, shipping } = await seedDemo();
  if (seeded) {
    console.log(`Demo data seeded: ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")} (password "${DEMO_PASSWORD}").`);
  } else {
    console.log(
      shipping
        ? "The database already has accounts; added the demo's shipping zones and tax rates (it had none)."
        : "The database already has accounts; nothing seeded.",
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
