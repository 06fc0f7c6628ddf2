/**
 * The syntax tree of a `.prose` program: discriminated unions on `kind`, every node with the
 * span of source it came from. Statements and values share one namespace of kinds because most
 * constructs are both (`session …` alone, or `let x = session …`).
 *
 * Longer than our usual file on purpose: it is the whole language in one place, declarations
 * only, and the interpreter's authors read it top to bottom.
 */
import type { Comment } from './tokens.js';
import type { Span } from './source.js';

export type { Comment } from './tokens.js';
export type { Span } from './source.js';

interface Node {
  span: Span;
}

export interface Program extends Node {
  kind: 'Program';
  statements: Statement[];
  /** Every comment in source order; the printer puts them back, the interpreter ignores them. */
  comments: Comment[];
}

export interface Block extends Node {
  kind: 'Block';
  statements: Statement[];
}

// Names and literals

export interface Identifier extends Node {
  kind: 'Identifier';
  name: string;
}

/** `{name}` or `{a.b}` inside a string or discretion text, offsets relative to the text. */
export interface Interpolation {
  path: string[];
  start: number;
  end: number;
}

export interface StringLiteral extends Node {
  kind: 'String';
  /** Decoded; for `"""` the raw text between the quotes (CRLF read as LF). */
  value: string;
  triple: boolean;
  interpolations: Interpolation[];
}

export interface Discretion extends Node {
  kind: 'Discretion';
  /** What the oracle is asked, as written between the markers. */
  text: string;
  /** Written `***…***` (possibly across lines) rather than `**…**`. */
  triple: boolean;
  interpolations: Interpolation[];
}

export interface NumberLiteral extends Node {
  kind: 'Number';
  value: number;
  raw: string;
}

export interface BooleanLiteral extends Node {
  kind: 'Boolean';
  value: boolean;
}

export interface NullLiteral extends Node {
  kind: 'Null';
}

export interface ArrayLiteral extends Node {
  kind: 'Array';
  elements: Expression[];
}

export interface ObjectEntry extends Node {
  key: string;
  /** Undefined for the shorthand `{a, b}`: the value is the variable of that name. */
  value: Expression | undefined;
}

export interface ObjectLiteral extends Node {
  kind: 'Object';
  entries: ObjectEntry[];
}

// Operators

export type BinaryOperator = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in' | '+' | '-' | '*' | '/' | '%';

export interface Binary extends Node {
  kind: 'Binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface Unary extends Node {
  kind: 'Unary';
  operator: 'not' | '-';
  operand: Expression;
}

export interface Member extends Node {
  kind: 'Member';
  object: Expression;
  property: Identifier;
}

export interface Index extends Node {
  kind: 'Index';
  object: Expression;
  index: Expression;
}

export interface Argument extends Node {
  /** `name: value`; undefined for a positional argument. */
  name: Identifier | undefined;
  value: Expression;
}

/** `name(args)`: a block or an imported program. */
export interface Call extends Node {
  kind: 'Call';
  callee: Identifier;
  args: Argument[];
}

// Properties (indented `name: value` lines under agents, sessions, gates, exec, inputs)

export interface Property extends Node {
  kind: 'Property';
  name: Identifier;
  value: Expression | PropertyBlock;
}

export interface PropertyBlock extends Node {
  kind: 'PropertyBlock';
  properties: Property[];
}

// Actions: expressions that do something

/**
 * `session "prompt"`, `session: agent`, `session label: agent`; a title string may come with a
 * separate `prompt:` property.
 */
export interface Session extends Node {
  kind: 'Session';
  prompt: Expression | undefined;
  agent: Identifier | undefined;
  label: Identifier | undefined;
  properties: Property[];
}

export interface Resume extends Node {
  kind: 'Resume';
  agent: Identifier;
  properties: Property[];
}

export interface DoBlock extends Node {
  kind: 'DoBlock';
  body: Block;
}

/** `do name` or `do name(args)`. */
export interface DoCall extends Node {
  kind: 'DoCall';
  name: Identifier;
  args: Argument[];
}

export interface Parallel extends Node {
  kind: 'Parallel';
  /** `("any", on-fail: "continue", count: 2)`, checked by the checker. */
  modifiers: Argument[];
  body: Block;
}

export interface ParallelFor extends Node {
  kind: 'ParallelFor';
  item: Identifier;
  index: Identifier | undefined;
  iterable: Expression;
  modifiers: Argument[];
  body: Block;
}

/** One `| map:` step; `params` are `reduce(acc, x)`'s names. */
export interface PipelineStage extends Node {
  operator: Identifier;
  params: Identifier[];
  body: Block;
}

export interface Pipeline extends Node {
  kind: 'Pipeline';
  source: Expression;
  stages: PipelineStage[];
}

