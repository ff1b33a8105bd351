/**
 * The quickstart data sets of `sluice datagen`, in the spirit of
 * ksql-datagen's: each has a default topic, the DDL of a stream or table that
 * reads it, and a generator of realistic records. `users` and `clickstream`
 * share user ids 1–25 (for the enrichment join); `transactions` sends bursts
 * of authorisations on one card now and then (possible fraud); `monitoring`
 * mixes INFO, WARN and ERROR events with HTTP-style codes (error counts).
 */
import type { Random } from './random.js';

/** One generated record: its key (undefined: none) and JSON value. */
export interface GeneratedRecord {
  readonly key: string | number | undefined;
  readonly value: Record<string, unknown>;
}

/** A generator keeps state between records (order ids, bursts). */
export type Generator = (now: number) => GeneratedRecord;

/** A quickstart data set. */
export interface Quickstart {
  readonly name: string;
  readonly description: string;
  readonly topic: string;
  /** STREAM or TABLE, and its name in the suggested DDL. */
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly sourceName: string;
  /** Column definitions of the suggested DDL. */
  readonly columns: string;
  /** Whether any column is nested (DELIMITED cannot hold it). */
  readonly nested?: boolean;
  generator(rng: Random): Generator;
}

const FIRST = [
  'Alice',
  'Bob',
  'Carmen',
  'Deepak',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Lars',
  'Maya',
  'Nikolai',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Ximena',
  'Yusuf',
];
const LAST = ['Smith', 'Garcia', 'Chen', 'Okafor', 'Muller', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Larsen'];
const CITIES: readonly (readonly [string, string, number])[] = [
  ['Palo Alto', 'CA', 94301],
  ['San Francisco', 'CA', 94107],
  ['Seattle', 'WA', 98101],
  ['Austin', 'TX', 73301],
  ['New York', 'NY', 10001],
  ['Chicago', 'IL', 60601],
  ['Denver', 'CO', 80202],
  ['Boston', 'MA', 2108],
];
const PAGES = ['/home', '/products', '/products/shoes', '/products/jackets', '/cart', '/checkout', '/search', '/account', '/help', '/blog/streaming-sql'];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148',
];
const MERCHANTS = [
  'Blue Bottle Coffee',
  'Trader Joes',
  'Shell Gas',
  'Amazon',
  'Uber',
  'Best Buy',
  'Whole Foods',
  'Apple Store',
  'Target',
  'Airbnb',
  'Netflix',
  'Corner Deli',
];
const HOSTS = ['web-1', 'web-2', 'web-3', 'api-1', 'api-2', 'db-1'];
const MESSAGES: Readonly<Record<number, string>> = {
  0: 'ok',
  200: 'request served',
  404: 'no such page',
  408: 'request timeout',
  429: 'rate limit exceeded',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'upstream timeout',
};

const USER_IDS = 25;
/** The level of user `id`: a few Platinum users, more Gold, most Silver (stable across runs). */
const levelOf = (id: number): string => (id % 5 === 0 ? 'Platinum' : id % 3 === 0 ? 'Gold' : 'Silver');
const cardNumber = (i: number): string =>
  `4${String(100 + i).padStart(3, '0')}-${String(1000 + ((i * 7919) % 9000)).padStart(4, '0')}-${String(1000 + ((i * 104729) % 9000)).padStart(4, '0')}-${String(1000 + ((i * 31) % 9000)).padStart(4, '0')}`;

