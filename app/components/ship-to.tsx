/** Where an order goes, as a label needs it: the buyer's order page, the admin's, and the packing slip. */
export function ShipToAddress({
  order,
  place,
  className,
}: {
  order: {
    shippingName: string;
    shippingLine1: string;
    shippingLine2: string;
    shippingPostalCode: string;
    shippingCity: string;
  };
  place: { regionName: string; countryName: string };
  className?: string;
}) {
  return (
    <address className={className}>
      {order.shippingName}
      <br />
      {order.shippingLine1}
      {order.shippingLine2 ? (
        <>
          <br />
          {order.shippingLine2}
        </>
      ) : null}
      <br />
      {[order.shippingPostalCode, order.shippingCity].filter(Boolean).join(" ")}
      {place.regionName ? `, ${place.regionName}` : ""}
      <br />
      {place.countryName}
    </address>
  );
}
