import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Double } from "#tests/support/s3-double";
import { contentKey, S3Storage } from "~/lib/storage.server";

let double: Awaited<ReturnType<typeof startS3Double>>;
beforeAll(async () => {
  double = await startS3Double("art");
});
afterAll(async () => {
  await double.close();
});

function storage(publicUrl?: string) {
  return new S3Storage({
    bucket: "art",
    region: "eu-west-1",
    endpoint: double.endpoint,
    accessKeyId: "AKIATEST",
    secretAccessKey: "secret",
    forcePathStyle: true,
    publicUrl,
  });
}

describe("S3 storage through the real AWS SDK", () => {
  it("puts once under the content key, with type, caching and a signature", async () => {
    const body = Buffer.from("fake webp bytes");
    const key = contentKey("public", body, "image/webp");
    const s3 = storage();
    double.received.length = 0;

    expect(await s3.put(key, body, "image/webp")).toEqual({ created: true });
    const puts = double.received.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toBe(`/art/${key}`);
    expect(puts[0]!.body.equals(body)).toBe(true);
    expect(puts[0]!.headers["content-type"]).toBe("image/webp");
    expect(puts[0]!.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(String(puts[0]!.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/eu-west-1\/s3\/aws4_request/,
    );

    // The same bytes again: already there, nothing uploaded.
    expect(await s3.put(key, body, "image/webp")).toEqual({ created: false });
    expect(double.received.filter((r) => r.method === "PUT")).toHaveLength(1);

    const fetched = await s3.get(key);
    expect(fetched?.body.equals(body)).toBe(true);
    expect(fetched?.contentType).toBe("image/webp");
  });

  it("keeps print masters private", async () => {
    const body = Buffer.from("png master");
    const key = contentKey("private", body, "image/png");
    await storage().put(key, body, "image/png");
    expect(double.objects.get(key)?.cacheControl).toBe("private, no-store");
  });

  it("deletes, and answers null for a missing key", async () => {
    const body = Buffer.from("to be removed");
    const key = contentKey("public", body, "image/jpeg");
    const s3 = storage();
    await s3.put(key, body, "image/jpeg");
    await s3.delete(key);
    expect(double.objects.has(key)).toBe(false);
    expect(await s3.get(key)).toBeNull();
  });

  it("serves through /images or straight from a public URL", () => {
    const key = contentKey("public", Buffer.from("x"), "image/webp");
    expect(storage().url(key)).toBe(`/images/${key.slice("public/".length)}`);
    expect(storage("https://cdn.example/art/").url(key)).toBe(`https://cdn.example/art/${key}`);
  });
});
