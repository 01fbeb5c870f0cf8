/**
 * The versions stage over 20 images with 500 tags each on the local fake Docker Hub: requests
 * made and wall time, one image at a time vs the shipped concurrency. Run twice: as fast as
 * localhost answers, and with 50 ms added to every answer (roughly a round trip to the Hub).
 *
 *   npm run bench -- versions
 */
import * as os from 'node:os';
import { parseInputs } from '../src/action/inputs.js';
import { createHttp, Registries } from '../src/registry/clients.js';
import { planVersions, VERSION_CONCURRENCY } from '../src/versions/plan.js';
import { startFakeHub } from '../test/support/fake-hub.js';

const IMAGES = 20;
const TAGS = 500;
const ROUNDS = 3;
const LATENCY_MS = 50;

const hub = await startFakeHub({ rateLimit: 1_000_000 });
const directories: string[] = [];
for (let i = 0; i < IMAGES; i++) {
  const name = `image-${String(i).padStart(2, '0')}`;
  directories.push(name);
  hub.setRepo(
    'bench',
    name,
    Array.from({ length: TAGS }, (_, t) =>
      t % 5 === 0 ? `sha-${t.toString(16)}` : `v${t % 3}.${t % 7}.${t}`,
    ),
  );
}
const inputs = parseInputs(
  (name) => ({ namespace: 'bench', 'hub-api-url': hub.url })[name as string] ?? '',
  { mode: 'plan', workspace: os.tmpdir() },
);
const quiet = { warning: () => undefined, info: () => undefined };

interface Figure {
  ms: number;
  requests: number;
}

async function once(concurrency: number, latency: number): Promise<Figure> {
  hub.requests.length = 0;
  hub.faults.clear();
  // Every answer waits `latency` ms first (the fault clears itself after `times` answers).
  if (latency > 0) hub.faults.add({ kind: 'hang', ms: latency }, { times: 1_000_000 });
  const http = createHttp(inputs);
  const lookups = new Registries(inputs, http);
  const start = process.hrtime.bigint();
  const targets = directories.map((directory) => ({
    directory,
    reason: 'changed' as const,
    wave: 0,
  }));
  const planned = await planVersions(targets, inputs, { lookups, concurrency, log: quiet });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await http.close();
  if (planned.plans.length !== IMAGES || planned.plans.some((p) => p.previous === '')) {
    throw new Error('the benchmark did not find the versions it should');
  }
  if (hub.requests.length !== http.requestCount) {
    throw new Error(
      `the Hub saw ${hub.requests.length} requests, the client sent ${http.requestCount}`,
    );
  }
  return { ms, requests: http.requestCount };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(
  `${IMAGES} images × ${TAGS} tags on the fake Docker Hub (page_size=100 → ${Math.ceil(TAGS / 100)} pages each); median of ${ROUNDS} rounds`,
);
console.log('added latency  concurrency  requests  wall time   per image');
try {
  await once(VERSION_CONCURRENCY, 0); // warm-up: JIT, sockets
  for (const latency of [0, LATENCY_MS]) {
    for (const concurrency of [1, VERSION_CONCURRENCY]) {
      const figures: Figure[] = [];
      for (let r = 0; r < ROUNDS; r++) figures.push(await once(concurrency, latency));
      const ms = median(figures.map((f) => f.ms));
      console.log(
        `${`${latency} ms`.padStart(13)}  ${String(concurrency).padStart(11)}  ${String(figures[0]!.requests).padStart(8)}  ${`${ms.toFixed(1)} ms`.padStart(10)}  ${`${(ms / IMAGES).toFixed(1)} ms`.padStart(10)}`,
      );
    }
  }
} finally {
  await hub.stop();
}
