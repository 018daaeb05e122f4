/**
 * What is wrong with an expression is said once, when it is compiled, naming the
 * construct and where it is; what can only be known while evaluating is a Python
 * exception then.
 */
import { PyError, compile } from './index';

function compileError(source: string, params: string[] = ['msg', 'l', 'f']): PyError {
  try {
    compile(source, params);
  } catch (e) {
    if (e instanceof PyError) return e;
    throw e;
  }
  throw new Error(`${source} compiled`);
}

describe('compile-time errors name the construct and its position', () => {
  it.each([
    // source, pyType, message (substring), line, column
    ['lambda x: x', 'UnsupportedError', 'lambda expressions are not supported', 1, 1],
    ['f(lambda: 1)', 'UnsupportedError', 'lambda expressions are not supported', 1, 3],
    ['(l := 1)', 'UnsupportedError', 'assignment expressions (:=) are not supported', 1, 4],
    ['await f', 'UnsupportedError', 'await expressions are not supported', 1, 1],
    ['(yield 1)', 'UnsupportedError', 'yield expressions are not supported', 1, 2],
    ["f'{msg}'", 'UnsupportedError', 'f-strings are not supported', 1, 1],
    ["msg + rb'x'", 'UnsupportedError', 'bytes literals are not supported', 1, 7],
    ['2 + 1j', 'UnsupportedError', 'complex number literals are not supported', 1, 5],
    ['l[...]', 'UnsupportedError', 'the Ellipsis literal (...) is not supported', 1, 3],
    ["'\\N{EM DASH}'", 'UnsupportedError', '\\N{...} escapes are not supported', 1, 2],
    ['[x async for x in l]', 'UnsupportedError', 'async comprehensions are not supported', 1, 4],
    [
      '[x for x.y in l]',
      'UnsupportedError',
      'assigning to attributes or items in a comprehension target',
      1,
      9,
    ],
    ['msg.__class__', 'UnsupportedError', "special attribute '__class__' is not allowed", 1, 5],
    ["msg.get('a').__dict__", 'UnsupportedError', "special attribute '__dict__'", 1, 14],
    ['print(msg)', 'UnsupportedError', "the builtin 'print' is not supported", 1, 1],
    ["len(open('x'))", 'UnsupportedError', "the builtin 'open' is not supported", 1, 5],
    ['foo + 1', 'NameError', "name 'foo' is not defined", 1, 1],
    ["msg.get('a') + bar", 'NameError', "name 'bar' is not defined", 1, 16],
    ['[y for x in l]', 'NameError', "name 'y' is not defined", 1, 2],
    ['[x for x in l] + [x]', 'NameError', "name 'x' is not defined", 1, 19],
    ['(1 +\n   foo)', 'NameError', "name 'foo' is not defined", 2, 4],
    ['msg = 1', 'SyntaxError', "assignments are not expressions ('='); did you mean '=='?", 1, 5],
    ['l += [1]', 'SyntaxError', "assignments are not expressions ('+=')", 1, 3],
    ['1 +', 'SyntaxError', 'the expression ends too early', 1, 4],
    ['(1, 2', 'SyntaxError', "'(' was never closed", 1, 1],
    ['f(1, [2', 'SyntaxError', "'[' was never closed", 1, 6],
    ["'abc", 'SyntaxError', 'unterminated string literal', 1, 1],
    ["msg + '''abc\n", 'SyntaxError', 'unterminated triple-quoted string literal', 1, 7],
    ['1 2', 'SyntaxError', "unexpected '2'", 1, 3],
    ['msg l', 'SyntaxError', "unexpected 'l'", 1, 5],
    ['import os', 'SyntaxError', "'import' starts a statement", 1, 1],
    ['1 if msg', 'SyntaxError', "expected 'else' after 'if' expression", 1, 9],
    ['msg, l', 'SyntaxError', 'a bare tuple is not an expression body', 1, 4],
    ['*l', 'SyntaxError', "can't use starred expression here", 1, 1],
    ['f(x for x in l, 1)', 'SyntaxError', 'Generator expression must be parenthesized', 1, 3],
    ['f(a=1, 2)', 'SyntaxError', 'positional argument follows keyword argument', 1, 8],
    ['f(a=1, a=2)', 'SyntaxError', 'keyword argument repeated: a', 1, 8],
    ['[*l for l in f]', 'SyntaxError', 'iterable unpacking cannot be used in comprehension', 1, 1],
    ['[x for 1 in l]', 'SyntaxError', 'cannot assign to this in a comprehension target', 1, 8],
    ['[x for x l]', 'SyntaxError', "expected 'in' after the 'for' target", 1, 10],
    ['msg.if', 'SyntaxError', "expected an attribute name after '.'", 1, 5],
    ['0123', 'SyntaxError', 'leading zeros in decimal integer literals are not permitted', 1, 1],
    ['1_', 'SyntaxError', 'invalid decimal literal', 1, 2],
    ['msg $ 1', 'SyntaxError', "invalid character '$'", 1, 5],
    ['msg ! l', 'SyntaxError', "invalid syntax: '!'", 1, 5],
    [
      'msg\n+ 1',
      'SyntaxError',
      'a line break outside brackets ends the expression too early',
      1,
      4,
    ],
    ['msg; l', 'SyntaxError', "';' separates statements", 1, 4],
    ['', 'SyntaxError', 'empty expression', 1, 1],
    ['   # a comment only', 'SyntaxError', 'empty expression', 1, 20],
    ["'😀' + x", 'NameError', "name 'x' is not defined", 1, 7],
  ])('%j: %s', (source, pyType, message, line, column) => {
    const error = compileError(source);
    expect({
      pyType: error.pyType,
      line: error.position?.line,
      column: error.position?.column,
    }).toEqual({
      pyType,
      line,
      column,
    });
    expect(error.pyMessage).toContain(message);
    expect(error.message).toBe(`${pyType}: ${error.pyMessage} (line ${line}, column ${column})`);
  });

  it.each([
    [['1msg'], 'invalid parameter name "1msg"'],
    [['for'], 'invalid parameter name "for"'],
    [['a b'], 'invalid parameter name "a b"'],
    [['msg', 'msg'], "duplicate parameter name 'msg'"],
  ])('refuses the parameters %j', (params, message) => {
    const error = compileError('1', params);
    expect(error.pyType).toBe('SyntaxError');
    expect(error.pyMessage).toBe(message);
  });

  it('accepts line breaks around the expression and inside brackets', () => {
    expect(
      compile('\n  msg.get(\n    "a",\n    1,\n  )  # comment\n\n', ['msg']).evaluate({ msg: {} }),
    ).toBe(1);
    expect(compile('msg \\\n  + 1', ['msg']).evaluate({ msg: 1 })).toBe(2);
  });
});

