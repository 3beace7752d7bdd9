import { z } from "zod";
import { safeText } from "./safe-text";

/** Form schemas shared by the browser (Conform) and the server. */

const COMMON_PASSWORDS = new Set([
  "password",
  "password1",
  "password12",
  "password123",
  "password1234",
  "1234567890",
  "12345678910",
  "qwertyuiop",
  "qwerty1234",
  "iloveyou12",
  "letmein123",
  "welcome123",
  "admin12345",
  "abc1234567",
  "crowdthread",
  "crowdthread1",
  "football12",
  "baseball12",
  "monkey1234",
  "dragon1234",
  "sunshine12",
]);

export const email = safeText({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long")
  .pipe(z.email({ error: "Enter a valid email address" }));

/** What a username may be; the sign-up form and the URL parser share it. */
export const USERNAME_RULE = { pattern: /^[a-z0-9_]+$/, max: 30 };

export const username = safeText({ error: "Choose a username" })
  .trim()
  .toLowerCase()
  .min(3, "Usernames are at least 3 characters")
  .max(USERNAME_RULE.max, `Usernames are at most ${USERNAME_RULE.max} characters`)
  .regex(USERNAME_RULE.pattern, "Use only letters, digits and underscores");

export const newPassword = safeText({ error: "Choose a password" })
  .min(10, "Passwords need at least 10 characters")
  .max(200, "Passwords can be at most 200 characters")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "That password is too common; choose another")
  .refine((p) => new Set(p).size >= 4, "That password is too easy to guess; mix more characters");

/** Where to go after logging in or signing up: a convenience, so one that cannot be read falls back to the home page. */
const redirectTo = safeText().max(2000).optional().catch(undefined);

export const signupSchema = z
  .object({ email, username, password: newPassword, redirectTo })
  .refine((v) => !v.password.toLowerCase().includes(v.username), {
    path: ["password"],
    message: "Your password must not contain your username",
  });

export const loginSchema = z.object({
  email,
  password: safeText({ error: "Enter your password" }).min(1, "Enter your password").max(200),
  redirectTo,
});

export const changePasswordSchema = z
  .object({
    currentPassword: safeText({ error: "Enter your current password" }).max(200),
    newPassword,
    confirmPassword: safeText({ error: "Repeat the new password" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one",
  });

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z
  .object({
    newPassword,
    confirmPassword: safeText({ error: "Repeat the new password" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match",
  });

export const RESET_LINK_MINUTES = 60;
export const INVALID_RESET_LINK = "This reset link is invalid, used or expired. Ask for a new one.";

export const deleteAccountSchema = z.object({
  password: safeText({ error: "Enter your password to confirm" }).min(1, "Enter your password to confirm").max(200),
  confirm: z.literal("on", { error: "Tick the box to confirm you want your account deleted" }),
});

export const EMAIL_CHANGE_LINK_HOURS = 24;

export const changeEmailSchema = z.object({
  newEmail: email,
  password: safeText({ error: "Enter your password to confirm" }).min(1, "Enter your password to confirm").max(200),
});
