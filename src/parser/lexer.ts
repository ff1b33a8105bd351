/**
 * Chevrotain tokens for ksqlDB's SQL dialect.
 *
 * Keywords are case-insensitive. Most of ksqlDB's keywords are non-reserved:
 * they may also be used as identifiers (column, source, function names). Those
 * tokens carry the {@link NonReserved} category so that the grammar's
 * `identifier` rule can accept them with a single CONSUME.
 */
import { createToken, Lexer, type TokenType, type CustomPatternMatcherFunc } from 'chevrotain';

// ---------- skipped ----------
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\r\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** A `/*` never closed; never valid, reported as a lexing error. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });

// ---------- identifiers and literals ----------
/** Plain identifier; also the `longer_alt` of every keyword. */
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_@]*/ });
/** Token category carried by every keyword usable as an identifier. */
export const NonReserved = createToken({ name: 'NonReserved', pattern: Lexer.NA });

export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /"(?:[^"]|"")*"/, line_breaks: true });
export const BackQuotedIdentifier = createToken({
  name: 'BackQuotedIdentifier',
  pattern: /`(?:[^`]|``)*`/,
  line_breaks: true,
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/, line_breaks: true });
/** An unsubstituted `${name}` variable reference (never valid in the grammar). */
export const Variable = createToken({ name: 'Variable', pattern: /\$\{[A-Za-z_][A-Za-z0-9_]*\}/ });

const digitIdentRe = /[0-9][A-Za-z0-9_@]*/y;
const numberRe = /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
/**
 * ksqlDB's DIGIT_IDENTIFIER (`1abc`): matched only when longer than any number
 * literal at the same place, so `1E5` stays a number and `1E5x` is an identifier.
 */
const matchDigitIdentifier: CustomPatternMatcherFunc = (text, offset) => {
  digitIdentRe.lastIndex = offset;
  const ident = digitIdentRe.exec(text);
  if (!ident) return null;
  numberRe.lastIndex = offset;
  const num = numberRe.exec(text);
  if (num && num[0].length >= ident[0].length) return null;
  return ident;
};
export const DigitIdentifier = createToken({
  name: 'DigitIdentifier',
  pattern: { exec: matchDigitIdentifier },
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  line_breaks: false,
});
export const FloatingPointLiteral = createToken({
  name: 'FloatingPointLiteral',
  pattern: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+/,
});
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /[0-9]+\.[0-9]*|\.[0-9]+/ });
export const IntegerLiteral = createToken({ name: 'IntegerLiteral', pattern: /[0-9]+/ });

// ---------- operators and punctuation ----------
export const LambdaArrow = createToken({ name: 'LambdaArrow', pattern: /=>/, label: "'=>'" });
export const Assign = createToken({ name: 'Assign', pattern: /:=/, label: "':='" });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const Neq = createToken({ name: 'Neq', pattern: /<>|!=/, label: "'<>'" });
export const Lte = createToken({ name: 'Lte', pattern: /<=/, label: "'<='" });
export const Gte = createToken({ name: 'Gte', pattern: />=/, label: "'>='" });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'" });
export const Eq = createToken({ name: 'Eq', pattern: /=/, label: "'='" });
export const ConcatOp = createToken({ name: 'ConcatOp', pattern: /\|\|/, label: "'||'" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });

// ---------- keywords ----------
const keywordTokens: TokenType[] = [];

function kw(word: string, nonReserved: boolean): TokenType {
  const t = createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    label: `'${word}'`,
    categories: nonReserved ? [NonReserved] : [],
  });
  keywordTokens.push(t);
  return t;
}
const R = (w: string): TokenType => kw(w, false);
const N = (w: string): TokenType => kw(w, true);

// Reserved in ksqlDB (cannot be identifiers unless quoted).
export const SELECT = R('SELECT');
export const FROM = R('FROM');
export const AS = R('AS');
export const ALL = R('ALL');
export const DISTINCT = R('DISTINCT');
export const WHERE = R('WHERE');
export const WITHIN = R('WITHIN');
export const WINDOW = R('WINDOW');
export const GROUP = R('GROUP');
export const BY = R('BY');
export const HAVING = R('HAVING');
export const LIMIT = R('LIMIT');
export const AT = R('AT');
export const OR = R('OR');
export const AND = R('AND');
export const IN = R('IN');
export const NOT = R('NOT');
export const EXISTS = R('EXISTS');
export const BETWEEN = R('BETWEEN');
export const LIKE = R('LIKE');
export const IS = R('IS');
export const NULL = R('NULL');
export const TRUE = R('TRUE');
export const FALSE = R('FALSE');
export const TUMBLING = R('TUMBLING');
export const HOPPING = R('HOPPING');
export const CASE = R('CASE');
export const WHEN = R('WHEN');
export const THEN = R('THEN');
export const ELSE = R('ELSE');
export const END = R('END');
export const JOIN = R('JOIN');
export const FULL = R('FULL');
export const OUTER = R('OUTER');
export const INNER = R('INNER');
export const LEFT = R('LEFT');
export const RIGHT = R('RIGHT');
export const ON = R('ON');
export const WITH = R('WITH');
export const VALUES = R('VALUES');
export const CREATE = R('CREATE');
export const TABLE = R('TABLE');
export const STREAM = R('STREAM');
export const STREAMS = R('STREAMS');
export const INSERT = R('INSERT');
export const DELETE = R('DELETE');
export const INTO = R('INTO');
export const DESCRIBE = R('DESCRIBE');
export const EXTENDED = R('EXTENDED');
export const PRINT = R('PRINT');
export const CAST = R('CAST');
export const LIST = R('LIST');
export const TOPICS = R('TOPICS');
export const QUERIES = R('QUERIES');
export const TERMINATE = R('TERMINATE');
export const DROP = R('DROP');
export const UNSET = R('UNSET');
export const PROPERTIES = R('PROPERTIES');
export const DECIMAL = R('DECIMAL');
export const SAMPLE = R('SAMPLE');
export const CONNECTOR = R('CONNECTOR');
export const CONNECTORS = R('CONNECTORS');
export const RUN = R('RUN');
export const SCRIPT = R('SCRIPT');

// Non-reserved in ksqlDB (usable as identifiers).
export const SHOW = N('SHOW');
export const TABLES = N('TABLES');
export const COLUMNS = N('COLUMNS');
export const COLUMN = N('COLUMN');
export const PARTITIONS = N('PARTITIONS');
export const FUNCTIONS = N('FUNCTIONS');
export const FUNCTION = N('FUNCTION');
export const SESSION = N('SESSION');
export const STRUCT = N('STRUCT');
export const MAP = N('MAP');
export const ARRAY = N('ARRAY');
export const PARTITION = N('PARTITION');
export const INTEGER = N('INTEGER');
export const DATE = N('DATE');
export const TIME = N('TIME');
export const TIMESTAMP = N('TIMESTAMP');
export const INTERVAL = N('INTERVAL');
export const ZONE = N('ZONE');
export const STRING = N('STRING');
export const YEAR = N('YEAR');
export const MONTH = N('MONTH');
export const EXPLAIN = N('EXPLAIN');
export const ANALYZE = N('ANALYZE');
export const TYPE = N('TYPE');
export const TYPES = N('TYPES');
export const SET = N('SET');
export const RESET = N('RESET');
export const IF = N('IF');
export const SOURCE = N('SOURCE');
export const SINK = N('SINK');
export const PRIMARY = N('PRIMARY');
export const KEY = N('KEY');
export const EMIT = N('EMIT');
export const CHANGES = N('CHANGES');
export const FINAL = N('FINAL');
export const ESCAPE = N('ESCAPE');
export const REPLACE = N('REPLACE');
export const ASSERT = N('ASSERT');
export const ALTER = N('ALTER');
export const ADD = N('ADD');
export const HEADER = N('HEADER');
export const HEADERS = N('HEADERS');
export const GRACE = N('GRACE');
export const PERIOD = N('PERIOD');
export const DEFINE = N('DEFINE');
export const UNDEFINE = N('UNDEFINE');
export const VARIABLES = N('VARIABLES');
export const PLUGINS = N('PLUGINS');
export const SYSTEM = N('SYSTEM');
export const TIMEOUT = N('TIMEOUT');
export const SCHEMA = N('SCHEMA');
export const SUBJECT = N('SUBJECT');
export const ID = N('ID');
export const PAUSE = N('PAUSE');
export const RESUME = N('RESUME');
// Reserved in ksqlDB but harmless as identifiers here (Sluice accepts a superset).
export const TOPIC = N('TOPIC');
export const SIZE = N('SIZE');
export const ADVANCE = N('ADVANCE');
export const RETENTION = N('RETENTION');
export const BEGINNING = N('BEGINNING');
export const QUERY = N('QUERY');
// Time units: usable as identifiers so that `TIMESTAMPADD(SECONDS, 1, x)` parses.
export const MILLISECONDS = N('MILLISECONDS');
export const MILLISECOND = N('MILLISECOND');
export const SECONDS = N('SECONDS');
export const SECOND = N('SECOND');
export const MINUTES = N('MINUTES');
export const MINUTE = N('MINUTE');
export const HOURS = N('HOURS');
export const HOUR = N('HOUR');
export const DAYS = N('DAYS');
export const DAY = N('DAY');
export const YEARS = N('YEARS');
export const MONTHS = N('MONTHS');

/** Time-unit tokens accepted in durations, with their length in milliseconds. */
export const TIME_UNITS: ReadonlyMap<TokenType, number> = new Map([
  [MILLISECOND, 1],
  [MILLISECONDS, 1],
  [SECOND, 1000],
  [SECONDS, 1000],
  [MINUTE, 60_000],
  [MINUTES, 60_000],
  [HOUR, 3_600_000],
  [HOURS, 3_600_000],
  [DAY, 86_400_000],
  [DAYS, 86_400_000],
]);

/** Every keyword (upper case), reserved or not. */
export const KEYWORDS: ReadonlySet<string> = new Set(keywordTokens.map((t) => t.name));

function keywordLength(t: TokenType): number {
  return t.name.length;
}

/** Every token, in lexing order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  QuotedIdentifier,
  BackQuotedIdentifier,
  Variable,
  DigitIdentifier,
  FloatingPointLiteral,
  DecimalLiteral,
  IntegerLiteral,
  LambdaArrow,
  Assign,
  Arrow,
  Neq,
  Lte,
  Gte,
  Lt,
  Gt,
  Eq,
  ConcatOp,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Semicolon,
  NonReserved,
  // Longest words first so that STREAMS is not lexed as STREAM + identifier rest.
  ...[...keywordTokens].sort((a, b) => keywordLength(b) - keywordLength(a)),
  Identifier,
];

/** The lexer singleton. */
let lexer: Lexer | undefined;

/** The lexer singleton, built on first use (its analysis is not free at start-up). */
export function sqlLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
  return lexer;
}
