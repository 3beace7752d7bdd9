import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CommentsSection } from "~/components/comments";
import { ShareLink, shareMeta } from "~/components/share";
import { FavouriteButton } from "~/components/favourite-button";
import { newestSavedCountry } from "~/domain/addresses.server";
import { isFavourite } from "~/domain/favourites.server";
import { PRODUCT_DETAILS, SIZE_GUIDES } from "~/domain/product-catalogue";
import { shareLink } from "~/domain/share-links.server";
import { noteShareVisit } from "~/lib/share-arrival.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { estimateCountries, estimateShipping, type ShippingEstimate } from "~/domain/shipping.server";
import { formatMoney } from "~/lib/format";
import { addToCart, MAX_QUANTITY } from "~/domain/cart.server";
import { commentsFor, threadCount, threadCursor } from "~/domain/comments.server";
import { usePagedList } from "~/components/pager";
import { cursorParam } from "~/lib/pagination.server";
import { findProduct } from "~/domain/shop.server";
import { TagLinks } from "~/components/tag-links";
import { publicOrigin } from "~/lib/public-origin.server";
import { getOptionalUser } from "~/lib/auth.server";
import { COMMENT_INTENTS, handleCommentIntent } from "~/lib/comment-action.server";
import { cartForWriting } from "~/lib/cart-session.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
import { FAILURE_STATUS } from "~/lib/outcome.server";
import { redirectWithToast } from "~/lib/toast.server";
import { useIsPending } from "~/components/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.product.title} ${PRODUCT_TYPE_LABELS[data.product.type]} · Crowdthread` },
        ...shareMeta(data.share),
      ]
    : [{ title: "Product · Crowdthread" }];

