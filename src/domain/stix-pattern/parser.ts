import { compareUtcTimestamps } from '../timestamps';
import type {
  ComparisonExpression,
  ComparisonOperator,
  Constant,
  ConstantSet,
  ObjectPath,
  ObservationExpression,
  PathStep,
  Qualifier,
} from './ast';
import { PatternSyntaxError, type Token } from './lexer';

/**
 * Recursive-descent parser for the STIX 2.1 patterning grammar. Precedence, loosest first:
 * observation level FOLLOWEDBY < OR < AND (then qualifiers, which bind to the expression before
 * them); comparison level OR < AND. All binary operators are left-associative. Keywords are
 * upper-case and case-sensitive; the boolean constants are `true` and `false`.
 */

const WORD_OPERATORS = new Set<ComparisonOperator>(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'EXISTS', 'WITHIN', 'SECONDS', 'REPEATS', 'TIMES', 'START', 'STOP']);
const STRING_ONLY = new Set<ComparisonOperator>(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the pattern' : `'${token.text}'`;
}

/** A hint when a keyword was written in the wrong case, since the spec makes keywords case-sensitive. */
function caseHint(token: Token): string {
  if (token.kind !== 'word') return '';
  const upper = token.text.toUpperCase();
  if (upper !== token.text && KEYWORDS.has(upper)) return ` (keywords are case-sensitive: write '${upper}')`;
  return '';
}

/** Nesting bound, so a hostile pattern cannot exhaust the stack. */
const MAX_DEPTH = 100;

