/** A member's avatar, or the first letter of their username on a tinted disc when they have none. */
export function Avatar({
  avatarUrl,
  username,
  alt = "",
}: {
  /** Built by the storage adapter; null when the member has no avatar. */
  avatarUrl: string | null;
  username: string;
  alt?: string;
}) {
  if (avatarUrl)
    return (
      <img
        src={avatarUrl}
        alt={alt}
        width={96}
        height={96}
        className="size-24 rounded-full border border-stone-200 object-cover"
      />
    );
  return (
    <div
      aria-hidden
      className="flex size-24 items-center justify-center rounded-full bg-brand-100 text-3xl font-bold text-brand-800"
    >
      {username.slice(0, 1).toUpperCase()}
    </div>
  );
}
