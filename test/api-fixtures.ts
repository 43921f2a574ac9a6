/** The data the API end-to-end tests seed into a real store, and what they expect back. */
import type { HealthReport } from '../src/api/deps.js';
import type { Store } from '../src/engine/store/ports.js';
import {
  convictionScored,
  convictionVector,
  instrument,
  signalEvent,
  type VectorOptions,
} from '../src/engine/store/store.fixtures.js';
import type { ModelScored, SignalIngested } from '../src/engine/types.js';

/** The engine clock the server is given: vector 6 has expired by then, the others have not. */
export const NOW = 1_700_000_100_000;

export const HEALTH: HealthReport = {
  status: 'ok',
  version: '0.1.0-test',
  uptimeSeconds: 12,
  mlBackend: 'none',
  storeKind: 'pglite',
  storeOk: true,
  busKind: 'memory',
  pipelineLag: 0,
  lastIngestToConvictionMs: 42.5,
  signalsStored: 7,
  convictionsStored: 8,
};

// n → vector options; createdAt grows with n, so listings (newest first) run 8, 7, ..., 1.
export const VECTORS: Record<number, VectorOptions> = {
  1: { instrument: 'AAPL', convictionScore: 0.2, band: 'WEAK', routingTags: ['equity'] },
  2: { instrument: 'AAPL', convictionScore: 0.55, band: 'MODERATE', routingTags: ['equity', 'social'] },
  3: { instrument: 'MSFT', convictionScore: -0.8, band: 'STRONG', routingTags: ['equity', 'insider'] },
  4: { instrument: 'AAPL', convictionScore: 0.95, band: 'EXTREME', routingTags: ['equity', 'social'] },
  5: { instrument: 'BTC', convictionScore: -0.3, band: 'WEAK', routingTags: ['crypto', 'whale'] },
  6: { instrument: 'AAPL', convictionScore: -0.6, band: 'STRONG', routingTags: ['equity', 'news'], ttl: 10 }, // expired at NOW
  7: { instrument: 'MSFT', convictionScore: 0.7, band: 'STRONG', routingTags: ['equity'] },
  8: { instrument: 'AAPL', convictionScore: 0.1, band: 'WEAK', routingTags: ['equity'], signalId: 'sig_missing' },
};

export const SIGNALS = [
  { n: 1, instrument: 'AAPL', kind: 'bar', source: 'simulator' },
  { n: 2, instrument: 'AAPL', kind: 'social_mention', source: 'reddit' },
  { n: 3, instrument: 'MSFT', kind: 'insider_filing', source: 'sec' },
  { n: 4, instrument: 'AAPL', kind: 'news', source: 'rss' },
  { n: 5, instrument: 'BTC', kind: 'whale_transfer', source: 'etherscan' },
  { n: 6, instrument: 'AAPL', kind: 'bar', source: 'simulator' },
  { n: 7, instrument: 'MSFT', kind: 'bar', source: 'simulator' },
] as const;

/** Instruments, signals, vectors, and an audited chain raw → enriched → model → conviction for vector 4. */
export async function seed(store: Store): Promise<void> {
  await store.instruments.upsertMany([
    instrument('AAPL', { name: 'Apple Inc.' }),
    instrument('MSFT', { name: 'Microsoft Corporation' }),
    instrument('BTC', { name: 'Bitcoin', assetClass: 'crypto', sector: 'Crypto', venue: 'BINANCE' }),
  ]);
  for (const s of SIGNALS) await store.signals.insert(signalEvent(s.n, s));
  for (const [n, o] of Object.entries(VECTORS)) await store.convictions.insert(convictionVector(Number(n), o), []);
  await seedAudit(store);
}

async function seedAudit(store: Store): Promise<void> {
  const raw: SignalIngested = {
    id: 'raw_sig_0004',
    type: 'SignalIngested',
    tsEvent: 1_700_000_003_000,
    tsInit: 1_700_000_003_400,
    causationIds: [],
    payload: { source: 'rss', kind: 'news', instrument: 'AAPL', externalId: 'ext-4', body: { title: 'post 4' } },
  };
  const scored: ModelScored = {
    id: 'ms_0004',
    type: 'ModelScored',
    tsEvent: 1_700_000_004_000,
    tsInit: 1_700_000_004_000,
    causationIds: ['sig_0004'],
    payload: {
      modelId: 'ZScore(window=48,min=12)',
      modelVersion: '1',
      instrument: 'AAPL',
      series: 'news',
      value: 5,
      mean: 1,
      std: 1,
      score: 4,
      polarity: 0.5,
      horizonMs: 3_600_000,
    },
  };
  await store.audit.append(raw);
  await store.audit.append(signalEvent(4, { instrument: 'AAPL', kind: 'news', source: 'rss' }));
  await store.audit.append(scored);
  await store.audit.append(convictionScored(convictionVector(4, VECTORS[4]), ['ms_0004', 'sig_0004', 'ghost_0001']));
}
