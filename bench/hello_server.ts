/**
 * The bare baseline of the server measurement: a `node:http` "hello" server, run on the same runtime as
 * phyware's server (Bun for the Bun-built binary, Deno for a deno-compiled one). Prints its URL on stdout.
 */
import http from "node:http";

const body = "hello\n";
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": String(body.length) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`hello listening on http://127.0.0.1:${port}`);
});
