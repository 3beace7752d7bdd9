import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { PRODUCT_TYPES } from "#db/schema";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { MAX_MOOD_IMAGES, proposalSchema } from "~/domain/proposal-forms";
import { ErrorList, Field, SubmitButton, TextareaField, useIsPending } from "./forms";

/**
 * A member's round proposal: a title, a brief in Markdown, the products they
 * imagine, and (when new) up to three mood images through the image pipeline.
 */
export function ProposalForm({
  lastResult,
  defaults,
  withImages,
  imageError,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaults?: { title: string; brief: string; productTypes: string[] };
  withImages: boolean;
  imageError?: string | null;
  submitLabel: string;
}) {
  const pending = useIsPending();
  const [form, fields] = useForm({
    id: "proposal",
    lastResult: lastResult ?? undefined,
    defaultValue: defaults as never,
    constraint: getZodConstraint(proposalSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: proposalSchema }),
  });
  const chosen = new Set(defaults?.productTypes ?? []);
  return (
    <Form
      method="post"
      encType={withImages ? "multipart/form-data" : undefined}
      {...getFormProps(form)}
      className="space-y-5 rounded-xl border border-stone-200 bg-white p-4 shadow-sm sm:p-6"
    >
      <ErrorList id={form.errorId} errors={form.errors} />
      <Field label="Theme" errors={fields.title.errors} inputProps={getInputProps(fields.title, { type: "text" })} />
      <TextareaField
        label={
          <>
            Brief <span className="font-normal text-stone-600">(Markdown: emphasis, links, lists)</span>
          </>
        }
        hint="What should designers make? What would you want to wear or hang on your wall?"
        errors={fields.brief.errors}
        textareaProps={{ ...getTextareaProps(fields.brief), rows: 8 }}
      />
      <fieldset>
        <legend className="text-sm font-medium text-stone-800">Products you imagine</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {PRODUCT_TYPES.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name={fields.productTypes.name}
                value={type}
                defaultChecked={chosen.has(type)}
                className="h-4 w-4 accent-brand-600"
              />
              {PRODUCT_TYPE_LABELS[type]}
            </label>
          ))}
        </div>
        <ErrorList errors={fields.productTypes.errors} />
      </fieldset>
      {withImages ? (
        <div className="space-y-1">
          <label htmlFor="proposal-images" className="block text-sm font-medium text-stone-800">
            Mood images (up to {MAX_MOOD_IMAGES}, optional)
          </label>
          <p id="proposal-images-hint" className="text-sm text-stone-600">
            PNG, JPEG or WebP, at least 200 × 200 pixels. They show the feeling, not a finished design.
          </p>
          <input
            id="proposal-images"
            name="images"
            type="file"
            multiple
            accept="image/png,image/jpeg,image/webp"
            aria-describedby="proposal-images-hint"
            className="block w-full max-w-full text-sm"
          />
          <ErrorList errors={imageError ? [imageError] : null} />
        </div>
      ) : null}
      <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
    </Form>
  );
}