const productParams = { productId: idParam };
/** The shipping estimate's country: an ISO code (a wrong one is a 400; one we don't ship to says so). */
const countryParam = z.string().regex(/^[A-Z]{2}$/);

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { productId } = parseParams(params, productParams);
  const { after, country } = parseSearchParams(request, {
    after: cursorParam(threadCursor).optional(),
    country: countryParam.optional(),
  });
  const product = await findProduct(productId);
  if (!product) throw new Response("That product is not in the shop.", { status: 404 });
  const origin = publicOrigin(request);
  const viewer = await getOptionalUser(request);
  const subject = { kind: "product", id: product.id } as const;
  const [comments, commentCount, saved, countries] = await Promise.all([
    commentsFor(subject, viewer, { after }),
    threadCount(subject),
    viewer ? isFavourite(viewer.id, product.submissionId) : false,
    viewer
      ? newestSavedCountry(viewer.id).then((c) => estimateCountries(country, c))
      : estimateCountries(country, null),
  ]);
  // The estimate is for the smallest size's price: the one a buyer sees first.
  const fromCents = Math.min(...product.variants.map((v) => v.priceCents));
  const estimate = countries ? await estimateShipping(product.type, fromCents, countries.chosen) : null;
  const { designerId, designerShareCode, ...shown } = product;
  const setCookie = await noteShareVisit(request, { id: designerId, shareCode: designerShareCode }, viewer?.id ?? null);
  return data(
    {
      product: shown,
      saved,
      shipping: countries ? { choices: countries.choices, estimate: estimate! } : null,
      sizeGuide: SIZE_GUIDES[product.type],
      details: PRODUCT_DETAILS[product.type],
      maxQuantity: MAX_QUANTITY,
      comments,
      commentCount,
      isLaterCommentsPage: after !== undefined,
      canComment: Boolean(viewer),
      share: {
        title: `${product.title} ${PRODUCT_TYPE_LABELS[product.type]} by @${product.designerUsername}`,
        description: `Voted to the top of ${product.roundTitle}. Every sale pays the designer a royalty.`,
        url: `${origin}/shop/${product.id}`,
        link: shareLink(`${origin}/shop/${product.id}`, designerShareCode),
        // Absolute already when a CDN serves the images.
        imageUrl: new URL(product.shareUrl, origin).href,
      },
    },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

/** No size is chosen for the buyer: a form without one is refused with the message next to the sizes. */
const addToCartSchema = z.object({
  intent: z.literal("add-to-cart"),
  variantId: z.uuid({ error: "Choose a size" }),
  quantity: z.coerce
    .number({ error: `Choose a quantity from 1 to ${MAX_QUANTITY}` })
    .int({ error: `Choose a quantity from 1 to ${MAX_QUANTITY}` })
    .min(1, { error: `Choose a quantity from 1 to ${MAX_QUANTITY}` })
    .max(MAX_QUANTITY, { error: `Choose a quantity from 1 to ${MAX_QUANTITY}` })
    .default(1),
});

type AddToCartErrors = { variantId?: string; quantity?: string; form?: string };

/** The page's forms: add to cart, and the comment thread's (whose fields comment-action.server.ts reads). */
const productFormSchema = z.discriminatedUnion("intent", [
  addToCartSchema,
  z.object({ intent: z.enum(COMMENT_INTENTS) }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { productId } = parseParams(params, productParams);
  const form = await readForm(request);
  const fields = Object.fromEntries(form);
  if (fields.intent === "add-to-cart") {
    const parsed = addToCartSchema.safeParse(fields);
    if (!parsed.success) {
      const errors: AddToCartErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === "quantity" ? "quantity" : issue.path[0] === "variantId" ? "variantId" : "form";
        errors[field] ??= field === "form" ? "This form cannot be read. Reload the page and try again." : issue.message;
      }
      return data({ errors }, { status: 400 });
    }
    return addToCartIntent(request, productId, parsed.data);
  }
  const parsed = productFormSchema.safeParse(fields);
  if (!parsed.success) throw new Response("This form cannot be read.", { status: 400 });
  const value = parsed.data;
  switch (value.intent) {
    case "add-to-cart":
      return addToCartIntent(request, productId, value);
    case "comment":
    case "edit-comment":
    case "delete-comment":
    case "hide-comment":
      return handleCommentIntent(request, { kind: "product", id: productId }, value.intent, form);
  }
}

async function addToCartIntent(request: Request, productId: string, value: z.output<typeof addToCartSchema>) {
  const { cartId, setCookie } = await cartForWriting(request);
  const added = await addToCart(cartId, value.variantId, value.quantity, { productId });
  if (!added.ok) {
    const errors: AddToCartErrors =
      added.field === "variantId" ? { variantId: added.message } : { form: added.message };
    return data({ errors }, { status: FAILURE_STATUS[added.code] });
  }
  return redirectWithToast(
    request,
    `/shop/${productId}`,
    { kind: "success", title: "Added to your cart" },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export default function ProductPage() {
  const {
    product,
    share,
    comments,
    commentCount,
    isLaterCommentsPage,
    canComment,
    saved,
    shipping,
    sizeGuide,
    details,
    maxQuantity,
  } = useLoaderData<typeof loader>();
  const thread = usePagedList(comments, useFetcher<typeof loader>(), (data) => data.comments);
  const actionData = useActionData<typeof action>();
  const errors: AddToCartErrors = actionData && "errors" in actionData ? actionData.errors : {};
  const busy = useIsPending({ until: "loaded" });
  const label = PRODUCT_TYPE_LABELS[product.type];
  return (
    <div>
      <article className="grid gap-8 md:grid-cols-2">
        <div className="min-w-0">
          <img
            src={product.mockupUrl}
            alt={`${product.title} ${label}`}
            width={1200}
            height={1200}
            className="w-full rounded-2xl border border-stone-200"
          />
        </div>
        <div className="min-w-0">
          <p className="text-sm">
            <Link to="/shop" className="text-brand-700 underline">
              Shop
            </Link>{" "}
            · winner of{" "}
            <Link to={`/rounds/${product.roundSlug}/results`} className="text-brand-700 underline">
              {product.roundTitle}
            </Link>
          </p>
          <h1 className="mt-2 text-3xl font-bold tracking-tight">
            {product.title} {label}
          </h1>
          <p className="mt-1 text-stone-700">
            by{" "}
            <Link to={`/designers/${product.designerUsername}`} className="font-semibold text-brand-700 underline">
              @{product.designerUsername}
            </Link>
          </p>
          <TagLinks tags={product.tags} className="mt-3" />
          <div className="mt-4">
            <FavouriteButton
              submissionId={product.submissionId}
              saved={saved}
              title={product.title}
              redirectTo={`/shop/${product.id}`}
            />
          </div>
          {product.siblings.length > 1 ? (
            <nav aria-label="Product type" className="mt-6 flex flex-wrap gap-2">
              {product.siblings.map((p) => (
                <Link
                  key={p.id}
                  to={`/shop/${p.id}`}
                  aria-current={p.id === product.id ? "page" : undefined}
                  className="rounded-full border border-stone-300 px-4 py-1.5 text-sm font-semibold aria-[current=page]:border-brand-600 aria-[current=page]:bg-brand-600 aria-[current=page]:text-white"
                >
                  {PRODUCT_TYPE_LABELS[p.type]}
                </Link>
              ))}
            </nav>
          ) : null}
          <Form method="post" className="mt-6 space-y-4" noValidate>
            <input type="hidden" name="intent" value="add-to-cart" />
            <fieldset aria-describedby={errors.variantId ? "size-error" : undefined}>
              <legend className="font-semibold">Size</legend>
              <p className="text-sm text-stone-600">
                <a href="#size-guide" className="underline">
                  Size guide
                </a>
              </p>
              <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
                {product.variants.map((v) => (
                  <label
                    key={v.id}
                    className="flex cursor-pointer items-center gap-2 rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                  >
                    <input
                      type="radio"
                      name="variantId"
                      value={v.id}
                      aria-label={`Size ${v.size}, ${formatMoney(v.priceCents, product.currency)}`}
                      aria-invalid={errors.variantId ? true : undefined}
                      className="accent-brand-600"
                    />
                    <span className="font-semibold">{v.size}</span>
                    <span className="ml-auto tabular-nums">{formatMoney(v.priceCents, product.currency)}</span>
                  </label>
                ))}
              </div>
              {errors.variantId ? (
                <p id="size-error" role="alert" className="mt-2 text-sm font-semibold text-red-700">
                  {errors.variantId}
                </p>
              ) : null}
            </fieldset>
            <label className="block text-sm font-medium">
              Quantity
              <input
                type="number"
                name="quantity"
                min={1}
                max={maxQuantity}
                defaultValue={1}
                aria-invalid={errors.quantity ? true : undefined}
                aria-describedby={errors.quantity ? "quantity-error" : undefined}
                className="mt-1 block w-24 rounded-md border border-stone-300 px-2 py-1.5"
              />
            </label>
            {errors.quantity ? (
              <p id="quantity-error" role="alert" className="text-sm text-red-700">
                {errors.quantity}
              </p>
            ) : null}
            {errors.form ? (
              <p role="alert" className="text-sm text-red-700">
                {errors.form}
              </p>
            ) : null}
            <div className="flex flex-wrap gap-3">
              <button
                type="submit"
                disabled={busy}
                className="rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
              >
                Add to cart
              </button>
              <Link
                to="/cart"
                className="rounded-md border border-stone-300 px-5 py-2.5 font-semibold hover:bg-stone-100"
              >
                View cart
              </Link>
            </div>
          </Form>
          {shipping ? (
            <ShippingEstimateBox choices={shipping.choices} estimate={shipping.estimate} currency={product.currency} />
          ) : null}
          <div className="mt-6">
            <ShareLink url={share.link} />
          </div>
          <p className="mt-6 text-sm text-stone-600">
            <Link to={`/submissions/${product.submissionId}`} className="underline">
              See the original design
            </Link>{" "}
            ·{" "}
            <Link to={`/rounds/${product.roundSlug}`} className="underline">
              All designs in {product.roundTitle}
            </Link>{" "}
            ·{" "}
            <Link to={`/designers/${product.designerUsername}`} className="underline">
              More by @{product.designerUsername}
            </Link>
          </p>
        </div>
      </article>
      <div className="mt-10 grid gap-8 md:grid-cols-2">
        <section aria-labelledby="size-guide" className="min-w-0">
          <h2 id="size-guide" className="text-xl font-semibold">
            Size guide
          </h2>
          <div className="relative mt-3 overflow-x-auto rounded-xl border border-stone-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{label} sizes and their measurements</caption>
              <thead className="bg-stone-50">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Size
                  </th>
                  {sizeGuide.columns.map((c) => (
                    <th key={c.label} scope="col" className="px-3 py-2">
                      {c.label}
                      <span className="block text-xs font-normal text-stone-600">{c.hint}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {sizeGuide.rows.map((row) => (
                  <tr key={row.size}>
                    <th scope="row" className="px-3 py-2 font-semibold whitespace-nowrap">
                      {row.size}
                    </th>
                    {row.values.map((value, i) => (
                      <td key={sizeGuide.columns[i]!.label} className="px-3 py-2 tabular-nums">
                        {value}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-2 text-sm text-stone-600">{sizeGuide.note}</p>
        </section>
        <section aria-labelledby="details-heading" className="min-w-0">
          <h2 id="details-heading" className="text-xl font-semibold">
            Fabric, fit and care
          </h2>
          <dl className="mt-3 space-y-3 text-sm">
            <div>
              <dt className="font-semibold">{product.type === "tee" ? "Fabric" : "Paper and inks"}</dt>
              <dd className="text-stone-800">{details.fabric}</dd>
            </div>
            <div>
              <dt className="font-semibold">Fit</dt>
              <dd className="text-stone-800">{details.fit}</dd>
            </div>
            <div>
              <dt className="font-semibold">Care</dt>
              <dd>
                <ul className="list-disc pl-5 text-stone-800">
                  {details.care.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt className="font-semibold">Made to order</dt>
              <dd className="text-stone-800">{details.madeIn}</dd>
            </div>
          </dl>
        </section>
      </div>
      <CommentsSection
        thread={thread}
        count={commentCount}
        canComment={canComment}
        pagePath={`/shop/${product.id}`}
        isLaterPage={isLaterCommentsPage}
      />
    </div>
  );
}

/** The estimate for one item to a country, and a plain GET form to pick another. */
function ShippingEstimateBox({
  choices,
  estimate,
  currency,
}: {
  choices: { code: string; name: string }[];
  estimate: ShippingEstimate;
  currency: string;
}) {
  return (
    <section aria-labelledby="shipping-heading" className="mt-6 rounded-xl border border-stone-200 bg-white p-4">
      <h2 id="shipping-heading" className="font-semibold">
        Shipping estimate
      </h2>
      <p className="mt-1 text-sm text-stone-800" aria-live="polite">
        {estimate.ships ? (
          estimate.freeForThisItem ? (
            <>Free shipping to {estimate.countryName}.</>
          ) : (
            <>
              <span className="font-semibold">{formatMoney(estimate.firstItemCents, currency)}</span> to{" "}
              {estimate.countryName}
              {estimate.additionalItemCents !== estimate.firstItemCents
                ? `, ${formatMoney(estimate.additionalItemCents, currency)} for each further one in the same order`
                : ""}
              .
              {estimate.freeShippingOverCents !== null
                ? ` Free on orders of ${formatMoney(estimate.freeShippingOverCents, currency)} or more.`
                : ""}
            </>
          )
        ) : (
          estimate.message
        )}
      </p>
      <Form method="get" preventScrollReset className="mt-3 flex flex-wrap items-end gap-2">
        <label className="text-sm font-medium">
          Ship to
          <select
            name="country"
            defaultValue={estimate.country}
            className="mt-1 block max-w-full rounded-md border border-stone-300 bg-white px-2 py-1.5"
          >
            {choices.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
        >
          Estimate
        </button>
      </Form>
      <p className="mt-2 text-xs text-stone-600">Tax, if any, is added at checkout.</p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
