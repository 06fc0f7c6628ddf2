import type { Block, Comment, Expression, Program, Property, Statement, Value } from './ast.js';
import { isPlainName, printActionHead, printExpression, printString } from './print-expressions.js';
import type { Source } from './source.js';

const INDENT = '  ';

/**
 * Prints a program in canonical form: two-space indentation, one statement per line, normalized
 * spacing, single blank lines where the source had any, and every comment kept (a comment inside
 * a multi-line expression moves to its own line before the statement).
 */
export function printProgram(parsed: { program: Program; source: Source }): string {
  const { program } = parsed;
  const printer = new Printer(program.comments, parsed.source.text);
  printer.statements(program.statements, 0, Infinity);
  printer.flushComments(Infinity, 0);
  return printer.result();
}

class Printer {
  private readonly lines: string[] = [];
  private next = 0;
  /** Where the last printed thing ended in the source, to keep blank lines between statements. */
  private lastEnd = -1;

  constructor(
    private readonly comments: readonly Comment[],
    private readonly text: string,
  ) {}

  result(): string {
    while (this.lines.at(-1) === '') this.lines.pop();
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  statements(statements: readonly Statement[], level: number, limit: number): void {
    statements.forEach((statement, i) => {
      this.flushComments(statement.span.start, level);
      this.statement(statement, level, statements[i + 1]?.span.start ?? limit);
    });
    this.flushBlockEnd(level, limit, statements[0]);
  }

  /** Own-line comments before `offset`, at the indentation of what follows them. */
  flushComments(offset: number, level: number): void {
    for (let comment = this.comments[this.next]; comment !== undefined && comment.span.start < offset; comment = this.comments[this.next]) {
      this.blankLineBefore(comment.span.start);
      this.lines.push(`${INDENT.repeat(level)}#${comment.text}`.trimEnd());
      this.lastEnd = comment.span.end;
      this.next += 1;
    }
  }

  /**
   * Comments after a block's last item that were indented at least as deep as the block in the
   * source. The source's indentation, not the printed one, decides: what a comment belongs to
   * must not depend on how the input was indented, and a block with no items claims nothing.
   */
  private flushBlockEnd(level: number, limit: number, first: { span: { start: number } } | undefined): void {
    if (level === 0 || first === undefined) return;
    const indent = this.blockIndent(first.span.start);
    for (let comment = this.comments[this.next]; comment !== undefined && comment.span.start < limit; comment = this.comments[this.next]) {
      if (!comment.ownLine || this.columnOf(comment.span.start) < indent) return;
      this.flushComments(comment.span.start + 1, level);
    }
  }

  private columnOf(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /** The source indentation of a block from its first item: its column, or just past its header's indentation for a body on the header line (`if a: x`). */
  private blockIndent(first: number): number {
    const lineStart = this.text.lastIndexOf('\n', first - 1) + 1;
    let i = lineStart;
    while (this.text.charCodeAt(i) === 32) i += 1;
    return i === first ? first - lineStart : i - lineStart + 1;
  }

  private blankLineBefore(start: number): void {
    if (this.lastEnd < 0 || this.lines.at(-1) === '') return;
    if (/\n[ \t\r]*\n/.test(this.text.slice(this.lastEnd, start))) this.lines.push('');
  }

  /** A line of output; a comment that ended the source line of `offset` stays at its end. */
  private emit(level: number, text: string, offset: number): void {
    this.blankLineBefore(offset);
    let line = INDENT.repeat(level) + text;
    const comment = this.comments[this.next];
    if (comment !== undefined && !comment.ownLine && this.sameLine(offset, comment.span.start)) {
      line += `  #${comment.text}`;
      this.next += 1;
    }
    this.lines.push(line.trimEnd());
    this.lastEnd = offset;
  }

  private sameLine(offset: number, other: number): boolean {
    return other >= offset && !this.text.slice(offset, other).includes('\n');
  }

  private block(block: Block, level: number, limit: number): void {
    this.statements(block.statements, level, limit);
  }

  private statement(statement: Statement, level: number, limit: number): void {
    const at = statement.span.start;
    switch (statement.kind) {
      case 'Use':
        return this.emit(level, `use ${printString(statement.path)}${statement.alias === undefined ? '' : ` as ${statement.alias.name}`}`, at);
      case 'Import':
        return this.emit(level, `import ${printString(statement.skill)} from ${printString(statement.source)}`, at);
      case 'Input': {
        const name = isPlainName(statement.name.name) ? statement.name.name : printString({ value: statement.name.name, triple: false });
        if (statement.prompt === undefined) this.emit(level, `input ${name}`, at);
        else this.value(statement.prompt, level, `input ${name}: `, at, limit);
        return this.properties(statement.properties, level + 1, limit);
      }
      case 'Agent':
        this.emit(level, `agent ${statement.name.name}:`, at);
        return this.properties(statement.properties, level + 1, limit);
      case 'BlockDefinition': {
        const params = statement.params.length > 0 ? `(${statement.params.map((p) => p.name).join(', ')})` : '';
        this.emit(level, `block ${statement.name.name}${params}:`, at);
        return this.block(statement.body, level + 1, limit);
      }
      case 'Phase': {
        const name = isPlainName(statement.name.name) ? statement.name.name : printString({ value: statement.name.name, triple: false });
        this.emit(level, `phase ${name}:`, at);
        this.properties(statement.properties, level + 1, statement.body.statements[0]?.span.start ?? limit);
        return this.block(statement.body, level + 1, limit);
      }
      case 'Let': {
        const target = statement.target.kind === 'Identifier' ? statement.target.name : `{${statement.target.names.map((n) => n.name).join(', ')}}`;
        return this.value(statement.value, level, `${statement.constant ? 'const' : 'let'} ${target} = `, at, limit);
      }
      case 'Assign':
        return this.value(statement.value, level, `${statement.target.name} = `, at, limit);
      case 'Output':
        return this.value(statement.value, level, statement.name === undefined ? 'output ' : `output ${statement.name.name} = `, at, limit);
      case 'OutputDeclaration':
        return this.value(statement.description, level, `output ${statement.name.name}: `, at, limit);
      case 'Throw':
        return statement.message === undefined ? this.emit(level, 'throw', at) : this.value(statement.message, level, 'throw ', at, limit);
      case 'Assert': {
        const condition = `assert ${printExpression(statement.condition)}`;
        return statement.message === undefined ? this.emit(level, condition, at) : this.value(statement.message, level, `${condition}: `, at, limit);
      }
      case 'Rollback':
        return statement.target === undefined ? this.emit(level, 'rollback', at) : this.value(statement.target, level, 'rollback to ', at, limit);
      default:
        return this.value(statement, level, '', at, limit);
    }
  }

  /** A value after `prefix` (`let x = `): one line, or a header with its indented parts. */
  private value(value: Value, level: number, prefix: string, at: number, limit: number): void {
    switch (value.kind) {
      case 'If':
        value.branches.forEach((branch, i) => {
          if (i > 0) this.flushComments(branch.span.start, level);
          this.emit(level, `${i === 0 ? prefix : ''}${i === 0 ? 'if' : 'elif'} ${printExpression(branch.condition)}:`, branch.span.start);
          this.block(branch.body, level + 1, value.branches[i + 1]?.span.start ?? value.otherwise?.span.start ?? limit);
        });
        if (value.otherwise !== undefined) this.clause(level, 'else:', value.otherwise, limit);
        return;
      case 'Try':
        this.emit(level, `${prefix}try:`, at);
        this.block(value.body, level + 1, value.handler?.span.start ?? value.finalizer?.span.start ?? limit);
        if (value.handler !== undefined) {
          const header = value.handler.name === undefined ? 'catch:' : `catch as ${value.handler.name.name}:`;
          this.clause(level, header, value.handler.body, value.finalizer?.span.start ?? limit, value.handler.span.start);
        }
        if (value.finalizer !== undefined) this.clause(level, 'finally:', value.finalizer, limit);
        return;
      case 'Choice':
        this.emit(level, `${prefix}choice ${printExpression(value.criteria)}:`, at);
        value.options.forEach((option, i) => {
          this.flushComments(option.span.start, level + 1);
          this.emit(level + 1, `option ${printExpression(option.label)}:`, option.span.start);
          this.block(option.body, level + 2, value.options[i + 1]?.span.start ?? limit);
        });
        return;
      case 'Repeat':
        this.emit(level, `${prefix}repeat ${printExpression(value.count)}${value.index === undefined ? '' : ` as ${value.index.name}`}:`, at);
        return this.block(value.body, level + 1, limit);
      case 'For':
        this.emit(level, `${prefix}for ${value.item.name}${value.index === undefined ? '' : `, ${value.index.name}`} in ${printExpression(value.iterable)}:`, at);
        return this.block(value.body, level + 1, limit);
      case 'Loop': {
        const condition = value.mode === undefined || value.condition === undefined ? '' : ` ${value.mode} ${printExpression(value.condition)}`;
        const max = value.max === undefined ? '' : ` (max: ${printExpression(value.max)})`;
        this.emit(level, `${prefix}loop${condition}${max}${value.index === undefined ? '' : ` as ${value.index.name}`}:`, at);
        return this.block(value.body, level + 1, limit);
      }
      default:
        return this.expression(value, level, prefix, at, limit);
    }
  }

  /** `else:`, `catch:`, `finally:`: a clause at the level of its statement, after any comments before it. */
  private clause(level: number, header: string, body: Block, limit: number, start = body.span.start): void {
    this.flushComments(start, level);
    this.emit(level, header, start);
    this.block(body, level + 1, limit);
  }

  private expression(expression: Expression, level: number, prefix: string, at: number, limit: number): void {
    const operand = expression.kind === 'Session' ? expression.prompt : expression.kind === 'Exec' ? expression.command : undefined;
    if (operand !== undefined && hasBlock(operand)) {
      // `session gate deploy:` + properties: the properties belong to the inner action.
      return this.expression(operand, level, `${prefix}${expression.kind === 'Session' ? 'session' : 'exec'} `, at, limit);
    }
    switch (expression.kind) {
      case 'Session':
      case 'Resume':
      case 'Exec':
      case 'Gate':
        this.emit(level, prefix + printActionHead(expression), at);
        return this.properties(expression.properties, level + 1, limit);
      case 'DoBlock':
      case 'Parallel':
      case 'ParallelFor':
        this.emit(level, prefix + printActionHead(expression), at);
        return this.block(expression.body, level + 1, limit);
      case 'Pipeline': {
        this.expression(expression.source, level, prefix, at, limit);
        // After a source with properties, a step line indented deeper would continue the last property.
        const stageLevel = hasBlock(expression.source) ? level : level + 1;
        expression.stages.forEach((stage, i) => {
          const params = stage.params.length > 0 ? `(${stage.params.map((p) => p.name).join(', ')})` : '';
          this.flushComments(stage.span.start, stageLevel);
          this.emit(stageLevel, `| ${stage.operator.name}${params}:`, stage.span.start);
          this.block(stage.body, stageLevel + 1, expression.stages[i + 1]?.span.start ?? limit);
        });
        return;
      }
      case 'Sequence':
        if (!expression.steps.some(hasBlock)) return this.emit(level, prefix + printExpression(expression), at);
        expression.steps.forEach((step, i) => this.expression(step, level, i === 0 ? prefix : '-> ', step.span.start, expression.steps[i + 1]?.span.start ?? limit));
        return;
      default:
        return this.emit(level, prefix + printExpression(expression), at);
    }
  }

  private properties(properties: readonly Property[], level: number, limit: number): void {
    properties.forEach((property, i) => {
      this.flushComments(property.span.start, level);
      const at = property.span.start;
      if (property.value.kind === 'PropertyBlock') {
        this.emit(level, `${property.name.name}:`, at);
        this.properties(property.value.properties, level + 1, properties[i + 1]?.span.start ?? limit);
      } else {
        this.value(property.value, level, `${property.name.name}: `, at, properties[i + 1]?.span.start ?? limit);
      }
    });
    this.flushBlockEnd(level, limit, properties[0]);
  }
}

/** Whether printing the expression takes more than one line. */
function hasBlock(expression: Expression): boolean {
  switch (expression.kind) {
    case 'Session':
      return expression.properties.length > 0 || (expression.prompt !== undefined && hasBlock(expression.prompt));
    case 'Exec':
      return expression.properties.length > 0 || hasBlock(expression.command);
    case 'Resume':
    case 'Gate':
      return expression.properties.length > 0;
    case 'DoBlock':
    case 'Parallel':
    case 'ParallelFor':
    case 'Pipeline':
      return true;
    case 'Sequence':
      return expression.steps.some(hasBlock);
    default:
      return false;
  }
}