/** Every quickstart, by name. */
export const QUICKSTARTS: Readonly<Record<string, Quickstart>> = {
  orders: {
    name: 'orders',
    description: 'orders with item, units and a delivery address',
    topic: 'orders',
    sourceType: 'STREAM',
    sourceName: 'orders',
    columns: 'orderid INT KEY, ordertime BIGINT, itemid STRING, orderunits DOUBLE, address STRUCT<city STRING, state STRING, zipcode INT>',
    nested: true,
    generator(rng) {
      let orderid = 0;
      return (now) => {
        const [city, state, zipcode] = rng.pick(CITIES);
        const value = {
          orderid: ++orderid,
          ordertime: now,
          itemid: `Item_${rng.int(1, 999)}`,
          orderunits: rng.amount(0.1, 10),
          address: { city, state, zipcode },
        };
        return { key: orderid, value };
      };
    },
  },
  users: {
    name: 'users',
    description: 'user profiles (ids 1-25, levels Platinum/Gold/Silver); updates as a table',
    topic: 'users',
    sourceType: 'TABLE',
    sourceName: 'users',
    columns: 'user_id INT PRIMARY KEY, username STRING, first_name STRING, last_name STRING, city STRING, level STRING, registered_at BIGINT',
    generator(rng) {
      let next = 0;
      return (now) => {
        // Every user once, in order, then random profile updates.
        const id = next < USER_IDS ? ++next : rng.int(1, USER_IDS);
        const first = FIRST[(id - 1) % FIRST.length]!;
        const last = LAST[(id * 7) % LAST.length]!;
        const value = {
          user_id: id,
          username: `${first.toLowerCase()}_${id}`,
          first_name: first,
          last_name: last,
          city: CITIES[id % CITIES.length]![0],
          level: levelOf(id),
          registered_at: now - rng.int(1, 365) * 86_400_000,
        };
        return { key: id, value };
      };
    },
  },
  pageviews: {
    name: 'pageviews',
    description: 'page views by user id',
    topic: 'pageviews',
    sourceType: 'STREAM',
    sourceName: 'pageviews',
    columns: 'pageid STRING KEY, viewtime BIGINT, userid INT',
    generator(rng) {
      return (now) => {
        const pageid = `Page_${rng.int(1, 99)}`;
        return { key: pageid, value: { pageid, viewtime: now, userid: rng.int(1, USER_IDS) } };
      };
    },
  },
  clickstream: {
    name: 'clickstream',
    description: 'web clicks: user id, page, action, status, bytes, agent',
    topic: 'clickstream',
    sourceType: 'STREAM',
    sourceName: 'clickstream',
    columns: 'userid INT, page STRING, action STRING, ip STRING, status INT, bytes BIGINT, agent STRING',
    generator(rng) {
      return () => {
        const userid = rng.int(1, USER_IDS);
        const action = rng.weighted([
          ['view', 60],
          ['click', 25],
          ['add_to_cart', 10],
          ['purchase', 5],
        ] as const);
        const value = {
          userid,
          page: rng.pick(PAGES),
          action,
          ip: `10.0.${rng.int(0, 3)}.${rng.int(1, 254)}`,
          status: rng.weighted([
            [200, 90],
            [302, 4],
            [404, 4],
            [500, 2],
          ] as const),
          bytes: rng.int(300, 48_000),
          agent: rng.pick(AGENTS),
        };
        return { key: String(userid), value };
      };
    },
  },
  transactions: {
    name: 'transactions',
    description: 'card authorisations; now and then a burst of 4-6 on one card within a second or two',
    topic: 'authorizations',
    sourceType: 'STREAM',
    sourceName: 'authorization_attempts',
    columns: 'card_number STRING, merchant STRING, amount DOUBLE, currency STRING, transaction_id STRING',
    generator(rng) {
      let burstCard: string | undefined;
      let burstLeft = 0;
      let n = 0;
      return () => {
        let card: string;
        if (burstLeft > 0) {
          card = burstCard!;
          burstLeft--;
        } else if (rng.next() < 0.06) {
          card = cardNumber(rng.int(0, 19));
          burstCard = card;
          burstLeft = rng.int(3, 5);
        } else card = cardNumber(rng.int(0, 19));
        const value = {
          card_number: card,
          merchant: rng.pick(MERCHANTS),
          amount: rng.amount(1, 400),
          currency: 'USD',
          transaction_id: `tx-${String(++n).padStart(7, '0')}`,
        };
        return { key: card, value };
      };
    },
  },
  monitoring: {
    name: 'monitoring',
    description: 'service events: host, type (INFO/WARN/ERROR), error_code, message',
    topic: 'monitoring',
    sourceType: 'STREAM',
    sourceName: 'monitoring_stream',
    columns: 'host STRING KEY, type STRING, error_code INT, message STRING',
    generator(rng) {
      return () => {
        const host = rng.pick(HOSTS);
        const type = rng.weighted([
          ['INFO', 55],
          ['WARN', 15],
          ['ERROR', 30],
        ] as const);
        const code =
          type === 'ERROR'
            ? rng.weighted([
                [500, 40],
                [502, 15],
                [503, 20],
                [504, 15],
                [404, 10],
              ] as const)
            : type === 'WARN'
              ? rng.pick([408, 429])
              : rng.pick([0, 200]);
        return { key: host, value: { host, type, error_code: code, message: MESSAGES[code] ?? 'event' } };
      };
    },
  },
};

/** The DDL of a stream or table reading a quickstart's topic in a value format. */
export function quickstartDdl(q: Quickstart, topic: string, format: string): string {
  return `CREATE ${q.sourceType} ${q.sourceName} (${q.columns}) WITH (kafka_topic='${topic}', value_format='${format.toUpperCase()}', partitions=1);`;
}

/** The names of a quickstart's key columns (`… KEY` or `… PRIMARY KEY`), upper-case. */
function keyColumns(q: Quickstart): ReadonlySet<string> {
  const keys = new Set<string>();
  let depth = 0;
  let start = 0;
  const defs: string[] = [];
  for (let i = 0; i <= q.columns.length; i++) {
    const c = q.columns[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if ((c === ',' && depth === 0) || c === undefined) {
      defs.push(q.columns.slice(start, i).trim());
      start = i + 1;
    }
  }
  for (const d of defs) if (/\bKEY$/i.test(d)) keys.add(d.split(/\s+/)[0]!.toUpperCase());
  return keys;
}

function upperFields(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), upperFields(x)]));
}

/**
 * A generated record as the suggested stream or table holds it on the topic:
 * field names upper-case (as the DDL's unquoted column names are), key columns
 * in the key only. This is what datagen writes and echoes.
 */
export function onTopic(q: Quickstart): (r: GeneratedRecord) => GeneratedRecord {
  const keys = keyColumns(q);
  return (r) => {
    const value: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(r.value)) if (!keys.has(k.toUpperCase())) value[k.toUpperCase()] = upperFields(x);
    return { key: r.key, value };
  };
}
