import { describe, expect, it } from "vitest";
import { addressLines } from "~/domain/addresses.server";

const street = { name: "Pat Doe", line1: "1 Main Street", line2: "" };

describe("an address in its country's order", () => {
  it.each([
    ["US", { city: "Portland", region: "OR", postalCode: "97205" }, ["Portland, OR 97205", "United States"]],
    ["CA", { city: "Toronto", region: "ON", postalCode: "M5H 2N2" }, ["Toronto ON M5H 2N2", "Canada"]],
    ["AU", { city: "Sydney", region: "NSW", postalCode: "2000" }, ["Sydney NSW 2000", "Australia"]],
    ["GB", { city: "Bristol", region: "", postalCode: "BS1 4DJ" }, ["Bristol", "BS1 4DJ", "United Kingdom"]],
    ["DE", { city: "Berlin", region: "", postalCode: "10115" }, ["10115 Berlin", "Germany"]],
    ["FR", { city: "Paris", region: "", postalCode: "75001" }, ["75001 Paris", "France"]],
  ])("%s", (country, place, expected) => {
    expect(addressLines({ ...street, ...place, country })).toEqual(["Pat Doe", "1 Main Street", ...expected]);
  });

  it("keeps the second street line, and a country without postal codes has none", () => {
    expect(
      addressLines({ ...street, line2: "Apt 4", city: "Dublin", region: "", postalCode: "", country: "IE" }),
    ).toEqual(["Pat Doe", "1 Main Street", "Apt 4", "Dublin", "Ireland"]);
  });
});
