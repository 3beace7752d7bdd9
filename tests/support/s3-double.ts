/**
 * A local stand-in for an S3-compatible service (path-style, one bucket):
 * enough of HEAD/PUT/GET/DELETE Object for the storage adapter, recording
 * every request it received so tests can assert on them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };

export async function startS3Double(bucket: string) {
  const objects = new Map<string, { body: Buffer; contentType: string; cacheControl?: string }>();
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://double");
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? "", path: url.pathname, headers: req.headers, body });
      const prefix = `/${bucket}/`;
      if (!url.pathname.startsWith(prefix)) {
        res.writeHead(404).end();
        return;
      }
      const key = decodeURIComponent(url.pathname.slice(prefix.length));
      const object = objects.get(key);
      switch (req.method) {
        case "PUT":
          objects.set(key, {
            body,
            contentType: String(req.headers["content-type"] ?? "application/octet-stream"),
            cacheControl: req.headers["cache-control"] as string | undefined,
          });
          res.writeHead(200, { ETag: '"etag"' }).end();
          return;
        case "HEAD":
          if (!object) res.writeHead(404).end();
          else res.writeHead(200, { "Content-Type": object.contentType, "Content-Length": object.body.length }).end();
          return;
        case "GET":
          if (!object) {
            res
              .writeHead(404, { "Content-Type": "application/xml" })
              .end("<Error><Code>NoSuchKey</Code><Message>missing</Message></Error>");
          } else
            res
              .writeHead(200, { "Content-Type": object.contentType, "Content-Length": object.body.length })
              .end(object.body);
          return;
        case "DELETE":
          objects.delete(key);
          res.writeHead(204).end();
          return;
        default:
          res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
