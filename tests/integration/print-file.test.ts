import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { submissions } from "#db/schema";
import { createLoggedInUser, createWinningDesign } from "#tests/factories/index";
import { context, getRequest, settle } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { getStorage } from "~/lib/storage.server";
import { loader } from "~/routes/admin.products.$productId.print-file";

async function soldProduct() {
  const admin = await createLoggedInUser({ role: "admin" });
  const designer = await createLoggedInUser();
  const { tee, submissionId } = await createWinningDesign({
    title: "Moth & Lamp",
    seed: 910,
    designerId: designer.user.id,
  });
  const [submission] = await db.select().from(submissions).where(eq(submissions.id, submissionId));
  return { admin, designer, tee, master: submission!.images.master };
}

const fetchPrintFile = (productId: string, cookie?: string) =>
  settle(() =>
    loader({
      request: getRequest(`/admin/products/${productId}/print-file`, { cookie }),
      params: { productId },
      context: context(),
    }),
  );

describe("the print file of a product", () => {
  it("is the lossless master, downloaded by an admin, and nobody else", async () => {
    const { admin, designer, tee, master } = await soldProduct();
    expect(master.startsWith("private/")).toBe(true);

    const answer = await fetchPrintFile(tee.id, admin.cookie);
    expect(answer.status).toBe(200);
    expect(answer.response!.headers.get("Content-Type")).toBe("image/png");
    expect(answer.response!.headers.get("Content-Disposition")).toBe('attachment; filename="moth-lamp-tee-print.png"');
    expect(answer.response!.headers.get("Cache-Control")).toBe("private, no-store");
    const body = Buffer.from(await answer.response!.arrayBuffer());
    expect(body.equals((await getStorage().get(master))!.body)).toBe(true);

    // The designer and visitors get no file; a malformed or unknown id is a 404.
    expect((await fetchPrintFile(tee.id, designer.cookie)).status).toBe(403);
    expect((await fetchPrintFile(tee.id)).status).toBe(302);
    expect((await fetchPrintFile("\u0000", admin.cookie)).status).toBe(404);
    expect((await fetchPrintFile("00000000-0000-4000-8000-000000000000", admin.cookie)).status).toBe(404);
  });
});
