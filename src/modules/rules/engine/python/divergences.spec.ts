/**
 * Where the interpreter knowingly differs from CPython (README.md, "Differences from
 * CPython"): each row says what CPython does and checks what we do instead.
 */
import { PyError, compile, pyRepr } from './index';

function outcome(source: string, args: Record<string, unknown> = {}): string {
  try {
    return `= ${pyRepr(compile(source, Object.keys(args)).evaluate(args))}`;
  } catch (e) {
    if (e instanceof PyError) return `! ${e.pyType}`;
    throw e;
  }
}

describe('known differences from CPython', () => {
  it.each([
    // source, bindings, CPython, this interpreter
    ['1, 2', {}, 'a tuple holding the lambda (fedbadges then fails calling it)', '! SyntaxError'],
    ['True or undefined_name', {}, 'True: names are looked up when reached', '! NameError'],
    ['[].append(1)', {}, 'None (mutates a temporary list)', '! UnsupportedError'],
    [
      "msg['l'].append(1)",
      { msg: { l: [] } },
      'None, and the message changes',
      '! UnsupportedError',
    ],
    ["list({'b', 'a'})", {}, 'hash order, which varies between runs for str', "= ['b', 'a']"],
    ['list({3, 1, 2})', {}, '[1, 2, 3]: hash order of small ints', '= [3, 1, 2]'],
    ["'abc' is 'abc'", {}, 'True: equal constants are one object', '= False'],
    ['x is y', { x: 'abc', y: 'abc' }, 'False for strs decoded separately', '= False'],
    ['x is x', { x: 1000 }, 'True: the same object', '= False'],
    ['str(v)', { v: JSON.parse('3.0') as number }, "'3.0' (json.loads keeps the float)", "= '3'"],
    ['range(10 ** 20)', {}, 'range(0, 100000000000000000000)', '! OverflowError'],
    ["'x' * 10 ** 8", {}, 'a 100 MB str', '! MemoryError'],
    ["re.match('(?i:a)b', 'Ab')", {}, 'a match: scoped case-insensitivity', '! UnsupportedError'],
    ['(x for x in [1]).send', {}, 'a method of the generator', '! AttributeError'],
  ])('%s', (source, args, _cpython, expected) => {
    expect(outcome(source, args)).toBe(expected);
  });
});