/** `a -> b -> c`: run in order, the value is the last. */
export interface Sequence extends Node {
  kind: 'Sequence';
  steps: Expression[];
}

export interface Exec extends Node {
  kind: 'Exec';
  command: Expression;
  properties: Property[];
}

export interface Verify extends Node {
  kind: 'Verify';
  gates: Identifier[];
}

export interface Checkpoint extends Node {
  kind: 'Checkpoint';
  good: boolean;
  message: Expression | undefined;
}

export interface Gate extends Node {
  kind: 'Gate';
  name: Identifier;
  properties: Property[];
}

export type Expression =
  | Identifier
  | StringLiteral
  | Discretion
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | ArrayLiteral
  | ObjectLiteral
  | Binary
  | Unary
  | Member
  | Index
  | Call
  | Session
  | Resume
  | DoBlock
  | DoCall
  | Parallel
  | ParallelFor
  | Pipeline
  | Sequence
  | Exec
  | Verify
  | Checkpoint
  | Gate;

// Control flow (statements that also have a value: `let x = try: …`)

export interface IfBranch extends Node {
  condition: Expression;
  body: Block;
}

export interface If extends Node {
  kind: 'If';
  /** The `if` and every `elif`, in order. */
  branches: IfBranch[];
  otherwise: Block | undefined;
}

export interface CatchClause extends Node {
  name: Identifier | undefined;
  body: Block;
}

export interface Try extends Node {
  kind: 'Try';
  body: Block;
  handler: CatchClause | undefined;
  finalizer: Block | undefined;
}

export interface ChoiceOption extends Node {
  label: Expression;
  body: Block;
}

export interface Choice extends Node {
  kind: 'Choice';
  criteria: Expression;
  options: ChoiceOption[];
}

export interface Repeat extends Node {
  kind: 'Repeat';
  count: Expression;
  index: Identifier | undefined;
  body: Block;
}

export interface For extends Node {
  kind: 'For';
  item: Identifier;
  index: Identifier | undefined;
  iterable: Expression;
  body: Block;
}

export interface Loop extends Node {
  kind: 'Loop';
  mode: 'until' | 'while' | undefined;
  condition: Expression | undefined;
  max: Expression | undefined;
  index: Identifier | undefined;
  body: Block;
}

export type Control = If | Try | Choice | Repeat | For | Loop;

/** What a binding, an output or a parallel branch may hold. */
export type Value = Expression | Control;

// Declarations and simple statements

export interface Use extends Node {
  kind: 'Use';
  path: StringLiteral;
  alias: Identifier | undefined;
}

/** Legacy `import "skill" from "source"`. */
export interface Import extends Node {
  kind: 'Import';
  skill: StringLiteral;
  source: StringLiteral;
}

export interface Input extends Node {
  kind: 'Input';
  name: Identifier;
  prompt: Expression | undefined;
  properties: Property[];
}

export interface Agent extends Node {
  kind: 'Agent';
  name: Identifier;
  properties: Property[];
}

export interface BlockDefinition extends Node {
  kind: 'BlockDefinition';
  name: Identifier;
  params: Identifier[];
  body: Block;
}

export interface Phase extends Node {
  kind: 'Phase';
  name: Identifier;
  /** Leading `timeout:` and `expect:` lines of the body: the stage's limit and the paths it must leave. */
  properties: Property[];
  body: Block;
}

/** `let {a, b} = …` */
export interface Destructure extends Node {
  kind: 'Destructure';
  names: Identifier[];
}

export interface Let extends Node {
  kind: 'Let';
  constant: boolean;
  target: Identifier | Destructure;
  value: Value;
}

export interface Assign extends Node {
  kind: 'Assign';
  target: Identifier;
  value: Value;
}

/** `output name = value` declares a program output; `output value` is a block's return value. */
export interface Output extends Node {
  kind: 'Output';
  name: Identifier | undefined;
  value: Value;
}

/** `output name: "description"`: declares an output that a later `name = …` (or `output name = …`) sets. */
export interface OutputDeclaration extends Node {
  kind: 'OutputDeclaration';
  name: Identifier;
  description: StringLiteral;
}

export interface Throw extends Node {
  kind: 'Throw';
  message: Expression | undefined;
}

export interface Assert extends Node {
  kind: 'Assert';
  condition: Expression;
  message: Expression | undefined;
}

export interface Rollback extends Node {
  kind: 'Rollback';
  target: Expression | undefined;
}

export type Declaration = Use | Import | Input | Agent | BlockDefinition | Phase | OutputDeclaration;

export type Statement = Declaration | Let | Assign | Output | Throw | Assert | Rollback | Control | Expression;

export type AnyNode = Program | Block | Statement | Property | PropertyBlock | Destructure;
