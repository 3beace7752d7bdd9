import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ErrorList, Field, SubmitButton, TextareaField, useIsPending } from "~/components/forms";
import { submissionDetailsSchema } from "~/domain/submission-forms";
import { checkCanSubmit, findRoundForUpload } from "~/domain/submissions.server";
import { requireUser } from "~/lib/auth.server";
import { parseParams, slugParam } from "~/lib/edge.server";
import { getEnv } from "~/lib/env.server";
import { receiveSubmission, uploadToast } from "~/lib/submission-upload.server";
import { redirectWithToast } from "~/lib/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Submit to ${data?.round?.title ?? "a round"} · Crowdthread` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const user = await requireUser(request);
  const round = await findRoundForUpload(slug, user);
  if (!round) throw new Response("There is no round at this address.", { status: 404 });
  const allowed = await checkCanSubmit(round, user.id);
  return {
    round: {
      slug,
      title: round.title,
      maxSubmissionsPerDesigner: round.maxSubmissionsPerDesigner,
      minArtworkWidth: round.minArtworkWidth,
      minArtworkHeight: round.minArtworkHeight,
    },
    refusal: allowed.ok ? null : allowed.message,
    used: allowed.ok ? allowed.value.used : null,
    maxMegabytes: getEnv().UPLOAD_MAX_MB,
  };
}

