import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { z } from "zod";
import { cookieSecret, isSecureRequest } from "./cookies.server";

export const toastSchema = z.object({
  kind: z.enum(["success", "error", "info"]).default("success"),
  title: z.string().max(120),
  description: z.string().max(400).optional(),
});
export type Toast = z.infer<typeof toastSchema>;

const TOAST_KEY = "toast";

function storage(secure: boolean) {
  const secret = cookieSecret();
  return createCookieSessionStorage({
    cookie: {
      name: "ct_toast",
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure,
      secrets: [secret],
    },
  });
}

export async function toastHeader(request: Request, toast: Toast): Promise<string> {
  const store = storage(isSecureRequest(request));
  const session = await store.getSession();
  session.flash(TOAST_KEY, toastSchema.parse(toast));
  return store.commitSession(session);
}

export async function redirectWithToast(request: Request, url: string, toast: Toast, init?: ResponseInit) {
  const headers = new Headers(init?.headers);
  headers.append("Set-Cookie", await toastHeader(request, toast));
  return redirect(url, { ...init, headers });
}

/** Reads and consumes the pending toast; the returned header clears it. */
export async function popToast(request: Request): Promise<{ toast: Toast | null; setCookie: string | null }> {
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader?.includes("ct_toast=")) return { toast: null, setCookie: null };
  const store = storage(isSecureRequest(request));
  const session = await store.getSession(cookieHeader);
  const parsed = toastSchema.safeParse(session.get(TOAST_KEY));
  return {
    toast: parsed.success ? parsed.data : null,
    setCookie: await store.destroySession(session),
  };
}
