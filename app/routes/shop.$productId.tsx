import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CommentsSection } from "~/components/comments";
import { ShareLink, shareMeta } from "~/components/share";
import { shareLink } from "~/domain/share-links.server";
import { noteShareVisit } from "~/lib/share-arrival.server";
import { PRODUCT_TYPE_LABELS } from "~/domain/products";
import { formatMoney } from "~/lib/format";
import { addToCart, MAX_QUANTITY } from "~/domain/cart.server";
import { commentsFor, threadCount, threadCursor } from "~/domain/comments.server";
import { usePagedList } from "~/components/pager";
import { cursorParam } from "~/lib/pagination.server";
import { findProduct } from "~/domain/shop.server";
import { publicOrigin } from "~/lib/public-origin.server";
import { getOptionalUser } from "~/lib/auth.server";
import { COMMENT_INTENTS, handleCommentIntent } from "~/lib/comment-action.server";
import { cartForWriting } from "~/lib/cart-session.server";
import { idParam, parseParams, parseSearchParams, readForm } from "~/lib/edge.server";
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

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { productId } = parseParams(params, productParams);
  const { after } = parseSearchParams(request, { after: cursorParam(threadCursor).optional() });
  const product = await findProduct(productId);
  if (!product) throw new Response("That product is not in the shop.", { status: 404 });
  const origin = publicOrigin(request);
  const viewer = await getOptionalUser(request);
  const subject = { kind: "product", id: product.id } as const;
  const [comments, commentCount] = await Promise.all([commentsFor(subject, viewer, { after }), threadCount(subject)]);
  const { designerId, designerShareCode, ...shown } = product;
  const setCookie = await noteShareVisit(request, { id: designerId, shareCode: designerShareCode }, viewer?.id ?? null);
  return data(
    {
      product: shown,
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

const addToCartSchema = z.object({
  intent: z.literal("add-to-cart"),
  variantId: z.uuid({ error: "Choose a size" }),
  quantity: z.coerce.number().int().min(1).max(MAX_QUANTITY).default(1),
});

/** The page's forms: add to cart, and the comment thread's (whose fields comment-action.server.ts reads). */
const productFormSchema = z.discriminatedUnion("intent", [
  addToCartSchema,
  z.object({ intent: z.enum(COMMENT_INTENTS) }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { productId } = parseParams(params, productParams);
  const form = await readForm(request);
  const parsed = productFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "Choose a size and a quantity from 1 to 20." }, { status: 400 });
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
  const added = await addToCart(cartId, value.variantId, value.quantity);
  if (!added.ok) return data({ error: added.message }, { status: 400 });
  return redirectWithToast(
    request,
    `/shop/${productId}`,
    { kind: "success", title: "Added to your cart" },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export default function ProductPage() {
  const { product, share, comments, commentCount, isLaterCommentsPage, canComment } = useLoaderData<typeof loader>();
  const thread = usePagedList(comments, useFetcher<typeof loader>(), (data) => data.comments);
  const actionData = useActionData<typeof action>();
  const busy = useIsPending({ until: "loaded" });
  return (
    <div>
      <article className="grid gap-8 md:grid-cols-2">
        <img
          src={product.mockupUrl}
          alt={`${product.title} ${PRODUCT_TYPE_LABELS[product.type]}`}
          width={1200}
          height={1200}
          className="w-full rounded-2xl border border-stone-200"
        />
        <div>
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
            {product.title} {PRODUCT_TYPE_LABELS[product.type]}
          </h1>
          <p className="mt-1 text-stone-700">
            by{" "}
            <Link to={`/designers/${product.designerUsername}`} className="font-semibold text-brand-700 underline">
              @{product.designerUsername}
            </Link>
          </p>
          {product.siblings.length > 1 ? (
            <nav aria-label="Product type" className="mt-6 flex gap-2">
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
          <Form method="post" className="mt-6 space-y-4">
            <input type="hidden" name="intent" value="add-to-cart" />
            <fieldset>
              <legend className="font-semibold">Size</legend>
              <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
                {product.variants.map((v, i) => (
                  <label
                    key={v.id}
                    className="flex cursor-pointer items-center gap-2 rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                  >
                    <input
                      type="radio"
                      name="variantId"
                      value={v.id}
                      defaultChecked={i === 0}
                      aria-label={`Size ${v.size}, ${formatMoney(v.priceCents, product.currency)}`}
                      className="accent-brand-600"
                    />
                    <span className="font-semibold">{v.size}</span>
                    <span className="ml-auto tabular-nums">{formatMoney(v.priceCents, product.currency)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <label className="block text-sm font-medium">
              Quantity
              <input
                type="number"
                name="quantity"
                min={1}
                max={20}
                defaultValue={1}
                className="mt-1 block w-24 rounded-md border border-stone-300 px-2 py-1.5"
              />
            </label>
            {actionData?.error ? (
              <p role="alert" className="text-sm text-red-700">
                {actionData.error}
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
          <div className="mt-6">
            <ShareLink url={share.link} />
          </div>
          <p className="mt-6 text-sm text-stone-600">
            <Link to={`/submissions/${product.submissionId}`} className="underline">
              See the original design
            </Link>
          </p>
        </div>
      </article>
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
