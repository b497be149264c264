import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

// With WORKERS > 1 a scrape of GET /metrics reaches one worker (whichever the primary hands the
// connection to), which alone knows a fraction of the traffic. So a worker asks the primary, and the
// primary collects every worker's registry through prom-client's AggregatorRegistry and sums them (each
// metric says how: counters and histograms add up, a gauge may say `max`), as one process would report.

const REQUEST = 'tickets:metrics-request';
const ANSWER = 'tickets:metrics-answer';
/** prom-client gives up on a silent worker after 5 s; the asking worker waits a little longer than that. */
const ANSWER_TIMEOUT_MS = 8_000;

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}
interface MetricsAnswer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** In the primary: answers each worker's request with the metrics of all the workers, aggregated. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  const answer = (worker: Worker, message: MetricsAnswer) => {
    if (worker.isConnected()) worker.send(message);
  };
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, REQUEST)) return;
    aggregator.clusterMetrics().then(
      (text) => answer(worker, { type: ANSWER, id: message.id, text }),
      (error: unknown) => answer(worker, { type: ANSWER, id: message.id, error: String(error) }),
    );
  });
}

/**
 * How this process renders its registry for GET /metrics: by itself, or, in a worker of a cluster, as the
 * primary's sum over every worker (this one included).
 */
export function clusterAwareRender(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  // Constructing it makes this worker answer the primary's collection requests, with this registry.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const waiting = new Map<number, (answer: MetricsAnswer) => void>();
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsAnswer>(message, ANSWER)) waiting.get(message.id)?.(message);
  });
  let nextId = 0;
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the cluster primary did not answer with the metrics in time'));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(`collecting the workers' metrics failed: ${answer.error}`));
      });
      process.send?.({ type: REQUEST, id } satisfies MetricsRequest);
    });
}
