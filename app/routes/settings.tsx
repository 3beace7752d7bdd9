import { getFormProps, getInputProps, getTextareaProps, useForm, type Submission } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { Avatar } from "~/components/avatar";
import { ErrorList, Field, SubmitButton, TextareaField, useIsPending } from "~/components/forms";
import { changeEmailSchema, EMAIL_CHANGE_LINK_HOURS } from "~/domain/account-forms";
import { requestEmailChange } from "~/domain/email-change.server";
import { channelsFor, NOTIFICATION_KINDS, notificationCheckboxes, prefsFromForm } from "~/domain/notification-kinds";
import { saveNotificationPrefs } from "~/domain/notifications.server";
import { BIO_MAX, LINKS_MAX, profileSchema } from "~/domain/profile-forms";
import { removeAvatar, setAvatar, settingsOf, updateProfile } from "~/domain/profiles.server";
import { requireUser } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { FAILURE_STATUS, failureReply, invalidReply } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";
import { readMultipartUpload } from "~/lib/uploads.server";
import { readForm } from "~/lib/edge.server";

export const meta: MetaFunction = () => [{ title: "Settings · Crowdthread" }];

const AVATAR_MAX_MB = 10;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const settings = await settingsOf(user.id);
  if (!settings) throw new Response("Account not found", { status: 404 });
  return {
    username: settings.username,
    email: settings.email,
    profile: { displayName: settings.displayName ?? "", bio: settings.bio, links: settings.links.join("\n") },
    avatarUrl: settings.avatar?.large ?? null,
    kinds: NOTIFICATION_KINDS.map((k) => ({ ...k, ...channelsFor(settings.notificationPrefs, k.kind) })),
  };
}

const settingsActionSchema = z.discriminatedUnion("intent", [
  profileSchema.safeExtend({ intent: z.literal("profile") }),
  z.object({ intent: z.literal("avatar") }),
  z.object({ intent: z.literal("remove-avatar") }),
  changeEmailSchema.safeExtend({ intent: z.literal("email") }),
  z.object({ intent: z.literal("notifications"), ...notificationCheckboxes }),
]);
type SettingsAction = z.infer<typeof settingsActionSchema>;
type Section = "profile" | "avatar" | "email" | "notifications" | "remove-avatar";
type Intent<I extends SettingsAction["intent"]> = Extract<SettingsAction, { intent: I }>;

function avatarRefused(message: string, status: number) {
  return data({ section: "avatar" as Section, avatarError: message, result: null }, { status });
}

/**
 * The posted form, read once. The avatar form is multipart and is read with
 * its size limit; the others are plain forms. Which form it was is then
 * decided by its `intent`, never by how it was encoded.
 */
