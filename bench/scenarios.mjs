// Throughput scenarios 1-5: a persistent query through the whole engine and a
// hand-written baseline (JSON.parse, the same computation in a Map, JSON.stringify)
// over the same input bytes.
import { BASE_TS, auctions, bids, monitoring, transactions } from './gen.mjs';

const BIDS_DDL = `CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime BIGINT, extra STRING)
  WITH (kafka_topic='bids', value_format='JSON', partitions=1);`;
const AUCTIONS_DDL = `CREATE TABLE auctions (id BIGINT PRIMARY KEY, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT,
  dateTime BIGINT, expires BIGINT, seller BIGINT, category INT, extra STRING)
  WITH (kafka_topic='auctions', key_format='JSON', value_format='JSON', partitions=1);`;
const MONITORING_DDL = `CREATE STREAM monitoring_stream (host STRING KEY, type STRING, error_code INT, message STRING)
  WITH (kafka_topic='monitoring', value_format='JSON', partitions=1);`;
const TRANSACTIONS_DDL = `CREATE STREAM transactions (card_number STRING, merchant STRING, amount DOUBLE)
  WITH (kafka_topic='transactions', value_format='JSON', partitions=1);`;

const USERS_DDL = `CREATE STREAM users (user_id STRING, page STRING)
  WITH (kafka_topic='users', value_format='JSON', partitions=1);`;

/**
 * Page views keyed by user: `keys` distinct users in a scrambled order (a stride
 * coprime with `keys`), as the peer comparison's W4 data; with n = keys each user once.
 */
function* users(n, keys) {
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  let stride = 618_033;
  while (gcd(stride, keys) !== 1) stride++;
  for (let i = 0; i < n; i++) {
    const u = Number((BigInt(i) * BigInt(stride)) % BigInt(keys));
    const v = { user_id: `user-${String(u).padStart(9, '0')}`, page: `/p/${i % 1000}` };
    yield { key: null, value: Buffer.from(JSON.stringify(v)), timestamp: BASE_TS + i };
  }
}

const out = (key, value) => ({ key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(JSON.stringify(value)) });
const windowKey = (start) => start; // the baseline keeps windows as numbers, like the engine's state key suffix

/**
 * Each scenario: `inputs` (topic, generator) appended before timing; optional
 * `preload` topics the query consumes before timing starts (a join's table);
 * `sql` the persistent query; `baseline(values, preloaded)` the plain loop, which
 * returns the number of output records.
 */
