/**
 * Remix's v3 future flags, all on, so the move to React Router 7 is
 * mechanical. One list: the Vite build and the tests' server build read it.
 */
export const REMIX_FUTURE = {
  v3_fetcherPersist: true,
  v3_relativeSplatPath: true,
  v3_throwAbortReason: true,
  v3_singleFetch: true,
  v3_lazyRouteDiscovery: true,
} as const;
