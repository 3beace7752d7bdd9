import { describe, expect, it } from "vitest";
import { checkoutSchema, rulesFromDestinations } from "~/domain/order-forms";

// The browser's rules: the destinations the checkout loader sends.
const schema = checkoutSchema(
  rulesFromDestinations([
    { country: "US", name: "United States", regions: [{ code: "OR", name: "Oregon" }] },
    { country: "GB", name: "United Kingdom", regions: null },
  ]),
);
const errors = (input: unknown) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("the checkout address form", () => {
  it("flags a country's postal code and region while the rest is still empty", () => {
    expect(errors({ country: "US", postalCode: "x" })).toEqual({
      name: "Enter the recipient's name",
      line1: "Enter the street address",
      city: "Enter the city",
      region: "Choose the state",
      postalCode: "Enter a postal code as it is written in United States",
    });
  });

  it("takes a valid address, upper-cases codes, and drops a region the country has no field for", () => {
    const base = { name: "Ada", line1: "1 Way", city: "X" };
    expect(schema.parse({ ...base, country: "us", region: "OR", postalCode: "97201-1234" })).toMatchObject({
      country: "US",
      region: "OR",
      postalCode: "97201-1234",
    });
    expect(schema.parse({ ...base, country: "GB", region: "OR", postalCode: "ec1a 1bb" })).toMatchObject({
      region: "",
      postalCode: "EC1A 1BB",
    });
  });

  it("refuses a country it does not list", () => {
    expect(errors({ name: "Ada", line1: "1 Way", city: "X", country: "FR", postalCode: "75001" })).toEqual({
      country: "Choose the country from the list",
    });
  });
});