export const SCENARIOS = {
  q0_passthrough: (n) => ({
    ddl: [BIDS_DDL],
    inputs: [{ topic: 'bids', gen: () => bids(n) }],
    sql: 'CREATE STREAM q0 AS SELECT * FROM bids;',
    sink: 'Q0',
    keys: 0,
    baseline(records) {
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        out(null, { AUCTION: v.auction, BIDDER: v.bidder, PRICE: v.price, CHANNEL: v.channel, URL: v.url, DATETIME: v.dateTime, EXTRA: v.extra });
        n++;
      }
      return n;
    },
  }),
  q1_project: (n) => ({
    ddl: [BIDS_DDL],
    inputs: [{ topic: 'bids', gen: () => bids(n) }],
    sql: 'CREATE STREAM q1 AS SELECT auction, bidder, CAST(price AS DOUBLE) * 0.908 AS price, dateTime, extra FROM bids;',
    sink: 'Q1',
    keys: 0,
    baseline(records) {
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        out(null, { AUCTION: v.auction, BIDDER: v.bidder, PRICE: v.price * 0.908, DATETIME: v.dateTime, EXTRA: v.extra });
        n++;
      }
      return n;
    },
  }),
  q2_filter: (n) => ({
    ddl: [BIDS_DDL],
    inputs: [{ topic: 'bids', gen: () => bids(n) }],
    sql: 'CREATE STREAM q2 AS SELECT auction, price FROM bids WHERE auction % 123 = 0;',
    sink: 'Q2',
    keys: 0,
    baseline(records) {
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        if (v.auction % 123 !== 0) continue;
        out(null, { AUCTION: v.auction, PRICE: v.price });
        n++;
      }
      return n;
    },
  }),
  error_counts: (n, keys) => ({
    ddl: [MONITORING_DDL],
    inputs: [{ topic: 'monitoring', gen: () => monitoring(n, { keys }) }],
    sql: `CREATE TABLE error_counts AS SELECT error_code, COUNT(*) AS n FROM monitoring_stream
      WINDOW TUMBLING (SIZE 1 MINUTE) WHERE type = 'ERROR' GROUP BY error_code;`,
    sink: 'ERROR_COUNTS',
    keys,
    baseline(records) {
      const counts = new Map();
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        if (v.type !== 'ERROR') continue;
        const start = r.timestamp - (r.timestamp % 60_000);
        const k = `${v.error_code}@${windowKey(start)}`;
        const c = (counts.get(k) ?? 0) + 1;
        counts.set(k, c);
        out(JSON.stringify(v.error_code), { N: c });
        n++;
      }
      return n;
    },
  }),
  possible_fraud: (n, keys) => ({
    ddl: [TRANSACTIONS_DDL],
    inputs: [{ topic: 'transactions', gen: () => transactions(n, { cards: keys }) }],
    sql: `CREATE TABLE possible_fraud AS SELECT card_number, COUNT(*) AS attempts FROM transactions
      WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY card_number HAVING COUNT(*) > 3;`,
    sink: 'POSSIBLE_FRAUD',
    keys,
    baseline(records) {
      const counts = new Map();
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        const start = r.timestamp - (r.timestamp % 5_000);
        const k = `${v.card_number}@${windowKey(start)}`;
        const c = (counts.get(k) ?? 0) + 1;
        counts.set(k, c);
        // Like the engine: a row only once the count passes HAVING.
        if (c <= 3) continue;
        out(v.card_number, { ATTEMPTS: c });
        n++;
      }
      return n;
    },
  }),
  user_counts: (n, keys) => ({
    ddl: [USERS_DDL],
    inputs: [{ topic: 'users', gen: () => users(n, keys) }],
    sql: 'CREATE TABLE user_counts AS SELECT user_id, COUNT(*) AS n FROM users GROUP BY user_id;',
    sink: 'USER_COUNTS',
    keys,
    baseline(records) {
      const counts = new Map();
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        const c = (counts.get(v.user_id) ?? 0) + 1;
        counts.set(v.user_id, c);
        out(JSON.stringify(v.user_id), { N: c });
        n++;
      }
      return n;
    },
  }),
  join: (n, keys) => ({
    ddl: [BIDS_DDL, AUCTIONS_DDL],
    preload: [{ topic: 'auctions', gen: () => auctions(keys) }],
    inputs: [{ topic: 'bids', gen: () => bids(n, { auctions: keys }) }],
    sql: `CREATE STREAM q3 AS SELECT b.auction, b.bidder, b.price, a.itemName, a.seller, a.category
      FROM bids b LEFT JOIN auctions a ON b.auction = a.id;`,
    sink: 'Q3',
    keys,
    baseline(records, preloaded) {
      const table = new Map();
      for (const r of preloaded) table.set(r.key.toString('utf8'), JSON.parse(r.value.toString('utf8')));
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        const a = table.get(String(v.auction));
        out(JSON.stringify(v.auction), {
          BIDDER: v.bidder,
          PRICE: v.price,
          ITEMNAME: a?.itemName ?? null,
          SELLER: a?.seller ?? null,
          CATEGORY: a?.category ?? null,
        });
        n++;
      }
      return n;
    },
  }),
  hopping: (n, keys) => ({
    ddl: [BIDS_DDL],
    inputs: [{ topic: 'bids', gen: () => bids(n, { auctions: keys }) }],
    sql: `CREATE TABLE q5 AS SELECT auction, COUNT(*) AS bids FROM bids
      WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY auction;`,
    sink: 'Q5',
    keys,
    baseline(records) {
      const counts = new Map();
      let n = 0;
      for (const r of records) {
        const v = JSON.parse(r.value.toString('utf8'));
        const ts = r.timestamp;
        for (let start = Math.floor(Math.max(0, ts - 10_000 + 2_000) / 2_000) * 2_000; start <= ts; start += 2_000) {
          const k = `${v.auction}@${start}`;
          const c = (counts.get(k) ?? 0) + 1;
          counts.set(k, c);
          out(JSON.stringify(v.auction), { BIDS: c });
          n++;
        }
      }
      return n;
    },
  }),
};
