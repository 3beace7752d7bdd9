import { describe, expect, it } from "vitest";
import { changePasswordSchema, signupSchema } from "~/domain/account-forms";
import { safeRedirectPath } from "~/lib/auth.server";

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("signupSchema", () => {
  it("lower-cases email and username", () => {
    const parsed = signupSchema.parse({
      email: " Ada@Example.COM ",
      username: "Ada_L",
      password: "analytical engine 1843",
    });
    expect(parsed).toMatchObject({ email: "ada@example.com", username: "ada_l" });
  });

  it.each([
    ["short", "password: Passwords need at least 10 characters"],
    ["password123", "password: That password is too common; choose another"],
    ["aaaaaaaaaaaa", "password: That password is too easy to guess; mix more characters"],
    ["ada_l-is-great", "password: Your password must not contain your username"],
  ])("refuses the weak password %s", (password, message) => {
    expect(errorsOf(signupSchema.safeParse({ email: "ada@example.com", username: "ada_l", password }))).toContain(
      message,
    );
  });

  it("refuses a malformed email and username", () => {
    const errors = errorsOf(
      signupSchema.safeParse({ email: "not-an-email", username: "a b", password: "analytical engine" }),
    );
    expect(errors).toContain("email: Enter a valid email address");
    expect(errors).toContain("username: Use only letters, digits and underscores");
  });
});

describe("changePasswordSchema", () => {
  it("requires the repeat to match and the new password to differ", () => {
    expect(
      errorsOf(
        changePasswordSchema.safeParse({
          currentPassword: "old password 1",
          newPassword: "new password 22",
          confirmPassword: "new password 23",
        }),
      ),
    ).toContain("confirmPassword: The two new passwords do not match");
    expect(
      errorsOf(
        changePasswordSchema.safeParse({
          currentPassword: "same password 1",
          newPassword: "same password 1",
          confirmPassword: "same password 1",
        }),
      ),
    ).toContain("newPassword: Choose a password different from the current one");
  });
});

describe("safeRedirectPath", () => {
  it("keeps local paths and refuses other sites", () => {
    expect(safeRedirectPath("/account?tab=1")).toBe("/account?tab=1");
    expect(safeRedirectPath("//evil.example")).toBe("/");
    expect(safeRedirectPath("/\\evil.example")).toBe("/");
    expect(safeRedirectPath("https://evil.example")).toBe("/");
    expect(safeRedirectPath(null, "/x")).toBe("/x");
  });
});
