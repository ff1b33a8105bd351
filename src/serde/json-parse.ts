/**
 * A JSON parser that keeps every number's text ({@link JsonNum}), used when a
 * schema holds DECIMAL columns so that `12345678987654321.2345678987654321`
 * arrives with all its digits (JSON.parse would round it to a double).
 */

/** A JSON number kept as its source text. */
export class JsonNum {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
}

/** Thrown for text that is not JSON. */
export class JsonSyntaxError extends Error {}

/** Parses JSON text; numbers become {@link JsonNum}, everything else as JSON.parse. */
export function parseJsonLossless(text: string): unknown {
  const p = new Parser(text);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.i < text.length) p.fail();
  return v;
}

const NUM_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(): never {
    const c = this.s[this.i];
    throw new JsonSyntaxError(c === undefined ? 'Unexpected end of JSON input' : `Unexpected character ('${c}') at position ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
    this.i = i;
  }

  value(): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    switch (c) {
      case 123 /* { */:
        {
          this.i++;
          const obj: Record<string, unknown> = {};
          this.ws();
          if (s.charCodeAt(this.i) === 125) {
            this.i++;
            return obj;
          }
          for (;;) {
            this.ws();
            if (s.charCodeAt(this.i) !== 34) this.fail();
            const k = this.string();
            this.ws();
            if (s.charCodeAt(this.i) !== 58) this.fail();
            this.i++;
            this.ws();
            const v = this.value();
            Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
            this.ws();
            const d = s.charCodeAt(this.i++);
            if (d === 125) return obj;
            if (d !== 44) {
              this.i--;
              this.fail();
            }
          }
        }
      case 91 /* [ */:
        {
          this.i++;
          const arr: unknown[] = [];
          this.ws();
          if (s.charCodeAt(this.i) === 93) {
            this.i++;
            return arr;
          }
          for (;;) {
            this.ws();
            arr.push(this.value());
            this.ws();
            const d = s.charCodeAt(this.i++);
            if (d === 93) return arr;
            if (d !== 44) {
              this.i--;
              this.fail();
            }
          }
        }
      case 34 /* " */:
        return this.string();
      case 116 /* t */:
        return this.word('true', true);
      case 102 /* f */:
        return this.word('false', false);
      case 110 /* n */:
        return this.word('null', null);
      default:
        return this.number();
    }
  }

  word<T>(w: string, v: T): T {
    if (!this.s.startsWith(w, this.i)) this.fail();
    this.i += w.length;
    return v;
  }

  string(): string {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(i);
      // biome-ignore lint/suspicious/noSelfCompare: NaN is past the end of the text; the cheapest test in this hot loop
      if (c !== c) {
        this.i = i;
        this.fail();
      }
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32) {
        this.i = i;
        this.fail();
      }
      i++;
    }
    this.i = i + 1;
    if (!escaped) return s.slice(start + 1, i);
    try {
      return JSON.parse(s.slice(start, i + 1)) as string;
    } catch {
      this.i = start;
      this.fail();
    }
  }

  number(): JsonNum {
    const m = NUM_RE;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) this.fail();
    this.i += r[0].length;
    return new JsonNum(r[0]);
  }
}
