/**
 * Generated column names, with ksqlDB's rules (ColumnNames): a name is split into
 * a base and an optional `_<number>` suffix (`ROWKEY_1` → ROWKEY, 1; `ROWKEY` →
 * ROWKEY, 0). For each base, the numbers the source schemas already use are taken;
 * a generator hands out the lowest free numbers in turn, writing number 0 as the
 * bare base (except for KSQL_COL, whose names always carry the number).
 */

const GENERATED_ALIAS_PREFIX = 'KSQL_COL';
const SYNTHETIC_JOIN_KEY_PREFIX = 'ROWKEY';
const NUMBERED = /^(.*?)(?:_(\d+))?$/s;

function split(name: string): { readonly base: string; readonly n: number } {
  const m = NUMBERED.exec(name)!;
  return { base: m[1]!, n: m[2] === undefined ? 0 : Number(m[2]) };
}

/** Hands out unused names for one base. */
class AliasSequence {
  private next = 0;
  constructor(
    private readonly base: string,
    private readonly used: ReadonlySet<number>,
  ) {}

  take(): string {
    let idx = this.next++;
    while (this.used.has(idx)) idx = this.next++;
    return idx === 0 && this.base !== GENERATED_ALIAS_PREFIX ? this.base : `${this.base}_${idx}`;
  }
}

function sequences(names: Iterable<string>): Map<string, AliasSequence> {
  const used = new Map<string, Set<number>>();
  for (const name of names) {
    const { base, n } = split(name);
    let s = used.get(base);
    if (!s) used.set(base, (s = new Set()));
    s.add(n);
  }
  const out = new Map<string, AliasSequence>();
  for (const [base, ns] of used) out.set(base, new AliasSequence(base, ns));
  return out;
}

/**
 * Names unaliased SELECT expressions (ksqlDB's ColumnAliasGenerator): `KSQL_COL_n`
 * for expressions, the field name (numbered on clashes) for struct dereferences,
 * never clashing with a column of the given source schemas.
 */
export class ColumnAliasGenerator {
  private readonly seqs: Map<string, AliasSequence>;

  /** `sourceColumns`: every key and value column name of the query's sources. */
  constructor(sourceColumns: Iterable<string>) {
    this.seqs = sequences(sourceColumns);
  }

  /** The next free `KSQL_COL_n`. */
  nextKsqlCol(): string {
    return this.sequence(GENERATED_ALIAS_PREFIX).take();
  }

  /** A name for an unaliased `struct->field`: the field, or field_n when taken. */
  forField(field: string): string {
    return this.sequence(split(field).base).take();
  }

  private sequence(base: string): AliasSequence {
    let s = this.seqs.get(base);
    if (!s) this.seqs.set(base, (s = new AliasSequence(base, new Set())));
    return s;
  }
}

/**
 * The name of a join's synthetic key column (ksqlDB's generateSyntheticJoinKey):
 * ROWKEY, or ROWKEY_n with the lowest n no source column uses.
 */
export function syntheticJoinKeyName(sourceColumns: Iterable<string>): string {
  return (sequences(sourceColumns).get(SYNTHETIC_JOIN_KEY_PREFIX) ?? new AliasSequence(SYNTHETIC_JOIN_KEY_PREFIX, new Set())).take();
}
