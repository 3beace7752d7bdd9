import { formatCount } from "~/lib/format";

/**
 * A bar chart that reads without the picture: the bars are an SVG scaled to
 * the page's width (no sideways scroll on a phone), described in one
 * sentence for screen readers, and the same figures follow in a table
 * behind a "Show the figures" disclosure. No JavaScript needed.
 */
export function BarChart({
  title,
  bars,
  summary,
  unit,
  unitOne = unit,
}: {
  title: string;
  bars: { label: string; n: number }[];
  /** One sentence a screen reader says for the picture: the total, the peak. */
  summary: string;
  /** What a bar counts ("ballots"), for the table's heading. */
  unit: string;
  /** The same for one ("ballot"), for a bar of 1; without it, `unit` is used for every count. */
  unitOne?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.n));
  const width = Math.max(bars.length, 1) * 10;
  const height = 100;
  return (
    <figure className="min-w-0">
      <svg
        role="img"
        aria-label={`${title}. ${summary}`}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className="h-32 w-full rounded border border-stone-200 bg-stone-50"
      >
        {bars.map((b, i) => {
          const h = b.n === 0 ? 0 : Math.max(2, (b.n / max) * (height - 4));
          return (
            <rect key={i} x={i * 10 + 1} y={height - h} width={8} height={h} className="fill-brand-600">
              <title>{`${b.label}: ${formatCount(b.n, unitOne, unit)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 text-sm text-stone-700">{summary}</figcaption>
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer font-semibold text-brand-700">Show the figures</summary>
        <div className="mt-2 max-h-64 overflow-y-auto">
          <table className="w-full text-left">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-4">
                  When
                </th>
                <th scope="col" className="text-right capitalize">
                  {unit}
                </th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b, i) => (
                <tr key={i} className="border-t border-stone-100">
                  <td className="pr-4">{b.label}</td>
                  <td className="text-right tabular-nums">{b.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
