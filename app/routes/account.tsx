import { getFormProps, getInputProps, useForm, type Submission } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList, Field, SubmitButton, useIsPending } from "~/components/forms";
import { changePasswordSchema } from "~/domain/account-forms";
import { changePassword, listSessions, logOutEverywhere } from "~/domain/accounts.server";
import { z } from "zod";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { failureReply, invalidReply } from "~/lib/outcome.server";
import { endSessionAndRedirect } from "~/lib/new-session.server";
import { getSession, type SessionUser } from "~/lib/session.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Your account · Crowdthread" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = await getSession(request);
  const devices = await listSessions(user.id);
  return {
    user: { username: user.username, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() },
    devices: devices.map((d) => ({
      current: d.id === current?.session.id,
      userAgent: d.userAgent,
      lastActiveAt: d.lastActiveAt.toISOString(),
      createdAt: d.createdAt.toISOString(),
    })),
  };
}

const accountActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("logout-everywhere") }),
  changePasswordSchema.safeExtend({ intent: z.literal("change-password") }),
]);
type AccountAction = z.infer<typeof accountActionSchema>;

const PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: accountActionSchema });
  if (submission.status !== "success") return invalidReply(submission, { hideFields: PASSWORD_FIELDS });
  const value = submission.value;
  switch (value.intent) {
    case "logout-everywhere":
      return logOutEverywhereHere(request, user);
    case "change-password":
      return changePasswordHere(request, user, submission, value);
  }
}

async function logOutEverywhereHere(request: Request, user: SessionUser) {
  await logOutEverywhere(user.id);
  return endSessionAndRedirect(request, {
    redirectTo: "/login",
    toast: {
      kind: "info",
      title: "Logged out everywhere",
      description: "Every device, this one included, was signed out.",
    },
  });
}

async function changePasswordHere(
  request: Request,
  user: SessionUser,
  submission: Submission<unknown>,
  value: Extract<AccountAction, { intent: "change-password" }>,
) {
  // requireUser found the session, so it is there.
  const current = (await getSession(request))!;
  const changed = await changePassword(user.id, current.session.id, value.currentPassword, value.newPassword);
  if (!changed.ok) return failureReply(submission, changed, { hideFields: PASSWORD_FIELDS });
  return redirectWithToast(request, "/account", {
    kind: "success",
    title: "Password changed",
    description: "Your other devices were signed out.",
  });
}

export default function AccountPage() {
  const { user, devices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    constraint: getZodConstraint(changePasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section aria-labelledby="profile-heading" className="space-y-2">
        <h1 id="profile-heading" className="text-3xl font-bold tracking-tight">
          @{user.username}
        </h1>
        <p className="text-stone-700">{user.email}</p>
        <p className="text-sm text-stone-600">
          {user.role === "admin" ? "Administrator" : "Member"} since {formatDateTime(user.createdAt)} UTC
        </p>
        {/* The header's Log out is hidden on a phone; here it is. */}
        <Form method="post" action="/logout" className="sm:hidden">
          <button
            type="submit"
            className="mt-2 rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold text-stone-700"
          >
            Log out
          </button>
        </Form>

        <p className="pt-2">
          <Link to="/account/submissions" className="font-semibold text-brand-700 underline">
            Your designs
          </Link>{" "}
          ·{" "}
          <Link to="/account/royalties" className="font-semibold text-brand-700 underline">
            Your royalties
          </Link>{" "}
          ·{" "}
          <Link to="/account/favourites" className="font-semibold text-brand-700 underline">
            Your favourites
          </Link>{" "}
          ·{" "}
          <Link to="/orders" className="font-semibold text-brand-700 underline">
            Your orders
          </Link>{" "}
          ·{" "}
          <Link to="/settings" className="font-semibold text-brand-700 underline">
            Profile, notifications and privacy settings
          </Link>
        </p>

        <h2 className="pt-6 text-xl font-semibold">Where you are logged in</h2>
        <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {devices.map((d) => (
            <li key={d.createdAt + (d.userAgent ?? "")} className="px-4 py-3 text-sm">
              <p className="font-medium">
                {summariseAgent(d.userAgent)}{" "}
                {d.current ? (
                  <span className="ml-1 rounded bg-brand-100 px-1.5 py-0.5 text-xs text-brand-900">this device</span>
                ) : null}
              </p>
              <p className="text-stone-600">Last active {formatDateTime(d.lastActiveAt)} UTC</p>
            </li>
          ))}
        </ul>
        <Form method="post">
          <input type="hidden" name="intent" value="logout-everywhere" />
          <button
            type="submit"
            className="mt-2 rounded-md border border-red-300 px-4 py-2 text-sm font-semibold text-red-800 hover:bg-red-50"
          >
            Log out of all devices
          </button>
        </Form>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading" className="text-xl font-semibold">
          Change password
        </h2>
        <Form
          method="post"
          {...getFormProps(form)}
          className="mt-4 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
        >
          <input type="hidden" name="intent" value="change-password" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Current password"
            errors={fields.currentPassword.errors}
            inputProps={{
              ...getInputProps(fields.currentPassword, { type: "password" }),
              autoComplete: "current-password",
            }}
          />
          <Field
            label="New password"
            hint="At least 10 characters."
            errors={fields.newPassword.errors}
            inputProps={{ ...getInputProps(fields.newPassword, { type: "password" }), autoComplete: "new-password" }}
          />
          <Field
            label="Repeat new password"
            errors={fields.confirmPassword.errors}
            inputProps={{
              ...getInputProps(fields.confirmPassword, { type: "password" }),
              autoComplete: "new-password",
            }}
          />
          <SubmitButton pending={pending}>Change password</SubmitButton>
        </Form>
      </section>
    </div>
  );
}

function summariseAgent(agent: string | null) {
  if (!agent) return "Unknown device";
  const browser = /Firefox\//.test(agent)
    ? "Firefox"
    : /Edg\//.test(agent)
      ? "Edge"
      : /Chrome\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : "Browser";
  const os = /Android/.test(agent)
    ? "Android"
    : /iPhone|iPad/.test(agent)
      ? "iOS"
      : /Mac OS X/.test(agent)
        ? "macOS"
        : /Windows/.test(agent)
          ? "Windows"
          : /Linux/.test(agent)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}
