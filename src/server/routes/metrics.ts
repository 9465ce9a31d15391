/** `GET /metrics` on the API's listener (`--metrics`): the Prometheus text format. */
import type { AuthedCall } from "../call.ts";
import { API_HEADERS, HttpProblem } from "../problem.ts";

/** Serves the metrics, or 404 when they are off or on their own listener. */
export async function serveMetrics({ env }: AuthedCall): Promise<Response> {
  if (!env.metrics || !env.metricsRoute) {
    throw new HttpProblem(404, "NOT_FOUND", "Metrics are off: start the server with --metrics");
  }
  const { contentType, text } = await env.metrics.exposition();
  return new Response(text, { status: 200, headers: { ...API_HEADERS, "content-type": contentType } });
}
