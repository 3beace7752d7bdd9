import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  MaxPartSizeExceededError,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";

export type ParsedUpload =
  { ok: true; formData: FormData; file: Buffer | null } | { ok: false; status: 400 | 413; message: string };

/**
 * Reads a multipart form with one file field, refusing anything over
 * `maxBytes` before it is read in full. The file stays in memory: it is
 * bounded by the limit, and nothing touches the disk until it is validated.
 */
export async function readMultipartUpload(
  request: Request,
  options: { fileField: string; maxBytes: number },
): Promise<ParsedUpload> {
  const tooLarge = `The file is larger than ${Math.round(options.maxBytes / (1024 * 1024))} MB. Export a smaller file and re-upload.`;
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    return { ok: false, status: 400, message: "The form must be sent as multipart/form-data with a file." };
  }
  // The rest of the form is small; the declared length already tells of an oversized file.
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > options.maxBytes + 64 * 1024) return { ok: false, status: 413, message: tooLarge };
  let formData: FormData;
  try {
    formData = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: options.maxBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, message: tooLarge };
    return { ok: false, status: 400, message: "The upload was interrupted or malformed. Please try again." };
  }
  const entry = formData.get(options.fileField);
  if (!entry || typeof entry === "string" || entry.size === 0) return { ok: true, formData, file: null };
  return { ok: true, formData, file: Buffer.from(await entry.arrayBuffer()) };
}

export type ParsedUploads =
  { ok: true; formData: FormData; files: Buffer[] } | { ok: false; status: 400 | 413; message: string };

/**
 * `readMultipartUpload` for a form with up to `maxFiles` files in one field
 * (a proposal's mood images): each is refused over `maxBytes` before it is
 * read in full, and so is a form declaring more than all of them together.
 */
export async function readMultipartUploads(
  request: Request,
  options: { fileField: string; maxBytes: number; maxFiles: number },
): Promise<ParsedUploads> {
  const parsed = await readMultipartUpload(request, {
    fileField: options.fileField,
    maxBytes: options.maxBytes * options.maxFiles,
  });
  if (!parsed.ok) return parsed;
  const entries = parsed.formData
    .getAll(options.fileField)
    .filter((e): e is File => typeof e !== "string" && e.size > 0);
  if (entries.length > options.maxFiles)
    return { ok: false, status: 400, message: `Choose at most ${options.maxFiles} images.` };
  if (entries.some((e) => e.size > options.maxBytes))
    return {
      ok: false,
      status: 413,
      message: `Each image must be at most ${Math.round(options.maxBytes / (1024 * 1024))} MB.`,
    };
  return {
    ok: true,
    formData: parsed.formData,
    files: await Promise.all(entries.map(async (e) => Buffer.from(await e.arrayBuffer()))),
  };
}
