import { Fragment } from "react";

/**
 * Where an order goes, as a label needs it: the buyer's order page, the
 * admin's, and the packing slip. The lines come from the server, in the
 * order the destination country's post writes them (addressLines).
 */
export function ShipToAddress({ place, className }: { place: { lines: string[] }; className?: string }) {
  return (
    <address className={className}>
      {place.lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </address>
  );
}
