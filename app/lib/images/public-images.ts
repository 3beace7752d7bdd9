/**
 * What of a stored artwork may reach a browser: URLs of the public renditions,
 * built by the storage adapter (so S3_PUBLIC_URL reaches every page), never
 * the print master's key. Shared by the domain (which builds it) and the
 * components (which only render it).
 */
export type PublicImage = { webp: string; avif?: string; width: number; height: number };

export type PublicArtwork = {
  preview: PublicImage;
  thumb: PublicImage;
  mockups: { tee: string; poster: string };
  /** 1200×630 JPEG for link previews. */
  share: string;
};

/** A member's square avatar, 256 and 64 px. */
export type PublicAvatar = { large: string; small: string };