async function readSettingsForm(request: Request) {
  if (!(request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data"))
    return { ok: true as const, formData: await readForm(request), file: null };
  return readMultipartUpload(request, {
    fileField: "avatar",
    maxBytes: Math.min(AVATAR_MAX_MB, getEnv().UPLOAD_MAX_MB) * 1024 * 1024,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readSettingsForm(request);
  if (!form.ok) return avatarRefused(form.message, form.status);
  const submission = parseWithZod(form.formData, { schema: settingsActionSchema });
  if (submission.status !== "success") {
    const intent = submission.payload.intent;
    const section = typeof intent === "string" && SECTIONS.includes(intent as Section) ? (intent as Section) : null;
    return invalidReply(submission, { hideFields: ["password"], extra: { section, avatarError: null } });
  }
  const value = submission.value;
  switch (value.intent) {
    case "profile":
      return saveProfile(request, user.id, value);
    case "avatar":
      return uploadAvatar(request, user.id, form.file);
    case "remove-avatar":
      return dropAvatar(request, user.id);
    case "email":
      return askForEmailChange(request, user.id, submission, value);
    case "notifications":
      return saveNotifications(request, user.id, value);
  }
}

const SECTIONS: readonly Section[] = ["profile", "avatar", "email", "notifications", "remove-avatar"];

async function saveProfile(request: Request, userId: string, value: Intent<"profile">) {
  await updateProfile(userId, value);
  return redirectWithToast(request, "/settings", { kind: "success", title: "Profile saved" });
}

async function uploadAvatar(request: Request, userId: string, file: Buffer | null) {
  if (!file) return avatarRefused("Choose an image to upload.", 400);
  const saved = await setAvatar(userId, file);
  if (!saved.ok) return avatarRefused(saved.message, FAILURE_STATUS[saved.code]);
  return redirectWithToast(request, "/settings", { kind: "success", title: "Avatar updated" });
}

async function dropAvatar(request: Request, userId: string) {
  await removeAvatar(userId);
  return redirectWithToast(request, "/settings", { kind: "info", title: "Avatar removed" });
}

async function askForEmailChange(
  request: Request,
  userId: string,
  submission: Submission<unknown>,
  value: Intent<"email">,
) {
  const requested = await requestEmailChange(userId, value.newEmail, value.password);
  if (!requested.ok)
    return failureReply(submission, requested, {
      hideFields: ["password"],
      extra: { section: "email" as Section, avatarError: null },
    });
  return redirectWithToast(request, "/settings", {
    kind: "info",
    title: "Check your new inbox",
    description: `We sent a confirmation link to ${value.newEmail}. Your email changes when you open it.`,
  });
}

async function saveNotifications(request: Request, userId: string, value: Intent<"notifications">) {
  await saveNotificationPrefs(userId, prefsFromForm(value));
  return redirectWithToast(request, "/settings#notifications", {
    kind: "success",
    title: "Notification settings saved",
  });
}

/** One card of the settings page; `id` is also the anchor (/settings#notifications). */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-heading`}
      className="mt-6 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <h2 id={`${id}-heading`} className="text-xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function SettingsPage() {
  const { username, email, profile, avatarUrl, kinds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const savingProfile = useIsPending({ intent: "profile" });
  const savingAvatar = useIsPending({ intent: "avatar" });
  const sendingEmail = useIsPending({ intent: "email" });
  const savingNotifications = useIsPending({ intent: "notifications" });
  const [emailForm, emailFields] = useForm({
    id: "change-email",
    lastResult: actionData?.section === "email" ? actionData.result : undefined,
    constraint: getZodConstraint(changeEmailSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changeEmailSchema }),
  });
  const [form, fields] = useForm({
    id: "profile-form",
    lastResult: actionData?.section === "profile" ? actionData.result : undefined,
    defaultValue: profile,
    constraint: getZodConstraint(profileSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: profileSchema }),
  });
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="text-3xl font-bold tracking-tight">Settings</h1>
      <p className="mt-1 text-stone-700">
        Signed in as {email}.{" "}
        <Link to={`/designers/${username}`} className="font-semibold text-brand-700 underline">
          See your public profile
        </Link>
      </p>

      <Section id="profile" title="Profile">
        <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Display name"
            hint="Shown instead of your @username on your profile."
            errors={fields.displayName.errors}
            inputProps={{ ...getInputProps(fields.displayName, { type: "text" }), autoComplete: "nickname" }}
          />
          <TextareaField
            label="Bio"
            hint={`Up to ${BIO_MAX} characters. Markdown: *emphasis*, **bold**, links and lists.`}
            errors={fields.bio.errors}
            textareaProps={{ ...getTextareaProps(fields.bio), rows: 5 }}
          />
          <TextareaField
            label="Links"
            hint={`Your portfolio, shop or social pages: one web address per line, up to ${LINKS_MAX}.`}
            errors={fields.links.errors}
            textareaProps={{ ...getTextareaProps(fields.links), rows: 3, className: "font-mono text-sm" }}
          />
          <SubmitButton pending={savingProfile}>Save profile</SubmitButton>
        </Form>
      </Section>

      <Section id="avatar" title="Avatar">
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <Avatar avatarUrl={avatarUrl} username={username} alt="Your avatar" />
          <Form method="post" encType="multipart/form-data" className="space-y-2">
            <input type="hidden" name="intent" value="avatar" />
            <label htmlFor="avatar-file" className="block font-medium">
              Upload a picture
            </label>
            <p id="avatar-hint" className="text-sm text-stone-600">
              PNG, JPEG or WebP, at least 128 × 128 pixels, up to {AVATAR_MAX_MB} MB. We crop it square and remove its
              metadata.
            </p>
            <input
              id="avatar-file"
              name="avatar"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              required
              aria-describedby="avatar-hint avatar-error"
              className="block text-sm"
            />
            {actionData?.avatarError ? (
              <p id="avatar-error" role="alert" className="text-sm text-red-700">
                {actionData.avatarError}
              </p>
            ) : null}
            <SubmitButton pending={savingAvatar}>Upload avatar</SubmitButton>
          </Form>
          {avatarUrl ? (
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="remove-avatar"
                className="rounded-md border border-stone-300 px-3 py-2 text-sm font-semibold hover:bg-stone-100"
              >
                Remove avatar
              </button>
            </Form>
          ) : null}
        </div>
      </Section>

      <Section id="email" title="Email address">
        <p className="mt-1 text-sm text-stone-700">
          Now {email}. We send a link to the new address; the change happens when you open it (within{" "}
          {EMAIL_CHANGE_LINK_HOURS} hours), and we tell the old address too.
        </p>
        <Form method="post" {...getFormProps(emailForm)} className="mt-4 space-y-4">
          <input type="hidden" name="intent" value="email" />
          <ErrorList id={emailForm.errorId} errors={emailForm.errors} />
          <Field
            label="New email address"
            errors={emailFields.newEmail.errors}
            inputProps={{ ...getInputProps(emailFields.newEmail, { type: "email" }), autoComplete: "email" }}
          />
          <Field
            label="Your password"
            errors={emailFields.password.errors}
            inputProps={{
              ...getInputProps(emailFields.password, { type: "password" }),
              autoComplete: "current-password",
            }}
          />
          <SubmitButton pending={sendingEmail}>Send confirmation link</SubmitButton>
        </Form>
      </Section>

      <Section id="notifications" title="Notifications">
        <p className="mt-1 text-sm text-stone-700">
          Choose what rings the bell and what we email you. Email is off until you turn it on. Mail about your account
          itself (password resets and changes) always comes.
        </p>
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="notifications" />
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-stone-200">
                <th scope="col" className="py-2 font-semibold">
                  Tell me when…
                </th>
                <th scope="col" className="w-16 py-2 text-center font-semibold">
                  Bell
                </th>
                <th scope="col" className="w-16 py-2 text-center font-semibold">
                  Email
                </th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k.kind} className="border-b border-stone-100">
                  <th scope="row" className="py-2 font-normal">
                    {k.label}
                  </th>
                  <td className="text-center">
                    <input
                      type="checkbox"
                      name={`inApp:${k.kind}`}
                      defaultChecked={k.inApp}
                      aria-label={`${k.label}: in the bell`}
                      className="size-4"
                    />
                  </td>
                  <td className="text-center">
                    <input
                      type="checkbox"
                      name={`email:${k.kind}`}
                      defaultChecked={k.email}
                      aria-label={`${k.label}: by email`}
                      className="size-4"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <SubmitButton pending={savingNotifications} className="mt-4">
            Save notification settings
          </SubmitButton>
        </Form>
      </Section>

      <Section id="privacy" title="Account and privacy">
        <ul className="mt-3 space-y-2">
          <li>
            <Link to="/account" className="font-semibold text-brand-700 underline">
              Password and signed-in devices
            </Link>
          </li>
          <li>
            <Link to="/settings/addresses" className="font-semibold text-brand-700 underline">
              Saved shipping addresses
            </Link>
          </li>
          <li>
            <a href="/account/export.json" download className="font-semibold text-brand-700 underline">
              Download all your data (JSON)
            </a>
          </li>
          <li>
            <Link to="/settings/delete" className="font-semibold text-red-700 underline">
              Delete your account
            </Link>
          </li>
        </ul>
      </Section>
    </div>
  );
}
