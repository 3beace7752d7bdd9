import { describe, expect, it } from "vitest";
import { postgresConnection } from "#db/client";

describe("DATABASE_URL", () => {
  it("takes a socket directory out of the URL, as libpq names it", () => {
    expect(postgresConnection("postgres://app@localhost/crowdthread?host=/var/run/postgresql")).toEqual({
      url: "postgres://app@localhost/crowdthread",
      host: "/var/run/postgresql",
    });
  });

  it("leaves a TCP address and other parameters alone", () => {
    const url = "postgres://app:secret@db.internal:6432/crowdthread?sslmode=require";
    expect(postgresConnection(url)).toEqual({ url });
    expect(postgresConnection("postgres://app@localhost/crowdthread?host=db.internal")).toEqual({
      url: "postgres://app@localhost/crowdthread?host=db.internal",
    });
  });
});
