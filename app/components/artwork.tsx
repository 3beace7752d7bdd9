import { Link } from "@remix-run/react";
import type { PublicArtwork } from "~/lib/images/public-images";
import { TagLinks } from "./tag-links";

type PictureProps = {
  images: PublicArtwork;
  size: "preview" | "thumb";
  alt: string;
  className?: string;
  loading?: "lazy" | "eager";
};

/** AVIF where the pipeline kept one, WebP otherwise; the URLs come from the storage adapter, as given. */
export function ArtworkPicture({ images, size, alt, className, loading = "lazy" }: PictureProps) {
  const variant = images[size];
  return (
    <picture>
      {variant.avif ? <source srcSet={variant.avif} type="image/avif" /> : null}
      <img
        src={variant.webp}
        width={variant.width}
        height={variant.height}
        alt={alt}
        loading={loading}
        className={className}
      />
    </picture>
  );
}

/**
 * The small square picture at the start of a list row (your designs, favourites). Decorative: the row's
 * title beside it is the link a screen reader hears, so a linked thumbnail is left out of the tab order.
 */
export function ListThumbnail({ images, to }: { images: PublicArtwork; to?: string }) {
  const box = "flex h-20 w-20 shrink-0 items-center justify-center overflow-hidden rounded-lg bg-stone-100";
  const picture = (
    <ArtworkPicture images={images} size="thumb" alt="" className="max-h-full max-w-full object-contain" />
  );
  return to ? (
    <Link to={to} className={box} tabIndex={-1} aria-hidden="true">
      {picture}
    </Link>
  ) : (
    <div className={box}>{picture}</div>
  );
}

/** `caption` replaces the "by @designer" line where the designer is obvious (their own profile). */
export type SubmissionCardData = {
  id: string;
  title: string;
  images: PublicArtwork;
  designerUsername: string;
  caption?: string;
  /** Shown as links to their tag pages under the card, where the list has them. */
  tags?: string[];
};

export function SubmissionGrid({ items, empty }: { items: SubmissionCardData[]; empty: string }) {
  if (items.length === 0) return <p className="mt-4 text-stone-700">{empty}</p>;
  return (
    <ul className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {items.map((s) => (
        <li key={s.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <Link to={`/submissions/${s.id}`} className="block">
            <div className="flex aspect-square items-center justify-center bg-stone-100">
              <ArtworkPicture
                images={s.images}
                size="thumb"
                alt={s.title}
                className="max-h-full max-w-full object-contain"
              />
            </div>
            <div className="p-3">
              <p className="truncate font-semibold">{s.title}</p>
              <p className="truncate text-sm text-stone-600">{s.caption ?? `by @${s.designerUsername}`}</p>
            </div>
          </Link>
          {s.tags?.length ? <TagLinks tags={s.tags} className="px-3 pb-3" /> : null}
        </li>
      ))}
    </ul>
  );
}

const STATUS_STYLE = {
  pending: "bg-amber-100 text-amber-900",
  approved: "bg-emerald-100 text-emerald-900",
  rejected: "bg-red-100 text-red-900",
  withdrawn: "bg-stone-200 text-stone-700",
  disqualified: "bg-red-100 text-red-900",
} as const;

const STATUS_LABEL = {
  pending: "Waiting for moderation",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  disqualified: "Disqualified",
} as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_STYLE }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>
      {STATUS_LABEL[status]}
    </span>
  );
}