describe('run-time errors are Python exceptions naming what failed', () => {
  const msg = { msg: { user: null, builds: [], count: 3 } };

  it.each([
    ["msg['msg']['group']", 'KeyError', "'group'"],
    [
      "msg['msg']['user'].get('name')",
      'AttributeError',
      "'NoneType' object has no attribute 'get'",
    ],
    ["msg['msg']['builds'][0]", 'IndexError', 'list index out of range'],
    [
      "msg['msg']['count'] + 'x'",
      'TypeError',
      "unsupported operand type(s) for +: 'int' and 'str'",
    ],
    ["'x' + msg['msg']['count']", 'TypeError', 'can only concatenate str (not "int") to str'],
    ["msg['msg']['count'] / 0", 'ZeroDivisionError', 'division by zero'],
    ["int('x')", 'ValueError', "invalid literal for int() with base 10: 'x'"],
    ["msg['msg']['user']()", 'TypeError', "'NoneType' object is not callable"],
    ['len(msg, 2)', 'TypeError', 'len() takes at most 1 argument (2 given)'],
    ['sorted(msg, nope=1)', 'TypeError', "sorted() got an unexpected keyword argument 'nope'"],
    [
      "msg['msg'].pop('user')",
      'UnsupportedError',
      'dict.pop() is not supported: expressions cannot modify values',
    ],
    ["msg['msg']['builds'].append(1)", 'UnsupportedError', 'list.append() is not supported'],
    ["'x'.encode()", 'UnsupportedError', 'str.encode() is not supported: bytes are not supported'],
    ["type('X', (), {})", 'UnsupportedError', 'type() with three arguments'],
    ['(-8) ** (1 / 3)', 'UnsupportedError', 'complex numbers are not supported'],
    ["re.match('(?>a)', 'a')", 'UnsupportedError', 'atomic groups (?>...) are not supported'],
    ["re.match('a++', 'a')", 'UnsupportedError', 'possessive quantifiers are not supported'],
    [
      "re.match('(?i:a)b', 'Ab')",
      'UnsupportedError',
      'a scoped (?i:...) or (?-i:...) group is not supported',
    ],
    ["re.match('(?(1)a|b)', 'a')", 'UnsupportedError', 'conditional groups'],
    [
      'json.dumps(msg, default=str)',
      'UnsupportedError',
      'json.dumps(default=...) is not supported',
    ],
    ["re.match('(', '')", 're.error', 'missing ), unterminated subpattern'],
    [
      'json.loads("{")',
      'JSONDecodeError',
      'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
    ],
    ['next(iter([]))', 'StopIteration', ''],
    ['[a for a, b in [(1, 2, 3)]]', 'ValueError', 'too many values to unpack (expected 2)'],
    ['[x for y in [1] for x in [x]]', 'UnboundLocalError', "cannot access local variable 'x'"],
  ])('%s raises %s', (source, pyType, message) => {
    let error: unknown;
    try {
      compile(source, ['msg']).evaluate({ msg });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PyError);
    expect((error as PyError).pyType).toBe(pyType);
    expect((error as PyError).pyMessage).toContain(message);
    expect((error as PyError).position).toBeUndefined();
  });
});