export class PatternParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parsePattern(): ObservationExpression {
    if (this.peek().kind === 'eof') throw new PatternSyntaxError(0, 'empty pattern: expected an observation expression such as [file:name = \'x\']');
    const expression = this.parseFollowedBy();
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      throw new PatternSyntaxError(rest.position, `unexpected ${describe(rest)} after a complete observation expression: expected AND, OR, FOLLOWEDBY, a qualifier or the end${caseHint(rest)}`);
    }
    return expression;
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) throw new PatternSyntaxError(token.position, `expressions nested deeper than ${MAX_DEPTH} levels`);
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.tokens[this.index] as Token;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === text;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string, purpose: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) {
      throw new PatternSyntaxError(token.position, `expected '${text}' ${purpose}, found ${describe(token)}${caseHint(token)}`);
    }
    return this.next();
  }

  // Observation expressions

  private parseFollowedBy(): ObservationExpression {
    let left = this.parseObservationOr();
    while (this.isWord('FOLLOWEDBY')) {
      this.next();
      const right = this.parseObservationOr();
      left = { kind: 'observation-operator', position: left.position, operator: 'FOLLOWEDBY', left, right };
    }
    return left;
  }

  private parseObservationOr(): ObservationExpression {
    let left = this.parseObservationAnd();
    while (this.isWord('OR')) {
      this.next();
      const right = this.parseObservationAnd();
      left = { kind: 'observation-operator', position: left.position, operator: 'OR', left, right };
    }
    return left;
  }

  private parseObservationAnd(): ObservationExpression {
    let left = this.parseQualified();
    while (this.isWord('AND')) {
      this.next();
      const right = this.parseQualified();
      left = { kind: 'observation-operator', position: left.position, operator: 'AND', left, right };
    }
    return left;
  }

  private parseQualified(): ObservationExpression {
    let expression = this.parseObservationPrimary();
    for (;;) {
      const qualifier = this.parseQualifier();
      if (qualifier === undefined) return expression;
      expression = { kind: 'qualified', position: expression.position, expression, qualifier };
    }
  }

  private parseObservationPrimary(): ObservationExpression {
    const token = this.peek();
    if (this.isPunct('[')) {
      this.enter(token);
      this.next();
      const comparison = this.parseComparisonOr();
      this.expectPunct(']', `to close the observation expression opened at ${token.position}`);
      this.depth--;
      return { kind: 'observation', position: token.position, comparison };
    }
    if (this.isPunct('(')) {
      this.enter(token);
      this.next();
      const inner = this.parseFollowedBy();
      this.expectPunct(')', `to close the parenthesis opened at ${token.position}`);
      this.depth--;
      return inner;
    }
    const after = this.tokens[this.index + 1];
    if (token.kind === 'word' && after?.kind === 'punct' && after.text === ':') {
      throw new PatternSyntaxError(token.position, `comparison '${token.text}:…' outside an observation expression: comparisons must be inside '[' and ']'`);
    }
    throw new PatternSyntaxError(token.position, `expected '[' or '(' to start an observation expression, found ${describe(token)}${caseHint(token)}`);
  }

  private parseQualifier(): Qualifier | undefined {
    if (this.isWord('WITHIN')) {
      this.next();
      const count = this.next();
      const seconds = Number(count.text);
      if ((count.kind !== 'int' && count.kind !== 'float') || !(seconds > 0)) {
        throw new PatternSyntaxError(count.position, `WITHIN needs a positive number of seconds, found ${describe(count)}`);
      }
      const unit = this.peek();
      if (!this.isWord('SECONDS')) throw new PatternSyntaxError(unit.position, `expected SECONDS after WITHIN ${count.text}, found ${describe(unit)}${caseHint(unit)}`);
      this.next();
      return { kind: 'within', seconds };
    }
    if (this.isWord('REPEATS')) {
      this.next();
      const count = this.next();
      const times = Number(count.text);
      if (count.kind !== 'int' || !(times > 0)) {
        throw new PatternSyntaxError(count.position, `REPEATS needs a positive integer count, found ${describe(count)}`);
      }
      const unit = this.peek();
      if (!this.isWord('TIMES')) throw new PatternSyntaxError(unit.position, `expected TIMES after REPEATS ${count.text}, found ${describe(unit)}${caseHint(unit)}`);
      this.next();
      return { kind: 'repeats', times };
    }
    if (this.isWord('START')) {
      this.next();
      const start = this.next();
      if (start.kind !== 'timestamp') throw new PatternSyntaxError(start.position, `START needs a timestamp t'…', found ${describe(start)}`);
      const stopWord = this.peek();
      if (!this.isWord('STOP')) throw new PatternSyntaxError(stopWord.position, `expected STOP after START ${start.text}, found ${describe(stopWord)}${caseHint(stopWord)}`);
      this.next();
      const stop = this.next();
      if (stop.kind !== 'timestamp') throw new PatternSyntaxError(stop.position, `STOP needs a timestamp t'…', found ${describe(stop)}`);
      // The lexer has checked both timestamps, so they always compare.
      if ((compareUtcTimestamps(stop.value, start.value) ?? 0) <= 0) {
        throw new PatternSyntaxError(stop.position, `STOP ${stop.text} must be later than START ${start.text}`);
      }
      return { kind: 'start-stop', start: start.value, stop: stop.value };
    }
    return undefined;
  }

  // Comparison expressions

  private parseComparisonOr(): ComparisonExpression {
    let left = this.parseComparisonAnd();
    while (this.isWord('OR')) {
      this.next();
      const right = this.parseComparisonAnd();
      left = { kind: 'boolean', position: left.position, operator: 'OR', left, right };
    }
    return left;
  }

  private parseComparisonAnd(): ComparisonExpression {
    let left = this.parseComparisonPrimary();
    while (this.isWord('AND')) {
      this.next();
      const right = this.parseComparisonPrimary();
      left = { kind: 'boolean', position: left.position, operator: 'AND', left, right };
    }
    return left;
  }

  private parseComparisonPrimary(): ComparisonExpression {
    const token = this.peek();
    if (this.isPunct('(')) {
      this.enter(token);
      this.next();
      const inner = this.parseComparisonOr();
      this.expectPunct(')', `to close the parenthesis opened at ${token.position}`);
      this.depth--;
      return inner;
    }
    if (this.isWord('EXISTS')) {
      this.next();
      return { kind: 'exists', position: token.position, path: this.parseObjectPath() };
    }
    const path = this.parseObjectPath();
    let negated = false;
    if (this.isWord('NOT')) {
      this.next();
      negated = true;
    }
    const operator = this.parseOperator();
    const value = operator === 'IN' ? this.parseSet() : this.parseOperand(operator);
    return { kind: 'comparison', position: token.position, path, negated, operator, value };
  }

  private parseOperator(): ComparisonOperator {
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      return token.text as ComparisonOperator;
    }
    if (token.kind === 'word' && WORD_OPERATORS.has(token.text as ComparisonOperator)) {
      this.next();
      return token.text as ComparisonOperator;
    }
    if (token.kind === 'word') {
      if (token.text === 'EXISTS') throw new PatternSyntaxError(token.position, 'EXISTS goes before the object path (EXISTS type:property) and cannot follow NOT or a path');
      throw new PatternSyntaxError(token.position, `unknown comparison operator '${token.text}'${caseHint(token)}`);
    }
    throw new PatternSyntaxError(token.position, `expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET), found ${describe(token)}`);
  }

  private parseOperand(operator: ComparisonOperator): Constant {
    const token = this.peek();
    const constant = this.parseConstant(`after '${operator}'`);
    if (STRING_ONLY.has(operator) && constant.type !== 'string') {
      throw new PatternSyntaxError(token.position, `${operator} needs a string constant, found ${constant.type} ${token.text}`);
    }
    if ((operator === '<' || operator === '>' || operator === '<=' || operator === '>=') && constant.type === 'boolean') {
      throw new PatternSyntaxError(token.position, `${operator} needs an orderable constant, found boolean ${token.text}`);
    }
    return constant;
  }

  private parseSet(): ConstantSet {
    const open = this.peek();
    if (!this.isPunct('(')) throw new PatternSyntaxError(open.position, `IN needs a set of constants such as ('a', 'b'), found ${describe(open)}`);
    this.next();
    const values: Constant[] = [];
    if (this.isPunct(')')) {
      this.next();
      return { type: 'set', values };
    }
    for (;;) {
      values.push(this.parseConstant('in the set'));
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expectPunct(')', `to close the set opened at ${open.position}`);
      return { type: 'set', values };
    }
  }

  private parseConstant(where: string): Constant {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
      case 'timestamp':
      case 'hex':
      case 'binary':
        this.next();
        return { type: token.kind, value: token.value };
      case 'int':
        this.next();
        return { type: 'integer', value: Number(token.text) };
      case 'float':
        this.next();
        return { type: 'float', value: Number(token.text) };
      case 'word':
        if (token.text === 'true' || token.text === 'false') {
          this.next();
          return { type: 'boolean', value: token.text === 'true' };
        }
        throw new PatternSyntaxError(token.position, `expected a constant ${where}, found '${token.text}' (strings are quoted: '${token.text}')`);
      default:
        throw new PatternSyntaxError(token.position, `expected a constant ${where}, found ${describe(token)}`);
    }
  }

  private parseObjectPath(): ObjectPath {
    const typeToken = this.peek();
    if (typeToken.kind !== 'word' || KEYWORDS.has(typeToken.text)) {
      throw new PatternSyntaxError(typeToken.position, `expected an object path such as file:name, found ${describe(typeToken)}`);
    }
    this.next();
    if (!this.isPunct(':') && caseHint(typeToken) !== '') {
      throw new PatternSyntaxError(typeToken.position, `expected an object path, found '${typeToken.text}'${caseHint(typeToken)}`);
    }
    this.expectPunct(':', `after the object type '${typeToken.text}'`);
    const steps: PathStep[] = [this.parsePropertyName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        steps.push(this.parsePropertyName());
      } else if (this.isPunct('[')) {
        const open = this.next();
        const index = this.peek();
        if (index.kind === 'punct' && index.text === '*') {
          this.next();
          steps.push({ kind: 'any-index' });
        } else if (index.kind === 'int') {
          this.next();
          steps.push({ kind: 'index', index: Number(index.text) });
        } else {
          throw new PatternSyntaxError(index.position, `expected a list index (an integer or *), found ${describe(index)}`);
        }
        this.expectPunct(']', `to close the list index opened at ${open.position}`);
      } else {
        return { objectType: typeToken.text, steps };
      }
    }
  }

  private parsePropertyName(): PathStep {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'property', name: token.value };
    }
    if (token.kind === 'word') {
      if (token.text.includes('-')) {
        throw new PatternSyntaxError(token.position, `property name '${token.text}' contains '-': quote it as '${token.text}'`);
      }
      this.next();
      return { kind: 'property', name: token.text };
    }
    throw new PatternSyntaxError(token.position, `expected a property name, found ${describe(token)}`);
  }
}
