/**
 * The syntax tree of a STIX 2.1 pattern (STIX 2.1 §9). Parentheses leave no node: grouping is
 * expressed by the tree's shape. Every node keeps the 0-based offset where it starts in the text.
 */

export type ObservationOperator = 'AND' | 'OR' | 'FOLLOWEDBY';
export type BooleanOperator = 'AND' | 'OR';
export type ComparisonOperator = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

/** A typed constant; `value` is decoded (escapes resolved, `t''`/`h''`/`b''` wrappers removed). */
export type Constant =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'timestamp'; readonly value: string }
  | { readonly type: 'hex'; readonly value: string }
  | { readonly type: 'binary'; readonly value: string };

export interface ConstantSet {
  readonly type: 'set';
  readonly values: readonly Constant[];
}

export type PathStep =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'any-index' };

/** `file:hashes.'SHA-256'` is `{ objectType: 'file', steps: [hashes, SHA-256] }`. */
export interface ObjectPath {
  readonly objectType: string;
  readonly steps: readonly PathStep[];
}

export type ComparisonExpression =
  | {
      readonly kind: 'comparison';
      readonly position: number;
      readonly path: ObjectPath;
      readonly negated: boolean;
      readonly operator: ComparisonOperator;
      readonly value: Constant | ConstantSet;
    }
  | { readonly kind: 'exists'; readonly position: number; readonly path: ObjectPath }
  | {
      readonly kind: 'boolean';
      readonly position: number;
      readonly operator: BooleanOperator;
      readonly left: ComparisonExpression;
      readonly right: ComparisonExpression;
    };

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number }
  | { readonly kind: 'repeats'; readonly times: number }
  | { readonly kind: 'start-stop'; readonly start: string; readonly stop: string };

export type ObservationExpression =
  | { readonly kind: 'observation'; readonly position: number; readonly comparison: ComparisonExpression }
  | {
      readonly kind: 'observation-operator';
      readonly position: number;
      readonly operator: ObservationOperator;
      readonly left: ObservationExpression;
      readonly right: ObservationExpression;
    }
  | {
      readonly kind: 'qualified';
      readonly position: number;
      readonly expression: ObservationExpression;
      readonly qualifier: Qualifier;
    };

export type PatternAst = ObservationExpression;

export interface PatternError {
  readonly position: number;
  readonly message: string;
}

export type PatternParseResult = { readonly ok: true; readonly ast: PatternAst } | { readonly ok: false; readonly error: PatternError };
