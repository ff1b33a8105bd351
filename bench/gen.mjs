// Deterministic input for the benchmark: Nexmark-style persons, auctions and bids
// (field sizes as in the Nexmark generator), plus the mission's `monitoring` and
// `transactions` events. Every record is JSON bytes with an event-time timestamp;
// the same seed always gives the same bytes.

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const FIRST = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const MESSAGES = [
  'upstream connect error or disconnect/reset before headers',
  'connection refused while proxying request to backend',
  'request timed out after 30000 ms waiting for response',
  'invalid certificate chain presented by peer',
  'disk quota exceeded while writing access log',
];
const MERCHANTS = Array.from({ length: 500 }, (_, i) => `merchant-${String(i).padStart(4, '0')}`);

function str(r, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHA[(r() * ALPHA.length) | 0];
  return s;
}

/** Event time of the first event: 2024-01-01T00:00:00Z. */
export const BASE_TS = Date.UTC(2024, 0, 1);

/**
 * Nexmark's generator mixes persons:auctions:bids as 1:3:46; here each kind has
 * its own topic. Event time advances by `1000 / rate` ms per event.
 */
export function* bids(n, { seed = 1, auctions = 10_000, persons = 10_000, rate = 10_000 } = {}) {
  const r = rng(seed);
  const extra = str(r, 60); // Nexmark pads records to a target size with `extra`
  for (let i = 0; i < n; i++) {
    const ts = BASE_TS + Math.floor((i * 1000) / rate);
    const auction = 1000 + ((r() * auctions) | 0);
    const v = {
      auction,
      bidder: 1000 + ((r() * persons) | 0),
      price: 100 + ((r() * 100_000) | 0),
      channel: CHANNELS[(r() * CHANNELS.length) | 0],
      url: `https://www.nexmark.com/${str(r, 5)}/${str(r, 5)}/item.htm?query=1`,
      dateTime: ts,
      extra: extra.slice((r() * 20) | 0),
    };
    yield { key: null, value: Buffer.from(JSON.stringify(v)), timestamp: ts };
  }
}

/** Auctions with ids 1000 … 1000+n-1, keyed by id (a table's topic). */
export function* auctions(n, { seed = 2, persons = 10_000 } = {}) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const ts = BASE_TS + i;
    const id = 1000 + i;
    const v = {
      itemName: str(r, 20),
      description: str(r, 60),
      initialBid: 100 + ((r() * 1000) | 0),
      reserve: 1000 + ((r() * 10_000) | 0),
      dateTime: ts,
      expires: ts + 3_600_000,
      seller: 1000 + ((r() * persons) | 0),
      category: 10 + ((r() * 5) | 0),
      extra: str(r, 20),
    };
    yield { key: Buffer.from(String(id)), value: Buffer.from(JSON.stringify(v)), timestamp: ts };
  }
}

/** Persons (for completeness of the Nexmark model; not used by a timed scenario). */
export function* persons(n, { seed = 3 } = {}) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const ts = BASE_TS + i;
    const name = `${FIRST[(r() * FIRST.length) | 0]} ${LAST[(r() * LAST.length) | 0]}`;
    const v = {
      id: 1000 + i,
      name,
      emailAddress: `${str(r, 7)}@${str(r, 5)}.com`,
      creditCard: `${str(r, 4)} ${str(r, 4)} ${str(r, 4)} ${str(r, 4)}`,
      city: CITIES[(r() * CITIES.length) | 0],
      state: STATES[(r() * STATES.length) | 0],
      dateTime: ts,
      extra: str(r, 20),
    };
    yield { key: null, value: Buffer.from(JSON.stringify(v)), timestamp: ts };
  }
}

/** Monitoring events: 80% ERROR, 15% WARN, 5% INFO; `keys` distinct error codes. */
export function* monitoring(n, { seed = 4, keys = 1000, rate = 20_000 } = {}) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const ts = BASE_TS + Math.floor((i * 1000) / rate);
    const x = r();
    const v = {
      host: `web-${(r() * 200) | 0}.eu-west-1.example.net`,
      type: x < 0.8 ? 'ERROR' : x < 0.95 ? 'WARN' : 'INFO',
      error_code: keys >= n ? i % keys : (r() * keys) | 0,
      message: MESSAGES[(r() * MESSAGES.length) | 0],
    };
    yield { key: Buffer.from(v.host), value: Buffer.from(JSON.stringify(v)), timestamp: ts };
  }
}

/**
 * Card transactions over `cards` cards; 2% of them go to 100 "hot" cards so some
 * cards do pass HAVING COUNT(*) > 3 in 5 seconds.
 */
export function* transactions(n, { seed = 5, cards = 100_000, rate = 20_000 } = {}) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const ts = BASE_TS + Math.floor((i * 1000) / rate);
    const card = cards >= n ? i % cards : r() < 0.02 ? (r() * 100) | 0 : (r() * cards) | 0;
    const v = {
      card_number: `4000${String(card).padStart(12, '0')}`,
      merchant: MERCHANTS[(r() * MERCHANTS.length) | 0],
      amount: Math.round(r() * 50_000) / 100,
    };
    yield { key: null, value: Buffer.from(JSON.stringify(v)), timestamp: ts };
  }
}

/** Appends a generator's records to a log partition in batches; returns bytes written. */
export async function fill(log, topic, gen, batch = 20_000) {
  let buf = [];
  let bytes = 0;
  for (const rec of gen) {
    bytes += rec.value.length + (rec.key?.length ?? 0);
    buf.push(rec);
    if (buf.length === batch) {
      await log.append(topic, 0, buf);
      buf = [];
    }
  }
  if (buf.length > 0) await log.append(topic, 0, buf);
  return bytes;
}

/** Runs `f` and measures it: elapsed ms and the peak RSS (MiB) sampled every 20 ms meanwhile. */
export async function timed(f) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    await f();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  return { ms, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}
