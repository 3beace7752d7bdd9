import { Link } from "@remix-run/react";
import { tagHref } from "~/domain/search";

/** A design's tags, each a link to its tag page. */
export function TagLinks({ tags, className = "" }: { tags: readonly string[]; className?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul aria-label="Tags" className={`flex flex-wrap gap-1.5 ${className}`}>
      {tags.map((tag) => (
        <li key={tag}>
          <Link
            to={tagHref(tag)}
            className="inline-block max-w-full truncate rounded-full bg-stone-100 px-2 py-0.5 text-xs text-stone-700 hover:bg-brand-100 hover:text-brand-900"
          >
            #{tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}
