import { getFormProps, getInputProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

/**
 * Whether a form of this page is on its way: "submitting" while the post is
 * sent, "busy" until the page after it has loaded too. With `intent`, only
 * the form that sent that intent counts, so one button of several spins.
 */
export function useIsPending({
  intent,
  until = "submitted",
}: { intent?: string; until?: "submitted" | "loaded" } = {}) {
  const navigation = useNavigation();
  const pending = until === "submitted" ? navigation.state === "submitting" : navigation.state !== "idle";
  return pending && (intent === undefined || navigation.formData?.get("intent") === intent);
}

/** Conform's input props carry a React key, which must not be spread into JSX. */
export function withoutKey<T extends { key?: string | undefined }>({ key: _key, ...rest }: T) {
  return rest;
}

type ErrorListProps = { id?: string; errors?: string[] | null };

export function ErrorList({ id, errors }: ErrorListProps) {
  const shown = errors?.filter(Boolean) ?? [];
  if (shown.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-700" role="alert">
      {shown.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | null;
  inputProps: InputHTMLAttributes<HTMLInputElement> & { key?: string | undefined };
};

/** Ids that tie a control to its hint and errors, and the ARIA attributes that use them. */
function useDescribedControl(givenId: string | undefined, hint: ReactNode, errors: string[] | null | undefined) {
  const fallbackId = useId();
  const id = givenId ?? fallbackId;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return {
    id,
    errorId,
    hintId,
    aria: {
      "aria-invalid": errorId ? true : undefined,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
    },
  };
}

/** A labelled input whose errors are announced and tied to it by aria-describedby. */
export function Field({ label, hint, errors, inputProps: { key: _key, ...inputProps } }: FieldProps) {
  const { id, errorId, hintId, aria } = useDescribedControl(inputProps.id, hint, errors);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        {...inputProps}
        id={id}
        {...aria}
        className="block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid]:border-red-600 focus:border-brand-600"
      />
      {hint ? (
        <p id={hintId} className="text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

type TextareaFieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | null;
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { key?: string | undefined };
};

/** Field's twin for multi-line text. */
export function TextareaField({
  label,
  hint,
  errors,
  textareaProps: { key: _key, className, ...textareaProps },
}: TextareaFieldProps) {
  const { id, errorId, hintId, aria } = useDescribedControl(textareaProps.id, hint, errors);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <textarea
        {...textareaProps}
        id={id}
        {...aria}
        className={`block w-full rounded-md border border-stone-300 bg-white px-3 py-2 shadow-sm aria-[invalid]:border-red-600 focus:border-brand-600 ${className ?? ""}`}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

export function SubmitButton({
  children,
  pending,
  ...rest
}: { children: ReactNode; pending?: boolean } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="submit"
      disabled={pending}
      {...rest}
      className={`inline-flex items-center justify-center rounded-md bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60 ${rest.className ?? ""}`}
    >
      {children}
    </button>
  );
}

/**
 * A page's one form in its card (log in, sign up, the password pages): posts
 * to the page, with the form's own errors above the fields and the submit
 * button, which shows when the form is on its way, below them.
 */
export function FormCard<Schema extends Record<string, unknown>>({
  form,
  submitLabel,
  children,
}: {
  form: FormMetadata<Schema, string[]>;
  submitLabel: string;
  children: ReactNode;
}) {
  const pending = useIsPending();
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-6 space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <ErrorList id={form.errorId} errors={form.errors} />
      {children}
      <SubmitButton pending={pending} className="w-full">
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}

/** The email field of the account forms, focused first. */
export function EmailField({ meta }: { meta: FieldMetadata<string> }) {
  return (
    <Field
      label="Email"
      errors={meta.errors}
      inputProps={{ ...getInputProps(meta, { type: "email" }), autoComplete: "email", autoFocus: true }}
    />
  );
}
