/**
 * The chevrotain CST parser for ksqlDB's SQL dialect: statements and queries.
 * Rule structure follows ksqlDB's `SqlBase.g4`; expressions, types and
 * identifiers come from {@link ExpressionParser}. The CST is turned into the
 * typed AST by `ast-builder.ts`.
 */
import { EOF, tokenMatcher } from 'chevrotain';
import { ExpressionParser, isIdentifierToken } from './grammar-expr.js';
import * as T from './lexer.js';

/** The CST parser; use the {@link sqlParser} singleton accessor. */
export class SqlParser extends ExpressionParser {
  constructor() {
    super();
    this.performSelfAnalysis();
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
        {
          GATE: () => tokenMatcher(this.la(3), T.CONNECTOR) && (tokenMatcher(this.la(2), T.SOURCE) || tokenMatcher(this.la(2), T.SINK)),
          ALT: () => this.SUBRULE(this.createConnector),
        },
        { ALT: () => this.SUBRULE(this.createSource) },
        { ALT: () => this.SUBRULE(this.insertStatement) },
        { ALT: () => this.SUBRULE(this.dropType) },
        { ALT: () => this.SUBRULE(this.dropConnector) },
        { ALT: () => this.SUBRULE(this.dropSource) },
        { ALT: () => this.SUBRULE(this.terminate) },
        { ALT: () => this.SUBRULE(this.showConnectors) },
        { ALT: () => this.SUBRULE(this.show) },
        { ALT: () => this.SUBRULE(this.describe) },
        { ALT: () => this.SUBRULE(this.explain) },
        { ALT: () => this.SUBRULE(this.setProperty) },
        { ALT: () => this.SUBRULE(this.unsetProperty) },
        { ALT: () => this.SUBRULE(this.define) },
        { ALT: () => this.SUBRULE(this.undefine) },
        { ALT: () => this.SUBRULE(this.print) },
        { ALT: () => this.SUBRULE(this.pauseResume) },
        { ALT: () => this.SUBRULE(this.alter) },
        { ALT: () => this.SUBRULE(this.assertResource) },
        { ALT: () => this.SUBRULE(this.assertData) },
      ],
    });
  });

  private createType = this.RULE('createType', () => {
    this.CONSUME(T.CREATE);
    this.CONSUME(T.TYPE);
    this.OPTION({
      GATE: () => tokenMatcher(this.la(2), T.NOT),
      DEF: () => {
        this.CONSUME(T.IF, { LABEL: 'ifNotExists' });
        this.CONSUME(T.NOT);
        this.CONSUME(T.EXISTS);
      },
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
    this.OR([{ ALT: () => this.CONSUME(T.STREAM, { LABEL: 'sourceType' }) }, { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'sourceType' }) }]);
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

  /** `CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] name WITH (…)`: WITH is required, as in ksqlDB. */
  private createConnector = this.RULE('createConnector', () => {
    this.CONSUME(T.CREATE);
    this.OR([{ ALT: () => this.CONSUME(T.SOURCE, { LABEL: 'connectorType' }) }, { ALT: () => this.CONSUME(T.SINK, { LABEL: 'connectorType' }) }]);
    this.CONSUME(T.CONNECTOR);
    this.OPTION({
      GATE: () => tokenMatcher(this.la(2), T.NOT),
      DEF: () => {
        this.CONSUME(T.IF, { LABEL: 'ifNotExists' });
        this.CONSUME(T.NOT);
        this.CONSUME(T.EXISTS);
      },
    });
    this.SUBRULE(this.identifier, { LABEL: 'name' });
    this.CONSUME(T.WITH);
    this.SUBRULE(this.tableProperties);
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
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
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
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.valueExpression, { LABEL: 'values' }) });
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

  private dropConnector = this.RULE('dropConnector', () => {
    this.CONSUME(T.DROP);
    this.CONSUME(T.CONNECTOR);
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
    this.OR([{ ALT: () => this.CONSUME(T.STREAM, { LABEL: 'sourceType' }) }, { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'sourceType' }) }]);
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

  /** `SHOW|LIST [SOURCE|SINK] CONNECTORS` and `SHOW|LIST CONNECTOR PLUGINS`. */
  private showConnectors = this.RULE('showConnectors', () => {
    this.OR([{ ALT: () => this.CONSUME(T.SHOW) }, { ALT: () => this.CONSUME(T.LIST) }]);
    this.OR2([
      {
        ALT: () => {
          this.OPTION(() => this.OR3([{ ALT: () => this.CONSUME(T.SOURCE, { LABEL: 'scope' }) }, { ALT: () => this.CONSUME(T.SINK, { LABEL: 'scope' }) }]));
          this.CONSUME(T.CONNECTORS);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.CONNECTOR);
          this.CONSUME(T.PLUGINS);
        },
      },
    ]);
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
          ALT: () => {
            this.CONSUME(T.CONNECTOR);
            this.SUBRULE3(this.identifier, { LABEL: 'connectorName' });
          },
        },
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
          GATE: () => !isIdentifierToken(this.la(1)) || (!tokenMatcher(this.la(2), EOF) && !tokenMatcher(this.la(2), T.Semicolon)),
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
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
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

  /** `PAUSE|RESUME queryId|ALL`. */
  private pauseResume = this.RULE('pauseResume', () => {
    this.OR([{ ALT: () => this.CONSUME(T.PAUSE, { LABEL: 'verb' }) }, { ALT: () => this.CONSUME(T.RESUME, { LABEL: 'verb' }) }]);
    this.OR2([{ ALT: () => this.CONSUME(T.ALL) }, { ALT: () => this.SUBRULE(this.identifier) }]);
  });

  /** `ALTER SYSTEM 'name'='value'` or `ALTER STREAM|TABLE name ADD [COLUMN] col type, …`. */
  private alter = this.RULE('alter', () => {
    this.CONSUME(T.ALTER);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.SYSTEM);
          this.CONSUME(T.StringLiteral, { LABEL: 'name' });
          this.CONSUME(T.Eq);
          this.CONSUME2(T.StringLiteral, { LABEL: 'value' });
        },
      },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.STREAM, { LABEL: 'sourceType' }) }, { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'sourceType' }) }]);
          this.SUBRULE(this.identifier, { LABEL: 'name' });
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.alterOption) });
        },
      },
    ]);
  });

  private alterOption = this.RULE('alterOption', () => {
    this.CONSUME(T.ADD);
    this.OPTION(() => this.CONSUME(T.COLUMN));
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
  });

  /** `ASSERT [NOT EXISTS] TOPIC name [WITH (…)] [TIMEOUT n unit]` or `ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n] [TIMEOUT n unit]`. */
  private assertResource = this.RULE('assertResource', () => {
    this.CONSUME(T.ASSERT);
    this.OPTION(() => {
      this.CONSUME(T.NOT, { LABEL: 'notExists' });
      this.CONSUME(T.EXISTS);
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.TOPIC);
          this.OR2([{ ALT: () => this.SUBRULE(this.identifier, { LABEL: 'topic' }) }, { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'topicString' }) }]);
          this.OPTION2(() => {
            this.CONSUME(T.WITH);
            this.SUBRULE(this.tableProperties);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.SCHEMA);
          this.OPTION3(() => {
            this.CONSUME(T.SUBJECT);
            this.OR3([
              { ALT: () => this.SUBRULE2(this.identifier, { LABEL: 'subject' }) },
              { ALT: () => this.CONSUME2(T.StringLiteral, { LABEL: 'subjectString' }) },
            ]);
          });
          this.OPTION4(() => {
            this.CONSUME(T.ID);
            this.CONSUME(T.IntegerLiteral, { LABEL: 'id' });
          });
        },
      },
    ]);
    this.OPTION5(() => {
      this.CONSUME(T.TIMEOUT);
      this.SUBRULE(this.duration, { LABEL: 'timeout' });
    });
  });

  /**
   * The testing tool's assertions (ksqlDB's `assertStatement`, outside its server
   * grammar): `ASSERT VALUES name [(cols)] VALUES (…)`, `ASSERT NULL VALUES name
   * [(cols)] KEY (…)` and `ASSERT STREAM|TABLE name [(elements)] [WITH (…)]`.
   */
  private assertData = this.RULE('assertData', () => {
    this.CONSUME(T.ASSERT);
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.VALUES, { LABEL: 'word' }) }, { ALT: () => this.CONSUME(T.NULL, { LABEL: 'word' }) }]);
          this.OPTION(() => this.CONSUME2(T.VALUES));
          this.SUBRULE(this.identifier, { LABEL: 'target' });
          this.OPTION2(() => {
            this.CONSUME(T.LParen, { LABEL: 'columnsOpen' });
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.identifier, { LABEL: 'columns' }) });
            this.CONSUME(T.RParen);
          });
          this.OR3([{ ALT: () => this.CONSUME3(T.VALUES, { LABEL: 'valuesWord' }) }, { ALT: () => this.CONSUME(T.KEY, { LABEL: 'valuesWord' }) }]);
          this.CONSUME2(T.LParen);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.valueExpression, { LABEL: 'values' }) });
          this.CONSUME2(T.RParen);
        },
      },
      {
        ALT: () => {
          this.OR4([{ ALT: () => this.CONSUME(T.STREAM, { LABEL: 'word' }) }, { ALT: () => this.CONSUME(T.TABLE, { LABEL: 'word' }) }]);
          this.SUBRULE3(this.identifier, { LABEL: 'name' });
          this.OPTION3(() => this.SUBRULE(this.tableElements));
          this.OPTION4(() => {
            this.CONSUME(T.WITH);
            this.SUBRULE(this.tableProperties);
          });
        },
      },
    ]);
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
      this.OR([{ ALT: () => this.CONSUME(T.CHANGES, { LABEL: 'emit' }) }, { ALT: () => this.CONSUME(T.FINAL, { LABEL: 'emit' }) }]);
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

  /**
   * GROUP BY / PARTITION BY: value expressions (no AND/OR/NOT or predicates unless
   * parenthesised), as a list or one parenthesised list, like ksqlDB's grammar.
   */
  private expressionList = this.RULE('expressionList', () => {
    this.OR([
      {
        GATE: () => this.parenListAhead(),
        ALT: () => {
          this.CONSUME(T.LParen);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.valueExpression, { LABEL: 'items' }) });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.valueExpression, { LABEL: 'items' }) }) },
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
}

/** The parser singleton (chevrotain parsers are reusable: set `input`, call a rule). */
let instance: SqlParser | undefined;

/**
 * The CST parser singleton, built on first use: building it (chevrotain's grammar
 * analysis) takes a few hundred milliseconds that start-up should not pay.
 */
export function sqlParser(): SqlParser {
  instance ??= new SqlParser();
  return instance;
}
