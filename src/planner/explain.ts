import { assertNever } from '../common/assert.js';
import { formatType } from '../common/types.js';
import { inputsOf, type LogicalPlan, type RowSchema } from './logical-plan.js';
import type { PhysicalPlan } from './physical-plan.js';
import type { TypedExpression } from './typed-expression.js';

/** EXPLAIN text: the logical plan (indented tree) and the physical topology. */
export function explainQuery(logical: LogicalPlan, physical: PhysicalPlan): string {
  const lines: string[] = ['Logical plan:'];
  const visit = (p: LogicalPlan, depth: number): void => {
    lines.push(`${'  '.repeat(depth + 1)}${describeNode(p)}`);
    for (const i of inputsOf(p)) visit(i, depth + 1);
  };
  visit(logical, 0);
  lines.push('', `Physical plan (version ${physical.version}):`);
  physical.steps.forEach((s, i) => {
    const from = s.inputs.length > 0 ? ` <- ${s.inputs.map((x) => x + 1).join(', ')}` : '';
    lines.push(`  ${i + 1}. ${s.kind}${from}  [${schemaLine(s.schema)}]`);
  });
  return lines.join('\n');
}

function schemaLine(s: RowSchema): string {
  const keys = new Set(s.key.map((k) => k.name));
  return s.columns.map((c) => `${c.name} ${formatType(c.type)}${keys.has(c.name) ? ' KEY' : ''}`).join(', ');
}

function describeNode(p: LogicalPlan): string {
  switch (p.kind) {
    case 'Source':
      return `Source ${p.source.name}${p.alias !== p.source.name ? ` AS ${p.alias}` : ''} (${p.source.sourceType}, topic ${p.source.topic})`;
    case 'Filter':
      return `Filter ${p.clause} ${exprText(p.predicate)}`;
    case 'FlatMap':
      return `FlatMap ${p.functions.map((f) => `${f.name}(${f.args.map(exprText).join(', ')})`).join(', ')}`;
    case 'SelectKey':
      return `SelectKey [${p.keyExprs.map(exprText).join(', ')}]`;
    case 'Aggregate':
      return `Aggregate GROUP BY [${p.groupBy.map(exprText).join(', ')}]${p.window ? ` WINDOW ${p.window.kind}` : ''} AGGREGATES [${p.aggregates.map((a) => `${a.name}(${a.args.map(exprText).join(', ')})`).join(', ')}]`;
    case 'Project':
      return `Project KEY [${p.keyExprs.map(exprText).join(', ')}] VALUE [${p.valueExprs.map(exprText).join(', ')}]`;
    case 'Suppress':
      return `Suppress EMIT FINAL (grace ${p.window.graceMs} ms)`;
    case 'Join':
      return `Join ${p.joinType} ${p.spec.kind}${p.spec.kind === 'STREAM_STREAM' ? ` WITHIN (${p.spec.beforeMs} ms, ${p.spec.afterMs} ms)${p.spec.graceMs !== undefined ? ` GRACE ${p.spec.graceMs} ms` : ''}` : ''} ON ${exprText(p.leftKey)} = ${exprText(p.rightKey)}`;
    case 'Sink':
      return `Sink ${p.target.name} (${p.target.sourceType}, topic ${p.target.topic}, key ${p.target.keyFormat.format}, value ${p.target.valueFormat.format})`;
    default:
      return assertNever(p, 'logical plan');
  }
}

/** A compact SQL-like rendering of a typed expression for EXPLAIN. */
export function exprText(e: TypedExpression): string {
  switch (e.kind) {
    case 'Literal':
      return e.value === null ? 'null' : typeof e.value === 'string' ? `'${e.value.replace(/'/g, "''")}'` : String(e.value);
    case 'Column':
      return e.name;
    case 'LambdaVar':
      return e.name;
    case 'Field':
      return `${exprText(e.base)}->${e.field}`;
    case 'Subscript':
      return `${exprText(e.base)}[${exprText(e.index)}]`;
    case 'Negate':
      return `-${exprText(e.operand)}`;
    case 'Not':
      return `(NOT ${exprText(e.operand)})`;
    case 'Arithmetic':
      return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'Concat':
      return `(${exprText(e.left)} || ${exprText(e.right)})`;
    case 'Compare':
      return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'And':
    case 'Or':
      return `(${exprText(e.left)} ${e.kind.toUpperCase()} ${exprText(e.right)})`;
    case 'IsNull':
      return `(${exprText(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'Between':
      return `(${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${exprText(e.low)} AND ${exprText(e.high)})`;
    case 'In':
      return `(${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.pairs.map((p) => exprText(p.right)).join(', ')}))`;
    case 'Like':
      return `(${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${exprText(e.pattern)})`;
    case 'Case':
      return `(CASE ${e.whens.map((w) => `WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join(' ')}${e.else ? ` ELSE ${exprText(e.else)}` : ''} END)`;
    case 'Cast':
      return `CAST(${exprText(e.operand)} AS ${formatType(e.type)})`;
    case 'Call':
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'Keyword':
      return e.word;
    case 'Lambda':
      return `(${e.slots.map((s) => `$${s}`).join(', ')}) => ${exprText(e.body)}`;
    case 'CreateStruct':
      return `STRUCT(${e.fields.map((f) => `${f.name}:=${exprText(f.value)}`).join(', ')})`;
    case 'CreateArray':
      return `ARRAY[${e.items.map(exprText).join(', ')}]`;
    case 'CreateMap':
      return `MAP(${e.entries.map((x) => `${exprText(x.key)}:=${exprText(x.value)}`).join(', ')})`;
    default:
      return assertNever(e, 'typed expression');
  }
}
