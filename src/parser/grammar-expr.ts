/**
 * Expression, literal, type and identifier rules of the CST parser, extended
 * by the statement grammar in `grammar.ts` (chevrotain grammar inheritance).
 * Precedence is encoded by the rule chain: OR < AND < NOT < predicate
 * (comparison, BETWEEN, IN, LIKE, IS) < `||` < `+ -` < `* / %` < unary `+ -`
 * < postfix (`[i]`, `->f`) < primary.
 */
import { CstParser, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';
import { errorMessageProvider } from './parse-errors.js';

const IDENTIFIER_TOKENS: readonly TokenType[] = [T.Identifier, T.QuotedIdentifier, T.BackQuotedIdentifier, T.DigitIdentifier, T.NonReserved];

/** True when `tok` can start (and be) an identifier. */
export function isIdentifierToken(tok: IToken): boolean {
  return IDENTIFIER_TOKENS.some((t) => tokenMatcher(tok, t));
}

/** Expression rules; {@link SqlParser} adds statements and runs the self-analysis. */
export class ExpressionParser extends CstParser {
  constructor() {
    // maxLookahead 2 keeps the grammar analysis fast; deeper decisions use GATEs.
    super(T.allTokens, { nodeLocationTracking: 'full', maxLookahead: 2, errorMessageProvider });
  }

  // ---------- lookahead helpers (used in GATEs) ----------

  protected la(i: number): IToken {
    return this.LA(i);
  }

  /** `x =>` or `(x, y) =>` ahead. */
  protected lambdaAhead(): boolean {
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
      this.OR([{ ALT: () => this.CONSUME(T.Plus, { LABEL: 'ops' }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: 'ops' }) }]);
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
            this.OR2([{ ALT: () => this.CONSUME(T.Minus, { LABEL: 'op' }) }, { ALT: () => this.CONSUME(T.Plus, { LABEL: 'op' }) }]);
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
      DEF: () =>
        this.OR([
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
      DEF: [{ GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambda) }, { ALT: () => this.SUBRULE(this.expression) }],
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
