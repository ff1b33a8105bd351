/**
 * The chevrotain CST parser for ksqlDB's SQL dialect. Rule structure follows
 * ksqlDB's `SqlBase.g4`; the CST is turned into the typed AST by
 * `ast-builder.ts`. Precedence is encoded by the expression rule chain:
 * OR < AND < NOT < predicate (comparison, BETWEEN, IN, LIKE, IS) < `||` <
 * `+ -` < `* / %` < unary `+ -` < postfix (`[i]`, `->f`) < primary.
 */
import { CstParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { errorMessageProvider } from './parse-errors.js';

const IDENTIFIER_TOKENS: readonly TokenType[] = [
  T.Identifier,
  T.QuotedIdentifier,
  T.BackQuotedIdentifier,
  T.DigitIdentifier,
  T.NonReserved,
];

/** True when `tok` can start (and be) an identifier. */
export function isIdentifierToken(tok: IToken): boolean {
  return IDENTIFIER_TOKENS.some((t) => tokenMatcher(tok, t));
}

/** The CST parser; use the {@link sqlParser} singleton. */
export class SqlParser extends CstParser {
  constructor() {
    super(T.allTokens, { nodeLocationTracking: 'full', maxLookahead: 2, errorMessageProvider });
    this.performSelfAnalysis();
  }

  // ---------- lookahead helpers (used in GATEs) ----------

  private la(i: number): IToken {
    return this.LA(i);
  }

  /** `x =>` or `(x, y) =>` ahead. */
  private lambdaAhead(): boolean {
    const first = this.la(1);
    if (isIdentifierToken(first)) return tokenMatcher(this.la(2), T.LambdaArrow);
    if (!tokenMatcher(first, T.LParen)) return false;
    let i = 2;
    for (;;) {
      if (!isIdentifierToken(this.la(i))) return false;
      i++;
      const t = this.la(i);
      if (tokenMatcher(t, T.Comma)) {
        i++;
        continue;
      }
      return tokenMatcher(t, T.RParen) && tokenMatcher(this.la(i + 1), T.LambdaArrow);
    }
  }

  /** `( … )` ahead holding a top-level comma or nothing: a GROUP BY / PARTITION BY list. */
  private parenListAhead(): boolean {
    if (!tokenMatcher(this.la(1), T.LParen)) return false;
    let depth = 0;
    for (let i = 1; ; i++) {
      const t = this.la(i);
      if (tokenMatcher(t, EOF)) return false;
      if (tokenMatcher(t, T.LParen) || tokenMatcher(t, T.LBracket)) depth++;
      else if (tokenMatcher(t, T.RParen) || tokenMatcher(t, T.RBracket)) {
        depth--;
        if (depth === 0) return i === 2;
      } else if (depth === 1 && tokenMatcher(t, T.Comma)) return true;
    }
  }

  /** A FROM alias may be a non-reserved word, but not the start of `EMIT CHANGES` / `PARTITION BY`. */
  private aliasAllowed(): boolean {
    const t1 = this.la(1);
    const t2 = this.la(2);
    if (tokenMatcher(t1, T.EMIT)) return !(tokenMatcher(t2, T.CHANGES) || tokenMatcher(t2, T.FINAL));
    if (tokenMatcher(t1, T.PARTITION)) return !tokenMatcher(t2, T.BY);
    return true;
  }

  // ---------- statements ----------

  public singleStatement = this.RULE('singleStatement', () => {
    this.SUBRULE(this.statement);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  public singleExpression = this.RULE('singleExpression', () => {
    this.SUBRULE(this.expression);
  });

  public statement = this.RULE('statement', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.query) },
        { ALT: () => this.SUBRULE(this.createType) },
        { ALT: () => this.SUBRULE(this.createSource) },
        { ALT: () => this.SUBRULE(this.insertStatement) },
        { ALT: () => this.SUBRULE(this.dropType) },
        { ALT: () => this.SUBRULE(this.dropSource) },
        { ALT: () => this.SUBRULE(this.terminate) },
        { ALT: () => this.SUBRULE(this.show) },
        { ALT: () => this.SUBRULE(this.describe) },
        { ALT: () => this.SUBRULE(this.explain) },
        { ALT: () => this.SUBRULE(this.setProperty) },
        { ALT: () => this.SUBRULE(this.unsetProperty) },
        { ALT: () => this.SUBRULE(this.define) },
        { ALT: () => this.SUBRULE(this.undefine) },
        { ALT: () => this.SUBRULE(this.print) },
      ],
    });
  });

  private createType = this.RULE('createType', () => {
    this.CONSUME(T.CREATE);
    this.CONSUME(T.TYPE);
    this.OPTION(() => {
      this.CONSUME(T.IF, { LABEL: 'ifNotExists' });
      this.CONSUME(T.NOT);
      this.CONSUME(T.EXISTS);
    });
    this.SUBRULE(this.identifier);
    this.CONSUME(T.AS);
    this.SUBRULE(this.type);
  });

  private createSource = this.RULE('createSource', () => {
    this.CONSUME(T.CREATE);
    this.OPTION(() => {
      this.CONSUME(T.OR, { LABEL: 'orReplace' });
      this.CONSUME(T.REPLACE);
    });
    this.OPTION2(() => this.CONSUME(T.SOURCE, { LABEL: 'isSource' }));
    this.OR([
      { ALT: () => this.CONSUME(T.STREAM, { LABEL: 'sourceType' }) },
      { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'sourceType' }) },
    ]);
    this.OPTION3({
      GATE: () => tokenMatcher(this.la(2), T.NOT),
      DEF: () => {
        this.CONSUME(T.IF, { LABEL: 'ifNotExists' });
        this.CONSUME(T.NOT);
        this.CONSUME(T.EXISTS);
      },
    });
    this.SUBRULE(this.identifier, { LABEL: 'name' });
    this.OPTION4(() => this.SUBRULE(this.tableElements));
    this.OPTION5(() => {
      this.CONSUME(T.WITH);
      this.SUBRULE(this.tableProperties);
    });
    this.OPTION6(() => {
      this.CONSUME(T.AS);
      this.SUBRULE(this.query);
    });
  });

  private tableElements = this.RULE('tableElements', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.tableElement) });
    this.CONSUME(T.RParen);
  });

  private tableElement = this.RULE('tableElement', () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
    this.OPTION(() => this.SUBRULE(this.columnConstraint));
  });

  private columnConstraint = this.RULE('columnConstraint', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.PRIMARY));
          this.CONSUME(T.KEY);
        },
      },
      { ALT: () => this.CONSUME(T.HEADERS) },
      {
        ALT: () => {
          this.CONSUME(T.HEADER);
          this.CONSUME(T.LParen);
          this.CONSUME(T.StringLiteral);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  private tableProperties = this.RULE('tableProperties', () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.tableProperty) });
    this.CONSUME(T.RParen);
  });

  private tableProperty = this.RULE('tableProperty', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.literal);
  });

  private insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(T.INSERT);
    this.CONSUME(T.INTO);
    this.SUBRULE(this.identifier, { LABEL: 'target' });
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => {
            this.CONSUME(T.WITH);
            this.SUBRULE(this.tableProperties);
          });
          this.SUBRULE(this.query);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => {
            this.CONSUME(T.LParen, { LABEL: 'columnsOpen' });
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.identifier, { LABEL: 'columns' }) });
            this.CONSUME(T.RParen);
          });
          this.CONSUME(T.VALUES);
          this.CONSUME2(T.LParen);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'values' }) });
          this.CONSUME2(T.RParen);
        },
      },
    ]);
  });

  private dropType = this.RULE('dropType', () => {
    this.CONSUME(T.DROP);
    this.CONSUME(T.TYPE);
    this.OPTION({
      GATE: () => tokenMatcher(this.la(2), T.EXISTS),
      DEF: () => {
        this.CONSUME(T.IF, { LABEL: 'ifExists' });
        this.CONSUME(T.EXISTS);
      },
    });
    this.SUBRULE(this.identifier);
  });

  private dropSource = this.RULE('dropSource', () => {
    this.CONSUME(T.DROP);
    this.OR([
      { ALT: () => this.CONSUME(T.STREAM, { LABEL: 'sourceType' }) },
      { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'sourceType' }) },
    ]);
    this.OPTION({
      GATE: () => tokenMatcher(this.la(2), T.EXISTS),
      DEF: () => {
        this.CONSUME(T.IF, { LABEL: 'ifExists' });
        this.CONSUME(T.EXISTS);
      },
    });
    this.SUBRULE(this.identifier);
    this.OPTION2(() => {
      this.CONSUME(T.DELETE, { LABEL: 'deleteTopic' });
      this.CONSUME(T.TOPIC);
    });
  });

  private terminate = this.RULE('terminate', () => {
    this.CONSUME(T.TERMINATE);
    this.OR([{ ALT: () => this.CONSUME(T.ALL) }, { ALT: () => this.SUBRULE(this.identifier) }]);
  });

  private show = this.RULE('show', () => {
    this.OR([{ ALT: () => this.CONSUME(T.SHOW) }, { ALT: () => this.CONSUME(T.LIST) }]);
    this.OR2([
      { ALT: () => this.CONSUME(T.STREAMS, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.TABLES, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.QUERIES, { LABEL: 'what' }) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.ALL));
          this.CONSUME(T.TOPICS, { LABEL: 'what' });
        },
      },
      { ALT: () => this.CONSUME(T.PROPERTIES, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.FUNCTIONS, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.TYPES, { LABEL: 'what' }) },
      { ALT: () => this.CONSUME(T.VARIABLES, { LABEL: 'what' }) },
    ]);
    this.OPTION2(() => this.CONSUME(T.EXTENDED));
  });

  private describe = this.RULE('describe', () => {
    this.CONSUME(T.DESCRIBE);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => isIdentifierToken(this.la(2)),
          ALT: () => {
            this.CONSUME(T.FUNCTION);
            this.SUBRULE(this.identifier, { LABEL: 'functionName' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.STREAMS);
            this.OPTION(() => this.CONSUME(T.EXTENDED));
          },
        },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME2(T.EXTENDED));
            this.SUBRULE2(this.identifier);
            this.OPTION3(() => this.CONSUME3(T.EXTENDED));
          },
        },
      ],
    });
  });

  private explain = this.RULE('explain', () => {
    this.CONSUME(T.EXPLAIN);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => !isIdentifierToken(this.la(1)) || !tokenMatcher(this.la(2), EOF) && !tokenMatcher(this.la(2), T.Semicolon),
          ALT: () => this.SUBRULE(this.statement),
        },
        { ALT: () => this.SUBRULE(this.identifier) },
      ],
    });
  });

  private setProperty = this.RULE('setProperty', () => {
    this.CONSUME(T.SET);
    this.CONSUME(T.StringLiteral, { LABEL: 'name' });
    this.CONSUME(T.Eq);
    this.CONSUME2(T.StringLiteral, { LABEL: 'value' });
  });

  private unsetProperty = this.RULE('unsetProperty', () => {
    this.CONSUME(T.UNSET);
    this.CONSUME(T.StringLiteral);
  });

  private define = this.RULE('define', () => {
    this.CONSUME(T.DEFINE);
    this.SUBRULE(this.identifier);
    this.CONSUME(T.Eq);
    this.CONSUME(T.StringLiteral);
  });

  private undefine = this.RULE('undefine', () => {
    this.CONSUME(T.UNDEFINE);
    this.SUBRULE(this.identifier);
  });

  private print = this.RULE('print', () => {
    this.CONSUME(T.PRINT);
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.FROM, { LABEL: 'fromBeginning' });
      this.CONSUME(T.BEGINNING);
    });
    this.OPTION2(() => {
      this.OR2([{ ALT: () => this.CONSUME(T.INTERVAL) }, { ALT: () => this.CONSUME(T.SAMPLE) }]);
      this.CONSUME(T.IntegerLiteral, { LABEL: 'interval' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.LIMIT);
      this.CONSUME2(T.IntegerLiteral, { LABEL: 'limit' });
    });
  });

  // ---------- queries ----------

  public query = this.RULE('query', () => {
    this.CONSUME(T.SELECT);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.CONSUME(T.FROM);
    this.SUBRULE(this.relation);
    this.OPTION(() => {
      this.CONSUME(T.WINDOW);
      this.SUBRULE(this.windowExpression);
    });
    this.OPTION2(() => {
      this.CONSUME(T.WHERE);
      this.SUBRULE(this.expression, { LABEL: 'where' });
    });
    this.OPTION3(() => {
      this.CONSUME(T.GROUP);
      this.CONSUME(T.BY);
      this.SUBRULE(this.expressionList, { LABEL: 'groupBy' });
    });
    this.OPTION4(() => {
      this.CONSUME(T.PARTITION);
      this.CONSUME2(T.BY);
      this.SUBRULE2(this.expressionList, { LABEL: 'partitionBy' });
    });
    this.OPTION5(() => {
      this.CONSUME(T.HAVING);
      this.SUBRULE2(this.expression, { LABEL: 'having' });
    });
    this.OPTION6(() => {
      this.CONSUME(T.EMIT);
      this.OR([
        { ALT: () => this.CONSUME(T.CHANGES, { LABEL: 'emit' }) },
        { ALT: () => this.CONSUME(T.FINAL, { LABEL: 'emit' }) },
      ]);
    });
    this.OPTION7(() => {
      this.CONSUME(T.LIMIT);
      this.CONSUME(T.IntegerLiteral, { LABEL: 'limit' });
    });
  });

  private selectItem = this.RULE('selectItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      {
        GATE: () => tokenMatcher(this.la(2), T.Dot) && tokenMatcher(this.la(3), T.Star),
        ALT: () => {
          this.SUBRULE(this.identifier, { LABEL: 'source' });
          this.CONSUME(T.Dot);
          this.CONSUME2(T.Star);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OR2([
            {
              // ksqlDB's `base->*` (all fields of a struct).
              GATE: () => tokenMatcher(this.la(2), T.Star),
              ALT: () => {
                this.CONSUME(T.Arrow, { LABEL: 'structAll' });
                this.CONSUME3(T.Star);
              },
            },
            {
              ALT: () =>
                this.OPTION(() => {
                  this.OPTION2(() => this.CONSUME(T.AS));
                  this.SUBRULE2(this.identifier, { LABEL: 'alias' });
                }),
            },
          ]);
        },
      },
    ]);
  });

  private expressionList = this.RULE('expressionList', () => {
    this.OR([
      {
        GATE: () => this.parenListAhead(),
        ALT: () => {
          this.CONSUME(T.LParen);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'items' }) });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.expression, { LABEL: 'items' }) }) },
    ]);
  });

  private relation = this.RULE('relation', () => {
    this.SUBRULE(this.aliasedRelation);
    this.MANY(() => this.SUBRULE(this.joinedSource));
  });

  private aliasedRelation = this.RULE('aliasedRelation', () => {
    this.SUBRULE(this.identifier, { LABEL: 'name' });
    this.OPTION({
      GATE: () => this.aliasAllowed(),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(T.AS));
        this.SUBRULE2(this.identifier, { LABEL: 'alias' });
      },
    });
  });

  private joinedSource = this.RULE('joinedSource', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.INNER, { LABEL: 'joinType' }) },
        {
          ALT: () => {
            this.CONSUME(T.FULL, { LABEL: 'joinType' });
            this.OPTION2(() => this.CONSUME(T.OUTER));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LEFT, { LABEL: 'joinType' });
            this.OPTION3(() => this.CONSUME2(T.OUTER));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.RIGHT, { LABEL: 'joinType' });
            this.OPTION4(() => this.CONSUME3(T.OUTER));
          },
        },
      ]);
    });
    this.CONSUME(T.JOIN);
    this.SUBRULE(this.aliasedRelation);
    this.OPTION5(() => {
      this.CONSUME(T.WITHIN);
      this.SUBRULE(this.withinExpression);
    });
    this.CONSUME(T.ON);
    this.SUBRULE(this.expression);
  });

  private withinExpression = this.RULE('withinExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.duration, { LABEL: 'before' });
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.duration, { LABEL: 'after' });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE3(this.duration, { LABEL: 'size' }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.gracePeriod));
  });

  private gracePeriod = this.RULE('gracePeriod', () => {
    this.CONSUME(T.GRACE);
    this.CONSUME(T.PERIOD);
    this.SUBRULE(this.duration);
  });

  private retention = this.RULE('retention', () => {
    this.CONSUME(T.RETENTION);
    this.SUBRULE(this.duration);
  });

  /** `, RETENTION d` and/or `, GRACE PERIOD d` closing a window spec. */
  private windowTail = this.RULE('windowTail', () => {
    this.OPTION({
      GATE: () => tokenMatcher(this.la(2), T.RETENTION),
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE(this.retention);
      },
    });
    this.OPTION2(() => {
      this.CONSUME2(T.Comma);
      this.SUBRULE(this.gracePeriod);
    });
    this.CONSUME(T.RParen);
  });

  private windowExpression = this.RULE('windowExpression', () => {
    this.OPTION(() => this.CONSUME(T.Identifier, { LABEL: 'windowName' }));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.TUMBLING);
          this.CONSUME(T.LParen);
          this.CONSUME(T.SIZE);
          this.SUBRULE(this.duration, { LABEL: 'size' });
          this.SUBRULE(this.windowTail);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.HOPPING);
          this.CONSUME2(T.LParen);
          this.CONSUME2(T.SIZE);
          this.SUBRULE2(this.duration, { LABEL: 'size' });
          this.CONSUME(T.Comma);
          this.CONSUME(T.ADVANCE);
          this.CONSUME(T.BY);
          this.SUBRULE3(this.duration, { LABEL: 'advance' });
          this.SUBRULE2(this.windowTail);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.SESSION);
          this.CONSUME3(T.LParen);
          this.SUBRULE4(this.duration, { LABEL: 'gap' });
          this.SUBRULE3(this.windowTail);
        },
      },
    ]);
  });

  private duration = this.RULE('duration', () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.CONSUME(T.IntegerLiteral);
    this.SUBRULE(this.timeUnit);
  });

  private timeUnit = this.RULE('timeUnit', () => {
    this.OR([...T.TIME_UNITS.keys()].map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'unit' }) })));
  });

  // ---------- expressions ----------

  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.OR);
      this.SUBRULE2(this.andExpression, { LABEL: 'operands' });
    });
  });

  private andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.AND);
      this.SUBRULE2(this.notExpression, { LABEL: 'operands' });
    });
  });

  private notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NOT);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.predicated) },
    ]);
  });

  private predicated = this.RULE('predicated', () => {
    this.SUBRULE(this.valueExpression);
    this.OPTION(() => this.SUBRULE(this.predicate));
  });

  private predicate = this.RULE('predicate', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.comparisonOperator);
          this.SUBRULE(this.valueExpression, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.NOT));
          this.CONSUME(T.BETWEEN);
          this.SUBRULE2(this.valueExpression, { LABEL: 'low' });
          this.CONSUME(T.AND);
          this.SUBRULE3(this.valueExpression, { LABEL: 'high' });
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(T.NOT));
          this.CONSUME(T.IN);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'list' }) });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.OPTION3(() => this.CONSUME3(T.NOT));
          this.CONSUME(T.LIKE);
          this.SUBRULE4(this.valueExpression, { LABEL: 'pattern' });
          this.OPTION4({
            GATE: () => tokenMatcher(this.la(2), T.StringLiteral),
            DEF: () => {
              this.CONSUME(T.ESCAPE);
              this.CONSUME(T.StringLiteral, { LABEL: 'escape' });
            },
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.IS);
          this.OPTION5(() => this.CONSUME4(T.NOT));
          this.OR2([
            { ALT: () => this.CONSUME(T.NULL) },
            {
              ALT: () => {
                this.CONSUME(T.DISTINCT);
                this.CONSUME(T.FROM);
                this.SUBRULE5(this.valueExpression, { LABEL: 'distinctFrom' });
              },
            },
          ]);
        },
      },
    ]);
  });

  private comparisonOperator = this.RULE('comparisonOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Eq, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Neq, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Lt, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Lte, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Gt, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Gte, { LABEL: 'op' }) },
    ]);
  });

  /** ksqlDB's valueExpression: `||` binds loosest, below `+ -`. */
  public valueExpression = this.RULE('valueExpression', () => {
    this.SUBRULE(this.additiveExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.ConcatOp);
      this.SUBRULE2(this.additiveExpression, { LABEL: 'operands' });
    });
  });

  private additiveExpression = this.RULE('additiveExpression', () => {
    this.SUBRULE(this.multiplicativeExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'ops' }) },
      ]);
      this.SUBRULE2(this.multiplicativeExpression, { LABEL: 'operands' });
    });
  });

  private multiplicativeExpression = this.RULE('multiplicativeExpression', () => {
    this.SUBRULE(this.unaryExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'ops' }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: 'ops' }) },
      ]);
      this.SUBRULE2(this.unaryExpression, { LABEL: 'operands' });
    });
  });

  private unaryExpression = this.RULE('unaryExpression', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        // `-5` is a negative literal (ksqlDB's `number: MINUS? INTEGER_VALUE`), not a unary minus.
        { ALT: () => this.SUBRULE(this.postfixExpression) },
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Minus, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(T.Plus, { LABEL: 'op' }) },
            ]);
            this.SUBRULE(this.unaryExpression);
          },
        },
      ],
    });
  });

  private postfixExpression = this.RULE('postfixExpression', () => {
    this.SUBRULE(this.primaryExpression);
    this.MANY({
      // `->*` belongs to the select item, not to the expression.
      GATE: () => !(tokenMatcher(this.la(1), T.Arrow) && tokenMatcher(this.la(2), T.Star)),
      DEF: () => this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LBracket, { LABEL: 'subscript' });
            this.SUBRULE(this.valueExpression, { LABEL: 'suffix' });
            this.CONSUME(T.RBracket);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Arrow, { LABEL: 'deref' });
            this.SUBRULE(this.identifier, { LABEL: 'suffix' });
          },
        },
      ]),
    });
  });

  private primaryExpression = this.RULE('primaryExpression', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.SUBRULE(this.caseExpression) },
        { ALT: () => this.SUBRULE(this.castExpression) },
        { GATE: () => tokenMatcher(this.la(2), T.LBracket), ALT: () => this.SUBRULE(this.arrayConstructor) },
        { GATE: () => tokenMatcher(this.la(2), T.LParen), ALT: () => this.SUBRULE(this.mapConstructor) },
        { GATE: () => tokenMatcher(this.la(2), T.LParen), ALT: () => this.SUBRULE(this.structConstructor) },
        { GATE: () => tokenMatcher(this.la(2), T.LParen), ALT: () => this.SUBRULE(this.functionCall) },
        { ALT: () => this.SUBRULE(this.columnReference) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RParen);
          },
        },
      ],
    });
  });

  private columnReference = this.RULE('columnReference', () => {
    this.SUBRULE(this.identifier, { LABEL: 'parts' });
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.identifier, { LABEL: 'parts' });
    });
  });

  private caseExpression = this.RULE('caseExpression', () => {
    this.CONSUME(T.CASE);
    this.OPTION(() => this.SUBRULE(this.valueExpression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION2(() => {
      this.CONSUME(T.ELSE);
      this.SUBRULE(this.expression, { LABEL: 'else' });
    });
    this.CONSUME(T.END);
  });

  private whenClause = this.RULE('whenClause', () => {
    this.CONSUME(T.WHEN);
    this.SUBRULE(this.expression, { LABEL: 'when' });
    this.CONSUME(T.THEN);
    this.SUBRULE2(this.expression, { LABEL: 'then' });
  });

  private castExpression = this.RULE('castExpression', () => {
    this.CONSUME(T.CAST);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.AS);
    this.SUBRULE(this.type);
    this.CONSUME(T.RParen);
  });

  private arrayConstructor = this.RULE('arrayConstructor', () => {
    this.CONSUME(T.ARRAY);
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'items' }) });
    this.CONSUME(T.RBracket);
  });

  private mapConstructor = this.RULE('mapConstructor', () => {
    this.CONSUME(T.MAP);
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.SUBRULE(this.expression, { LABEL: 'keys' });
        this.CONSUME(T.Assign);
        this.SUBRULE2(this.expression, { LABEL: 'values' });
      },
    });
    this.CONSUME(T.RParen);
  });

  private structConstructor = this.RULE('structConstructor', () => {
    this.CONSUME(T.STRUCT);
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.SUBRULE(this.identifier, { LABEL: 'names' });
        this.CONSUME(T.Assign);
        this.SUBRULE(this.expression, { LABEL: 'values' });
      },
    });
    this.CONSUME(T.RParen);
  });

  private functionCall = this.RULE('functionCall', () => {
    this.SUBRULE(this.identifier, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.DISTINCT));
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.functionArgument, { LABEL: 'args' }) });
        },
      },
    ]);
    this.CONSUME(T.RParen);
  });

  private functionArgument = this.RULE('functionArgument', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambda) },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  private lambda = this.RULE('lambda', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier, { LABEL: 'params' }) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.identifier, { LABEL: 'params' }) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.CONSUME(T.LambdaArrow);
    this.SUBRULE(this.expression, { LABEL: 'body' });
  });

  public literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NULL, { LABEL: 'value' }) },
      { ALT: () => this.CONSUME(T.TRUE, { LABEL: 'value' }) },
      { ALT: () => this.CONSUME(T.FALSE, { LABEL: 'value' }) },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'value' }) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus, { LABEL: 'minus' }));
          this.OR2([
            { ALT: () => this.CONSUME(T.IntegerLiteral, { LABEL: 'value' }) },
            { ALT: () => this.CONSUME(T.DecimalLiteral, { LABEL: 'value' }) },
            { ALT: () => this.CONSUME(T.FloatingPointLiteral, { LABEL: 'value' }) },
          ]);
        },
      },
    ]);
  });

  // ---------- types ----------

  public type = this.RULE('type', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => tokenMatcher(this.la(2), T.Lt),
          ALT: () => {
            this.CONSUME(T.ARRAY);
            this.CONSUME(T.Lt);
            this.SUBRULE(this.type, { LABEL: 'item' });
            this.CONSUME(T.Gt);
          },
        },
        {
          GATE: () => tokenMatcher(this.la(2), T.Lt),
          ALT: () => {
            this.CONSUME(T.MAP);
            this.CONSUME2(T.Lt);
            this.SUBRULE2(this.type, { LABEL: 'key' });
            this.CONSUME(T.Comma);
            this.SUBRULE3(this.type, { LABEL: 'value' });
            this.CONSUME2(T.Gt);
          },
        },
        {
          GATE: () => tokenMatcher(this.la(2), T.Lt),
          ALT: () => {
            this.CONSUME(T.STRUCT);
            this.CONSUME3(T.Lt);
            this.MANY_SEP({
              SEP: T.Comma,
              DEF: () => {
                this.SUBRULE(this.identifier, { LABEL: 'fieldNames' });
                this.SUBRULE4(this.type, { LABEL: 'fieldTypes' });
              },
            });
            this.CONSUME3(T.Gt);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.DECIMAL);
            this.CONSUME(T.LParen);
            this.CONSUME(T.IntegerLiteral, { LABEL: 'precision' });
            this.CONSUME2(T.Comma);
            this.CONSUME2(T.IntegerLiteral, { LABEL: 'scale' });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.SUBRULE2(this.identifier, { LABEL: 'baseType' });
            this.OPTION(() => {
              this.CONSUME2(T.LParen);
              this.AT_LEAST_ONE_SEP({
                SEP: T.Comma,
                DEF: () =>
                  this.OR2([
                    { ALT: () => this.CONSUME3(T.IntegerLiteral, { LABEL: 'typeParams' }) },
                    { ALT: () => this.CONSUME(T.STRING, { LABEL: 'typeParams' }) },
                  ]),
              });
              this.CONSUME2(T.RParen);
            });
          },
        },
      ],
    });
  });

  // ---------- identifiers ----------

  public identifier = this.RULE('identifier', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: 'token' }) },
      { ALT: () => this.CONSUME(T.QuotedIdentifier, { LABEL: 'token' }) },
      { ALT: () => this.CONSUME(T.BackQuotedIdentifier, { LABEL: 'token' }) },
      { ALT: () => this.CONSUME(T.DigitIdentifier, { LABEL: 'token' }) },
      { ALT: () => this.CONSUME(T.NonReserved, { LABEL: 'token' }) },
    ]);
  });
}

/** The parser singleton (chevrotain parsers are reusable: set `input`, call a rule). */
export const sqlParser = new SqlParser();
