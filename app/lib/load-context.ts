/** What the server entry passes to every loader and action. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address (honours X-Forwarded-For only when TRUST_PROXY is set). */
    clientIp: string;
  }
}

export {};
