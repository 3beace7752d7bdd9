/**
 * A parcel's tracking number: a link to the carrier's page where one is
 * known (the URL was checked when it was stored), plain text otherwise.
 */
export function TrackingNumber({
  number,
  url,
  carrier,
}: {
  number: string;
  url: string | null;
  carrier: string | null;
}) {
  const label = carrier ? `${carrier} ${number}` : number;
  return url ? (
    <a href={url} className="text-brand-700 underline" target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  ) : (
    <span>{label}</span>
  );
}
