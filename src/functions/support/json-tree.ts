/**
 * A lossless JSON tree (numbers keep their source text, as Jackson's nodes print
 * them) with a lenient reader that, like Jackson's readTree, ignores text after the
 * first complete value, and a compact writer.
 */
export type JsonNode =
  | { readonly t: 'obj'; readonly entries: [string, JsonNode][] }
  | { readonly t: 'arr'; readonly items: JsonNode[] }
  | { readonly t: 'num'; readonly raw: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'null' };

export const JSON_NULL: JsonNode = { t: 'null' };

class Reader {
  pos = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos]!)) this.pos++;
  }

  value(): JsonNode {
    this.ws();
    const c = this.s[this.pos];
    if (c === '{') {
      this.pos++;
      const entries: [string, JsonNode][] = [];
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return { t: 'obj', entries };
      }
      for (;;) {
        this.ws();
        if (this.s[this.pos] !== '"') throw new SyntaxError('expected key');
        const k = this.string();
        this.ws();
        if (this.s[this.pos++] !== ':') throw new SyntaxError('expected :');
        const v = this.value();
        const i = entries.findIndex((e) => e[0] === k);
        if (i >= 0) entries[i] = [k, v];
        else entries.push([k, v]);
        this.ws();
        const d = this.s[this.pos++];
        if (d === '}') return { t: 'obj', entries };
        if (d !== ',') throw new SyntaxError('expected , or }');
      }
    }
    if (c === '[') {
      this.pos++;
      const items: JsonNode[] = [];
      this.ws();
      if (this.s[this.pos] === ']') {
        this.pos++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(this.value());
        this.ws();
        const d = this.s[this.pos++];
        if (d === ']') return { t: 'arr', items };
        if (d !== ',') throw new SyntaxError('expected , or ]');
      }
    }
    if (c === '"') return { t: 'str', v: this.string() };
    const rest = this.s.slice(this.pos);
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { t: 'num', raw: num[0] };
    }
    for (const [word, node] of [
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
      ['null', JSON_NULL],
    ] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return node;
      }
    }
    throw new SyntaxError(`unexpected character at ${this.pos}`);
  }

  string(): string {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.s.slice(this.pos));
    if (!m) throw new SyntaxError('bad string');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }
}

/** Reads the first JSON value of `text`; undefined when it is not JSON. */
export function readJson(text: string, strict = false): JsonNode | undefined {
  try {
    const r = new Reader(text);
    const v = r.value();
    if (strict) {
      r.ws();
      if (r.pos !== text.length) return undefined;
    }
    return v;
  } catch {
    return undefined;
  }
}

/** Compact JSON text of a node. */
export function writeJson(n: JsonNode): string {
  switch (n.t) {
    case 'obj':
      return `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
    case 'arr':
      return `[${n.items.map(writeJson).join(',')}]`;
    case 'num':
      return n.raw;
    case 'str':
      return JSON.stringify(n.v);
    case 'bool':
      return String(n.v);
    case 'null':
      return 'null';
  }
}

/** Text of a node as ksqlDB returns extracted values: strings unquoted, the rest as JSON. */
export function nodeText(n: JsonNode): string {
  return n.t === 'str' ? n.v : writeJson(n);
}
