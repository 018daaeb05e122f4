/** The syntax tree of the supported Python expression subset. */
import { SourcePosition } from './errors';
import { BinaryOp } from './ops';

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'in' | 'not in' | 'is' | 'is not';

interface Base {
  pos: SourcePosition;
}

export interface Constant extends Base {
  type: 'Constant';
  value: unknown;
}
export interface Name extends Base {
  type: 'Name';
  id: string;
}
export interface BoolOp extends Base {
  type: 'BoolOp';
  op: 'and' | 'or';
  values: Expr[];
}
export interface Not extends Base {
  type: 'Not';
  operand: Expr;
}
export interface UnaryOp extends Base {
  type: 'UnaryOp';
  op: '-' | '+' | '~';
  operand: Expr;
}
export interface BinOp extends Base {
  type: 'BinOp';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
export interface Compare extends Base {
  type: 'Compare';
  left: Expr;
  ops: CompareOp[];
  comparators: Expr[];
}
export interface IfExp extends Base {
  type: 'IfExp';
  test: Expr;
  body: Expr;
  orelse: Expr;
}
export interface Attribute extends Base {
  type: 'Attribute';
  value: Expr;
  attr: string;
}
export interface Subscript extends Base {
  type: 'Subscript';
  value: Expr;
  index: Expr;
}
export interface Slice extends Base {
  type: 'Slice';
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}
export interface Starred extends Base {
  type: 'Starred';
  value: Expr;
}
export interface Keyword {
  /** null for `**mapping` */
  name: string | null;
  value: Expr;
}
export interface Call extends Base {
  type: 'Call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}
export interface Sequence extends Base {
  type: 'List' | 'Tuple' | 'Set';
  elts: Expr[];
}
export interface Dict extends Base {
  type: 'Dict';
  /** null for `**mapping` entries */
  keys: (Expr | null)[];
  values: Expr[];
}
export interface Comprehension {
  target: Target;
  iter: Expr;
  ifs: Expr[];
}
export interface Comp extends Base {
  type: 'ListComp' | 'SetComp' | 'GeneratorExp';
  elt: Expr;
  generators: Comprehension[];
}
export interface DictComp extends Base {
  type: 'DictComp';
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}

/** A `for` target: a name, or a (possibly nested) unpacking with at most one starred name. */
export type Target =
  | { type: 'Name'; id: string; pos: SourcePosition }
  | { type: 'Unpack'; elts: Target[]; pos: SourcePosition }
  | { type: 'StarTarget'; target: Target; pos: SourcePosition };

export type Expr =
  | Constant
  | Name
  | BoolOp
  | Not
  | UnaryOp
  | BinOp
  | Compare
  | IfExp
  | Attribute
  | Subscript
  | Slice
  | Starred
  | Call
  | Sequence
  | Dict
  | Comp
  | DictComp;
