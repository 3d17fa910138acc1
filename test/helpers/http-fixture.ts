// A real HTTP server on loopback for tests of the command line, on a port the kernel picks.
import http from "node:http";

export interface HttpFixture {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

export async function startHttpFixture(handler: http.RequestListener = (_req, res) => res.end("ok")): Promise<HttpFixture> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  const port = typeof a === "object" && a ? a.port : 0;
  return {
    server,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