/** Without JavaScript the form posts here; with it, to ./upload for progress. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { slug } = parseParams(params, { slug: slugParam });
  const user = await requireUser(request);
  const received = await receiveSubmission(request, user.id, slug);
  if (!received.ok)
    return data({ formErrors: received.formErrors, fieldErrors: received.fieldErrors }, { status: received.status });
  return redirectWithToast(request, `/submissions/${received.submissionId}`, uploadToast(received.approved));
}

const ACCEPTED_TYPES = ["image/png", "image/jpeg", "image/webp"];

type ServerErrors = { formErrors: string[]; fieldErrors: Record<string, string[]> };

export default function SubmitPage() {
  const { round, refusal, used, maxMegabytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useIsPending();
  const navigate = useNavigate();
  const [serverErrors, setServerErrors] = useState<ServerErrors | null>(null);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const errors = serverErrors ?? actionData ?? null;
  const [form, fields] = useForm({
    id: "submit-artwork",
    constraint: getZodConstraint(submissionDetailsSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: submissionDetailsSchema }),
  });

  useEffect(() => () => void (previewUrl && URL.revokeObjectURL(previewUrl)), [previewUrl]);

  function onFileChange() {
    const file = fileInput.current?.files?.[0];
    setFileError(null);
    setPreviewUrl(null);
    if (!file) return;
    if (!ACCEPTED_TYPES.includes(file.type)) setFileError("Choose a PNG, JPEG or WebP image.");
    else if (file.size > maxMegabytes * 1024 * 1024) setFileError(`The file is larger than ${maxMegabytes} MB.`);
    setPreviewUrl(URL.createObjectURL(file));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Conform validated the text fields already; send everything with progress reporting.
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setFileError("Choose an image file to upload");
      return;
    }
    if (fileError) return;
    const body = new FormData(event.currentTarget);
    const request = new XMLHttpRequest();
    request.open("POST", `/rounds/${round.slug}/upload`);
    request.responseType = "json";
    request.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    request.onload = () => {
      const reply = request.response as ({ ok: true; redirectTo: string } | ({ ok: false } & ServerErrors)) | null;
      setProgress(null);
      if (reply?.ok) navigate(reply.redirectTo);
      else setServerErrors(reply ?? { formErrors: ["The upload failed. Please try again."], fieldErrors: {} });
    };
    request.onerror = () => {
      setProgress(null);
      setServerErrors({
        formErrors: ["The connection was lost during the upload. Please try again."],
        fieldErrors: {},
      });
    };
    setServerErrors(null);
    setProgress(0);
    request.send(body);
  }

  const uploading = progress !== null || submitting;
  const artworkErrors = [fileError, ...(errors?.fieldErrors?.artwork ?? [])].filter((e): e is string => Boolean(e));

  return (
    <div className="mx-auto max-w-3xl">
      <p className="text-sm">
        <Link to={`/rounds/${round.slug}`} className="text-brand-700 underline">
          Back to {round.title}
        </Link>
      </p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Submit a design to {round.title}</h1>
      <p className="mt-2 text-stone-700">
        PNG, JPEG or WebP, up to {maxMegabytes} MB, at least {round.minArtworkWidth} × {round.minArtworkHeight} pixels.
        Up to {round.maxSubmissionsPerDesigner} designs per person{used !== null ? ` (you have entered ${used})` : ""}.
        We keep a lossless print master and remove all metadata (camera, location) from your file.
      </p>

      {refusal ? (
        <p role="alert" className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
          {refusal}
        </p>
      ) : (
        <Form
          method="post"
          encType="multipart/form-data"
          {...getFormProps(form)}
          onSubmit={(event) => {
            form.onSubmit(event);
            if (!event.defaultPrevented) onSubmit(event);
          }}
          className="mt-6 grid gap-6 rounded-xl border border-stone-200 bg-white p-6 shadow-sm md:grid-cols-[1fr_16rem]"
        >
          <div className="space-y-4">
            <ErrorList errors={errors?.formErrors} />
            <Field
              label="Title"
              errors={[...(fields.title.errors ?? []), ...(errors?.fieldErrors?.title ?? [])]}
              inputProps={getInputProps(fields.title, { type: "text" })}
            />
            <TextareaField
              label={
                <>
                  Description <span className="font-normal text-stone-600">(optional)</span>
                </>
              }
              errors={fields.description.errors}
              textareaProps={{ ...getTextareaProps(fields.description), rows: 4 }}
            />
            <Field
              label="Tags"
              hint="Separated by commas, up to 8: robots, retro, line art"
              errors={[...(fields.tags.errors ?? []), ...(errors?.fieldErrors?.tags ?? [])]}
              inputProps={getInputProps(fields.tags, { type: "text" })}
            />
            <div className="space-y-1">
              <label htmlFor="artwork" className="block text-sm font-medium">
                Artwork file
              </label>
              <input
                ref={fileInput}
                id="artwork"
                name="artwork"
                type="file"
                accept="image/png,image/jpeg,image/webp"
                onChange={onFileChange}
                aria-invalid={artworkErrors.length ? true : undefined}
                aria-describedby={artworkErrors.length ? "artwork-error" : undefined}
                className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-brand-100 file:px-3 file:py-2 file:font-semibold file:text-brand-900"
              />
              <ErrorList id="artwork-error" errors={artworkErrors} />
            </div>
            {progress !== null ? (
              <div>
                <label htmlFor="upload-progress" className="text-sm font-medium">
                  {progress < 100 ? `Uploading… ${progress}%` : "Processing your artwork…"}
                </label>
                <progress
                  id="upload-progress"
                  max={100}
                  value={progress}
                  className="mt-1 block h-2 w-full accent-brand-600"
                />
              </div>
            ) : null}
            <SubmitButton pending={uploading}>{uploading ? "Uploading…" : "Submit design"}</SubmitButton>
          </div>
          <div>
            <p className="text-sm font-medium">Preview</p>
            <div className="mt-1 flex aspect-square items-center justify-center overflow-hidden rounded-lg border border-dashed border-stone-300 bg-stone-50">
              {previewUrl ? (
                <img
                  src={previewUrl}
                  alt="Preview of the chosen file"
                  className="max-h-full max-w-full object-contain"
                />
              ) : (
                <span className="px-4 text-center text-sm text-stone-500">Your artwork will show here</span>
              )}
            </div>
          </div>
        </Form>
      )}
    </div>
  );
}
