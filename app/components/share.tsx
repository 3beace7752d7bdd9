import { useState } from "react";

/** Share tags for a page (Open Graph and Twitter cards), from absolute URLs. */
export function shareMeta(share: { title: string; description: string; url: string; imageUrl: string } | undefined) {
  if (!share) return [];
  return [
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "Crowdthread" },
    { property: "og:title", content: share.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    { property: "og:image", content: share.imageUrl },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: share.title },
    { name: "twitter:description", content: share.description },
    { name: "twitter:image", content: share.imageUrl },
    { tagName: "link", rel: "canonical", href: share.url },
  ];
}

export function CopyLinkButton({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(url);
          setCopied(true);
          setTimeout(() => setCopied(false), 2500);
        } catch {
          window.prompt("Copy this link", url);
        }
      }}
      className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
    >
      <span aria-live="polite">{copied ? "Link copied" : "Copy link"}</span>
    </button>
  );
}

/**
 * The share link with the designer's code, readable and selectable without
 * JavaScript, and the copy button beside it.
 */
export function ShareLink({ url }: { url: string }) {
  return (
    <div className="flex max-w-md flex-wrap items-end gap-2">
      <label className="min-w-0 flex-1 text-sm font-medium">
        Share link
        <input
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="mt-1 block w-full min-w-0 rounded-md border border-stone-300 bg-stone-50 px-2 py-1.5 text-sm font-normal"
        />
      </label>
      <CopyLinkButton url={url} />
    </div>
  );
}
