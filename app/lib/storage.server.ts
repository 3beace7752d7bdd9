import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArtworkImages, AvatarImages } from "#db/schema";
import { getEnv } from "./env.server";
import type { PublicArtwork, PublicAvatar, PublicImage } from "./images/public-images";
import { singleton } from "./singleton.server";

/**
 * Where image files live: a local folder by default, S3-compatible object
 * storage when S3_BUCKET is set. Keys are content hashes, so a file never
 * changes once written and can be cached for ever.
 */
export type StoredObject = { body: Buffer; contentType: string };

export interface Storage {
  /** Writes unless the key exists; `created` says whether this call wrote it. */
  put(key: string, body: Buffer, contentType: string): Promise<{ created: boolean }>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** The URL a browser loads a public key from. */
  url(key: string): string;
}

const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  jpg: "image/jpeg",
};
const TYPE_EXTENSIONS = Object.fromEntries(Object.entries(EXTENSION_TYPES).map(([ext, type]) => [type, ext]));

/** `public/…` keys are served to anyone; `private/…` keys (print masters) never are. */
export function contentKey(visibility: "public" | "private", body: Buffer, contentType: string): string {
  const ext = TYPE_EXTENSIONS[contentType];
  if (!ext) throw new Error(`no file extension known for ${contentType}`);
  const hash = createHash("sha256").update(body).digest("hex");
  return `${visibility}/${hash.slice(0, 2)}/${hash}.${ext}`;
}

const KEY_PATTERN = /^(public|private)\/[0-9a-f]{2}\/[0-9a-f]{64}\.(png|webp|avif|jpg)$/;
export function isValidKey(key: string) {
  return KEY_PATTERN.test(key);
}

export function contentTypeOfKey(key: string): string {
  return EXTENSION_TYPES[key.split(".").pop() ?? ""] ?? "application/octet-stream";
}

/** Where the app itself serves a public key (app/routes/images.$.ts), when no CDN is configured. */
function appImageUrl(key: string) {
  return `/images/${key.slice("public/".length)}`;
}

export class LocalStorage implements Storage {
  constructor(readonly root: string) {}

  private file(key: string) {
    if (!isValidKey(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, body: Buffer, _contentType?: string): Promise<{ created: boolean }> {
    const file = this.file(key);
    try {
      await stat(file);
      return { created: false };
    } catch {
      // not there yet
    }
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, file);
    return { created: true };
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      return { body: await readFile(this.file(key)), contentType: contentTypeOfKey(key) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string) {
    await rm(this.file(key), { force: true });
  }

  url(key: string) {
    return appImageUrl(key);
  }
}

export class S3Storage implements Storage {
  private clientPromise: Promise<S3Client>;

  constructor(
    private readonly options: {
      bucket: string;
      region: string;
      endpoint?: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
      publicUrl?: string;
    },
  ) {
    this.clientPromise = import("@aws-sdk/client-s3").then(
      ({ S3Client }) =>
        new S3Client({
          region: options.region,
          endpoint: options.endpoint,
          forcePathStyle: options.forcePathStyle,
          // Plain payloads: several S3-compatible services refuse the SDK's newer default checksums.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
          credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
        }),
    );
  }

  async put(key: string, body: Buffer, contentType: string): Promise<{ created: boolean }> {
    const { HeadObjectCommand, PutObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.clientPromise;
    try {
      await client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { created: false };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw error;
    }
    await client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: key.startsWith("public/") ? "public, max-age=31536000, immutable" : "private, no-store",
      }),
    );
    return { created: true };
  }

  async get(key: string): Promise<StoredObject | null> {
    const { GetObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.clientPromise;
    try {
      const result = await client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      const bytes = await result.Body!.transformToByteArray();
      return { body: Buffer.from(bytes), contentType: result.ContentType ?? contentTypeOfKey(key) };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      throw error;
    }
  }

  async delete(key: string) {
    const { DeleteObjectCommand } = await import("@aws-sdk/client-s3");
    const client = await this.clientPromise;
    await client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  url(key: string) {
    return this.options.publicUrl ? `${this.options.publicUrl.replace(/\/$/, "")}/${key}` : appImageUrl(key);
  }
}

/** Deletes what an operation wrote before it failed; a file already gone is no error. */
export async function removeFiles(storage: Storage, keys: string[]) {
  await Promise.all(keys.map((key) => storage.delete(key).catch(() => undefined)));
}

export function localStorageRoot() {
  return path.join(getEnv().DATA_DIR, "storage");
}

function createStorage(): Storage {
  const env = getEnv();
  if (env.S3_BUCKET) {
    return new S3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      publicUrl: env.S3_PUBLIC_URL,
    });
  }
  return new LocalStorage(localStorageRoot());
}

export function getStorage(): Storage {
  return singleton("storage", createStorage);
}

/** The browser URL of a public key, from whichever storage is configured (the CDN when S3_PUBLIC_URL is set). */
export function publicUrl(key: string): string {
  if (!key.startsWith("public/")) throw new Error("only public keys have a URL");
  return getStorage().url(key);
}

function publicImage(variant: { webp: string; avif?: string; width: number; height: number }): PublicImage {
  return {
    webp: publicUrl(variant.webp),
    ...(variant.avif ? { avif: publicUrl(variant.avif) } : {}),
    width: variant.width,
    height: variant.height,
  };
}

/** An artwork's public renditions as URLs; the print master stays behind. */
export function publicArtwork(images: ArtworkImages): PublicArtwork {
  return {
    preview: publicImage(images.preview),
    thumb: publicImage(images.thumb),
    mockups: { tee: publicUrl(images.mockups.tee), poster: publicUrl(images.mockups.poster) },
    share: publicUrl(images.share),
  };
}

/** A member's avatar as URLs. */
export function publicAvatar(avatar: AvatarImages): PublicAvatar {
  return { large: publicUrl(avatar.large), small: publicUrl(avatar.small) };
}

/** A row read with its submission's stored `images`, as it may leave the domain: the same row with URLs instead. */
export function withPublicArtwork<T extends { images: ArtworkImages }>(
  row: T,
): Omit<T, "images"> & { images: PublicArtwork } {
  return { ...row, images: publicArtwork(row.images) };
}
