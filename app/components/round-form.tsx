import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { z } from "zod";
import { roundSchema } from "~/domain/round-forms";
import { ErrorList, Field, SubmitButton, TextareaField, withoutKey } from "./forms";

type RoundInput = z.input<typeof roundSchema>;
export type RoundFormDefaults = Partial<Record<keyof RoundInput, string>>;

/** Create and edit a round; times are entered and shown in UTC. */
export function RoundForm({
  defaults,
  lastResult,
  submitLabel,
}: {
  defaults: RoundFormDefaults;
  lastResult?: SubmissionResult<string[]>;
  submitLabel: string;
}) {
  const [form, fields] = useForm<z.output<typeof roundSchema>>({
    id: "round",
    lastResult,
    // The form's defaults are the strings its inputs show, not the parsed values.
    defaultValue: defaults as never,
    constraint: getZodConstraint(roundSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: roundSchema }),
  });
  const checkbox = (name: "autoApprove" | "offerTee" | "offerPoster", label: string) => (
    <label className="flex items-center gap-2 text-sm font-medium">
      <input {...withoutKey(getInputProps(fields[name], { type: "checkbox" }))} className="h-4 w-4 accent-brand-600" />
      {label}
    </label>
  );
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="space-y-6 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <ErrorList id={form.errorId} errors={form.errors} />
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">The round</legend>
        <Field label="Title" errors={fields.title.errors} inputProps={getInputProps(fields.title, { type: "text" })} />
        <Field
          label="Address"
          hint="crowdthread.example/rounds/…"
          errors={fields.slug.errors}
          inputProps={getInputProps(fields.slug, { type: "text" })}
        />
        <div className="sm:col-span-2">
          <TextareaField
            label={
              <>
                Brief <span className="font-normal text-stone-600">(Markdown)</span>
              </>
            }
            errors={fields.brief.errors}
            textareaProps={{ ...getTextareaProps(fields.brief), rows: 6, className: "font-mono text-sm" }}
          />
        </div>
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">Schedule (UTC)</legend>
        <Field
          label="Submissions open"
          errors={fields.submissionsOpenAt.errors}
          inputProps={getInputProps(fields.submissionsOpenAt, { type: "datetime-local" })}
        />
        <Field
          label="Voting opens"
          errors={fields.votingOpensAt.errors}
          inputProps={getInputProps(fields.votingOpensAt, { type: "datetime-local" })}
        />
        <Field
          label="Voting closes"
          errors={fields.votingClosesAt.errors}
          inputProps={getInputProps(fields.votingClosesAt, { type: "datetime-local" })}
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">Entries</legend>
        <Field
          label="Designs per designer"
          errors={fields.maxSubmissionsPerDesigner.errors}
          inputProps={getInputProps(fields.maxSubmissionsPerDesigner, { type: "number" })}
        />
        <Field
          label="Minimum width (px)"
          errors={fields.minArtworkWidth.errors}
          inputProps={getInputProps(fields.minArtworkWidth, { type: "number" })}
        />
        <Field
          label="Minimum height (px)"
          errors={fields.minArtworkHeight.errors}
          inputProps={getInputProps(fields.minArtworkHeight, { type: "number" })}
        />
        <div className="sm:col-span-3">
          {checkbox("autoApprove", "Approve uploads automatically (skip moderation)")}
        </div>
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">Voting and winners</legend>
        <Field
          label="Winners"
          errors={fields.winnersCount.errors}
          inputProps={getInputProps(fields.winnersCount, { type: "number" })}
        />
        <Field
          label="Minimum votes to qualify"
          hint="Also the prior's weight (m)"
          errors={fields.minVotes.errors}
          inputProps={getInputProps(fields.minVotes, { type: "number" })}
        />
        <Field
          label="Designs a voter must score"
          hint="before their ballots count"
          errors={fields.voterMinScored.errors}
          inputProps={getInputProps(fields.voterMinScored, { type: "number" })}
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">Money (USD)</legend>
        <Field
          label="Prize per winner"
          hint="Credited to the winner's royalty balance"
          errors={fields.prize.errors}
          inputProps={getInputProps(fields.prize, { type: "text" })}
        />
        <Field
          label="Royalty (%)"
          errors={fields.royaltyPercent.errors}
          inputProps={getInputProps(fields.royaltyPercent, { type: "text" })}
        />
        <div className="space-y-2">
          {checkbox("offerTee", "Offer T-shirts")}
          <Field
            label="T-shirt base price"
            errors={fields.teePrice.errors}
            inputProps={getInputProps(fields.teePrice, { type: "text" })}
          />
        </div>
        <div className="space-y-2">
          {checkbox("offerPoster", "Offer posters")}
          <Field
            label="Poster base price"
            errors={fields.posterPrice.errors}
            inputProps={getInputProps(fields.posterPrice, { type: "text" })}
          />
        </div>
        <ErrorList errors={fields.offerTee.errors} />
      </fieldset>
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}
