"""Hand-written expressions for the CPython comparison table.

Each group shares its parameter bindings. Values must survive JSON (see generate.py for
the encoding of tuples, sets, non-str dict keys, integral floats and host objects).
"""
from hosts import Message, Query
from samples import HISTORIES, MESSAGES

CASES = []


def group(name, exprs, **bindings):
    for expr in exprs:
        CASES.append((name, expr, bindings))


group("literals", [
    "42", "-17", "0", "1_000_000", "0x1F", "0o17", "0b101", "0XfF", "00",
    "3.5", "1.", ".5", "1e3", "1E-5", "2.5e-3", "1_0.0_1", "1e16", "1e22", "123456789012345678",
    "2**53 + 1", "10**20", "-10**20", "1e308 * 10", "-1e308 * 10",
    "'single'", '"double"', "'''triple\nquoted'''", '"""tri"ple"""', "'it\\'s'", '"say \\"hi\\""',
    "'tab\\there'", "'\\x41\\u00e9\\U0001F600'", "'\\101\\0'", "'a\\\nb'", "r'raw\\n'", "R'C:\\dir'",
    "r'\\''", "'con' 'cat' \"enated\"", "u'unicode'", "'\\q'",
    "True", "False", "None", "[]", "[1, 'a', None]", "()", "(1,)", "(1, 2)",
    "{}", "{'a': 1, 'b': [2, 3]}", "{1: 'one', 2.5: 'x', None: 0, (1, 2): 't'}", "{1, 2, 2, 3}",
    "{'a': 1, 'a': 2}", "{1: 'int', 1.0: 'float', True: 'bool'}", "[1, 2,]", "{'k': 1,}",
    "[*[1, 2], *(3,)]", "(*'ab', 'c')", "{*[1, 2], 3}", "{**{'a': 1}, 'b': 2, **{'a': 3}}",
    "[[1, [2, [3, []]]]]",
])

group("arithmetic", [
    "1 + 2", "7 - 10", "6 * 7", "7 / 2", "6 / 3", "7 // 2", "-7 // 2", "7 // -2", "-7 // -2",
    "7 % 3", "-7 % 3", "7 % -3", "-7 % -3", "0 % 5", "7.5 // 2", "-7.5 // 2", "7.5 % 2", "-7.5 % 2",
    "7.5 % -2", "-0.0 % 5", "5 % -0.5", "1 / 3", "2 ** 10", "2 ** -1", "(-2) ** 3", "-2 ** 2",
    "2 ** 3 ** 2", "2.0 ** 0.5", "4 ** 0.5", "0 ** 0", "0.0 ** 0", "10 ** 18 * 10", "2 ** 64 - 1",
    "-(2 ** 63)", "(2 ** 64) // 3", "(2 ** 64) % 7", "-(2 ** 64) // 3", "(2 ** 70) / 2 ** 68",
    "True + True", "True * 3", "-True", "+False", "~5", "~True", "~-1", "1 + 2.5", "3 * 1.5", "0.1 + 0.2",
    "1e16 + 1", "6 & 3", "6 | 3", "6 ^ 3", "True & False", "True | 0", "1 << 70", "-16 >> 2", "2 ** 100 >> 90",
    "1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "1.0 // 0.0", "1.5 % 0", "0 ** -1", "0.0 ** -2",
    "2.0 ** 10000", "10 ** 400 * 1.0", "'a' + 'b'", "'ab' * 3", "3 * 'ab'", "'ab' * 0", "'ab' * -2",
    "[1] * 3", "[1, 2] + [3]", "(1,) + (2,)", "(1, 2) * 2", "'a' * True", "'a' + 1", "1 + 'a'",
    "[1] + (2,)", "(1,) + [2]", "'a' * 1.5", "'a' * 'b'", "[1] - [1]", "None + 1", "{1} | {2}",
    "{1, 2} & {2, 3}", "{1, 2} - {2}", "{1, 2} ^ {2, 3}", "{'a': 1} | {'b': 2}", "-'a'", "~1.5",
    "1 << -1", "divmod(7, 2)", "divmod(-7, 2)", "divmod(7.5, -2)", "divmod(1, 0)", "pow(2, 10)",
    "pow(2, 10, 1000)", "pow(3, 4, -5)", "pow(2.0, 3)", "abs(-3)", "abs(-2.5)", "abs(True)", "abs('x')",
])

group("comparisons", [
    "1 < 2 < 3", "1 < 3 < 2", "3 > 2 > 1 > 0", "1 == 1.0", "1 == True", "0 == False", "2 == True",
    "1 != 1.0", "'a' < 'b'", "'a' < 'B'", "'abc' < 'abd'", "'ab' < 'abc'", "'' < 'a'", "'é' > 'z'",
    "[1, 2] < [1, 3]", "[1, 2] < [1, 2, 0]", "(1, 'a') < (1, 'b')", "(2,) > (1, 99)",
    "[1, 2] == [1, 2]", "[1, 2] == (1, 2)", "(1, 2) == (1, 2.0)", "{'a': 1} == {'a': 1.0}",
    "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", "{1, 2} == {2, 1}", "{1, 2} < {1, 2, 3}", "{1, 2} <= {1, 2}",
    "{1, 2} > {1}", "{1, 2} >= {3}", "None == None", "None == 0", "None == []", "[] == []",
    "1 < 'a'", "None < 1", "[1] < (1,)", "{} < {}", "[1, 'a'] < [1, 2]", "1 < 2 < 'a'", "3 < 2 < 'a'",
    "float('nan') == float('nan')", "float('nan') != float('nan')", "float('inf') > 10 ** 300",
    "2 ** 64 == 2.0 ** 64", "2 ** 53 + 1 == 2.0 ** 53 + 1", "2 ** 64 > 1e19", "-0.0 == 0",
    "'1' == 1", "range(3) == range(0, 3)", "range(0) == range(5, 2)",
])

group("identity", [
    "x is 1", "x is not 1", "y is 257", "y == 257", "n is None", "n is not None", "t is True",
    "x is True", "t == 1", "[] is []", "lst is lst", "lst is not lst", "() is ()", "x is x",
    "neg is -5", "neg2 is -6", "small is 256", "'a' is 'a'", "s is 'x'",
], x=1, y=257, n=None, t=True, lst=[1], neg=-5, neg2=-6, small=256, s="x")

group("boolean", [
    "1 and 2", "0 and 2", "1 or 2", "0 or 2", "'' or 'default'", "[] or {}", "None and 1/0",
    "1 or 1/0", "not 0", "not []", "not 'a'", "not None", "x and y or z", "x or y and z",
    "not x == y", "(not x) == y", "[] and []", "0 or '' or None", "1 and 'a' and [0]",
    "bool(0.0)", "bool(-0.0)", "bool('0')", "bool([0])", "bool({})", "bool(set())",
    "bool(())", "bool(range(0))", "bool(float('nan'))", "not not 'x'",
], x=0, y=[], z="z")

group("membership", [
    "'a' in 'cat'", "'at' in 'cat'", "'' in 'cat'", "'x' not in 'cat'", "1 in [1, 2]", "1.0 in [1, 2]",
    "True in [1]", "[1] in [[1], 2]", "(1,) in [(1,), 2]", "'a' in {'a': 1}", "1 in {'a': 1}",
    "'k' in d", "'z' in d", "'k' in d.keys()", "1 in d.values()", "('k', 1) in d.items()",
    "3 in range(10)", "10 in range(10)", "4 in range(0, 10, 2)", "5 in range(0, 10, 2)",
    "-3 in range(0, -10, -3)", "2.0 in range(3)", "1 in {1, 2}", "1 in (1, 2)", "1 in 'abc'",
    "[] in {'a': 1}", "'a' in None", "'a' in 5", "None in [None]", "'ab' in ['a', 'b']",
], d={"k": 1})

group("subscripts", [
    "l[0]", "l[-1]", "l[-5]", "l[5]", "l[1:3]", "l[:2]", "l[2:]", "l[-2:]", "l[:-2]", "l[::2]",
    "l[::-1]", "l[3:0:-1]", "l[-1:-4:-1]", "l[10:]", "l[-100:2]", "l[1:1]", "l[::0]", "l[True]",
    "l['a']", "l[1.0]", "l[None:None:None]", "l[:: -2]", "t[1]", "t[::-1]", "t[5]", "s[0]",
    "s[-1]", "s[1:4]", "s[::-1]", "s[10]", "s[::3]", "u[1]", "u[::-1]", "len(u)", "d['a']", "d['missing']",
    "d[0]", "d['nested']['x']", "d['nested']['y']", "d[['list']]", "n[0]", "5[0]", "range(10)[3]",
    "range(10)[-1]", "list(range(10)[2:8:3])", "range(3)[5]", "{'a': 1}['a']", "[[1, 2], [3]][1][0]",
    "l[1:3][0]", "'abc'[1:][0]", "l[0:5:2][1]", "d['__proto__']", "e['__proto__']", "e['constructor']",
    "d.get('constructor')", "d.get('__proto__', 'absent')", "d.get('toString', 0)", "l[1, 2]",
], l=[0, 1, 2, 3, 4], t=(10, 20, 30), s="hello", u="a\U0001F600b",
   d={"a": 1, "nested": {"x": [1, 2]}}, e={"__proto__": "own", "constructor": None}, n=None)

group("conditional", [
    "'big' if x > 10 else 'small'", "'big' if x > 1 else 'small'", "1 if x else 1/0",
    "x if x else y if y else 'neither'", "(1 if False else 2) + 3", "[i if i % 2 else -i for i in range(5)]",
], x=5, y=0)

group("comprehensions", [
    "[i * 2 for i in range(5)]", "[i for i in range(10) if i % 3 == 0]",
    "[i for i in range(10) if i % 2 if i > 4]", "[(i, j) for i in range(3) for j in range(i)]",
    "[c for word in ['ab', 'cd'] for c in word]", "{i % 3 for i in range(10)}",
    "{k: v for k, v in [('a', 1), ('b', 2)]}", "{v: k for k, v in d.items()}",
    "sorted({x for x in 'hello'})", "list(x * x for x in range(4))", "sum(x for x in range(101))",
    "[x for x in l]", "x", "[x for x in range(3)] + [x]", "[y for x in l for y in [x, x]]",
    "[[j for j in range(i)] for i in range(4)]", "[i for i in [i * 10 for i in range(3)]]",
    "[a + b for a, b in zip('ab', 'cd')]", "[(a, rest) for a, *rest in [(1, 2, 3), (4,)]]",
    "[(a, b, c) for (a, b), c in [((1, 2), 3)]]", "[k for k in d]", "{k for k in d.values()}",
    "[x for y in [1] for x in [x]]", "[a for a, b in [(1, 2, 3)]]", "[a for a, b in [(1,)]]",
    "[a for a, b in [1]]", "[a for a, *b, c in [(1,)]]", "any(x > 2 for x in l)", "all(x > 0 for x in l)",
    "any(1 / x for x in [1, 0])", "next(x for x in l if x > 1)", "next((x for x in l if x > 100), 'none')",
    "list((yield_ for yield_ in 'ab'))", "[i for i in 5]", "(i for i in 5)", "dict((k, len(k)) for k in ['a', 'bb'])",
    "len([m for m in d if d[m] > 1])", "[x for x in range(3) if x in l]",
], x="outer", l=[1, 2, 3], d={"a": 1, "b": 2})

group("percent-format", [
    "'%s' % 'a'", "'%s and %s' % ('a', 'b')", "'%d' % 42", "'%d' % 3.99", "'%d' % -3.99", "'%i' % True",
    "'%5d|' % 42", "'%-5d|' % 42", "'%05d' % 42", "'%+d' % 42", "'% d' % 42", "'%.3d' % 7", "'%x' % 255",
    "'%X' % 255", "'%#x' % 255", "'%o' % 8", "'%#o' % 8", "'%e' % 12345.678", "'%E' % 0.00012",
    "'%f' % 3.14159", "'%.2f' % 2.675", "'%.0f' % 0.5", "'%.0f' % 1.5", "'%.1f' % 0.25", "'%10.3f|' % -3.14159",
    "'%-10.2f|' % 2.5", "'%010.2f' % -2.5", "'%g' % 0.0001", "'%g' % 0.00001", "'%g' % 1234567.0",
    "'%.3g' % 1234.5", "'%#g' % 2.0", "'%G' % 1e-20", "'%r' % 'quote'", "'%r' % [1, 'a']", "'%s' % [1, 'a']",
    "'%s' % (1,)", "'%s' % ((1, 2),)", "'%c' % 65", "'%c' % 'z'", "'%%'% ()", "'100%% sure' % ()",
    "'%(name)s is %(age)d' % {'name': 'Ann', 'age': 30}", "'%(a)s %(a)r' % {'a': 'x'}", "'%s' % {'a': 1}",
    "'%*d' % (5, 42)", "'%.*f' % (2, 3.14159)", "'%s %s' % ('only',)", "'%s' % ('a', 'b')", "'%d' % 'x'",
    "'%x' % 2.5", "'%(missing)s' % {'a': 1}", "'%(a)s' % ('tuple',)", "'%z' % 1", "'abc%' % ()",
    "'hi' % []", "'hi' % 5", "'%s' % None", "'%s' % True", "'%d' % True", "'%.2s' % 'abcdef'",
    "'%5s|%-5s|' % ('ab', 'cd')", "'%f' % float('inf')", "'%f' % float('nan')", "'%.2f' % -0.0",
    "'%s' % 1.0", "'%s' % 1e16", "'%s' % 0.1", "'%r' % 'it\\'s'", "'%a' % 'é'", "'%d%%' % 50",
    "'%s' % 10**20", "'%d' % 10**20", "'%x' % -255", "'%.1e' % 9.96", "'%.2e' % 0",
])

group("str-format", [
    "'{} {}'.format('a', 'b')", "'{1} {0}'.format('a', 'b')", "'{name}'.format(name='x')",
    "'{0} {0}'.format('r')", "'{:>5}|'.format('ab')", "'{:<5}|'.format('ab')", "'{:^6}|'.format('ab')",
    "'{:*^7}'.format('ab')", "'{:05d}'.format(42)", "'{:+d}'.format(42)", "'{: d}'.format(-42)",
    "'{:,}'.format(1234567)", "'{:_}'.format(1234567)", "'{:,.2f}'.format(1234567.891)", "'{:.2f}'.format(2.675)",
    "'{:.3}'.format(3.14159)", "'{:.3}'.format(1234.5)", "'{:e}'.format(0.000123)", "'{:g}'.format(1e-5)",
    "'{:%}'.format(0.25)", "'{:.1%}'.format(0.1234)", "'{:x}'.format(255)", "'{:#x}'.format(255)", "'{:#b}'.format(5)",
    "'{:o}'.format(8)", "'{:X}'.format(3054)", "'{:c}'.format(97)", "'{!r}'.format('a')", "'{!s}'.format(1.5)",
    "'{!a}'.format('é')", "'{0[0]}'.format(['x', 'y'])", "'{0[k]}'.format({'k': 'v'})", "'{d[k]}'.format(d={'k': 1})",
    "'{{}} {}'.format(1)", "'{}'.format(None)", "'{}'.format(True)", "'{:d}'.format(True)", "'{:>5}'.format(True)",
    "'{}'.format(1.0)", "'{}'.format([1, 2])", "'{:10}|'.format(3)", "'{:10}|'.format('s')", "'{:=+8}'.format(-3)",
    "'{:08.3f}'.format(-3.14159)", "'{:{}}'.format('x', 4)", "'{:{w}.{p}f}'.format(3.14159, w=8, p=2)",
    "'{} {}'.format(1)", "'{0} {}'.format(1, 2)", "'{x}'.format(y=1)", "'{'.format()", "'}'.format()",
    "'{:d}'.format(1.5)", "'{:s}'.format(1)", "'{:,d}'.format(-1234)", "'{:010,}'.format(1234)",
    "'{:>{}}'.format('r', 3)", "format(3.5)", "format(3.5, '.0f')",
    "format(4.5, '.0f')", "format(255, 'x')", "format('ab', '>4')", "format(1e100, '')", "format(None, '>3')",
    "'{:n}'.format(1234)", "'{:.0e}'.format(12345)", "'{:g}'.format(100000.0)", "'{:g}'.format(1000000.0)",
    "'{:.2g}'.format(0.000125)", "'{:#.3g}'.format(1)", "'{0}'.format(*['star'])", "'{a}'.format(**{'a': 'kw'})",
    "'{0:{1}}'.format(12, '>5')", "'{}'.format(2 ** 70)", "'{:,}'.format(2 ** 70)", "'{:.2f}'.format(1e20)",
    "'{:.1f}'.format(0.05)", "'{:.1f}'.format(0.15)", "'{:.1f}'.format(0.25)", "'{:.1f}'.format(0.35)",
    "'{:f}'.format(1e-7)", "'{}'.format(1e-7)", "'{}'.format(123456789.123456789)", "'{:g}'.format(float('inf'))",
    "'{:F}'.format(float('nan'))", "'{:+}'.format(0.0)", "'{:+}'.format(-0.0)",
])

group("repr-str", [
    "str(1)", "str(1.0)", "str(-0.0)", "str(1e16)", "str(1.5e-7)", "str(0.1)", "str(1/3)", "str(2/3)",
    "str(1e15)", "str(123456789012345.6)", "str(1e-4)", "str(1e-5)", "str(float('inf'))", "str(float('-inf'))",
    "str(float('nan'))", "str(None)", "str(True)", "str([1, 'a', None, 2.0])", "str((1,))", "str(())",
    "str({'a': [1]})", "str({1: 2})", "str(set())", "str({1})", "str(frozenset())", "str(frozenset({1}))",
    "repr('a')", "repr(\"it's\")", "repr('it\\'s \"q\"')", "repr('tab\\tnew\\nline')", "repr('\\x00\\x7f')",
    "repr('é\\u200b\\U0001F600')", "repr('\\\\')", "repr([['x']])", "repr(range(3))", "repr(range(1, 10, 2))",
    "repr({'k': (1, 2)})", "str(2 ** 80)", "repr(-2 ** 80)", "str(10 ** 16 / 3)", "str(2.5e300 * 1e10)",
    "repr(1e300 * 1e300 - 1e300 * 1e300)", "str(12345678.9)", "str(0.000123)", "str(100.0)", "str(1e21)",
    "repr(d)", "str(d['nested'])", "ascii('é')", "ascii(['ü'])", "repr(len)", "repr(int)",
], d={"b": 1, "a": {"z": None}, "nested": [True, 1.5]})

group("builtins", [
    "len('héllo')", "len([1, 2])", "len({'a': 1})", "len(range(0, 10, 3))", "len(5)", "len(None)", "len(())",
    "any([])", "all([])", "any([0, '', 1])", "all([1, 'a', []])", "any('')", "all('abc')",
    "sum([1, 2, 3])", "sum([1.5, 2.5])", "sum([], 10)", "sum([[1], [2]], [])", "sum(['a'])", "sum([1], 'a')",
    "sum([True, True])", "sum(range(1, 11))", "sum([0.1] * 10)", "sum((1, 2), start=5)",
    "min([3, 1, 2])", "max([3, 1, 2])", "min(3, 1, 2)", "max('abc')", "max([], default='empty')", "max([])",
    "min([])", "max(['aa', 'b', 'ccc'], key=len)", "min(['aa', 'b', 'cc'], key=len)", "max([1, 1.0])", "max([1.0, 1])",
    "max([(1, 'b'), (1, 'a')])", "max(1, 'a')", "min([[2], [1, 5]])", "max(d, key=d.get)", "max(d.values())",
    "sorted([3, 1, 2])", "sorted([3, 1, 2], reverse=True)", "sorted('bca')", "sorted(['b', 'A', 'c'])",
    "sorted(['b', 'A', 'c'], key=str.lower)", "sorted(['bb', 'a', 'ccc', 'dd'], key=len)",
    "sorted(['bb', 'a', 'ccc', 'dd'], key=len, reverse=True)", "sorted([(1, 'b'), (0, 'z'), (1, 'a')])",
    "sorted(d)", "sorted(d.items())", "sorted(d, key=d.get, reverse=True)", "sorted([1, 'a'])", "sorted([2, 1.5, True])",
    "sorted({3, 1, 2})", "sorted(x for x in [2, 1])", "list(reversed([1, 2, 3]))", "list(reversed('abc'))",
    "list(reversed(range(3)))", "list(reversed(d))", "reversed({1})", "list(enumerate('ab'))", "list(enumerate('ab', 5))",
    "list(zip([1, 2, 3], 'ab'))", "list(zip())", "list(zip('a', 'b', 'c'))", "list(zip([1, 2], [1], strict=True))",
    "list(map(str, [1, 2]))", "list(map(len, ['a', 'bb']))", "list(map(max, [1, 5], [4, 2]))", "list(filter(None, [0, 1, '', 'a']))",
    "list(filter(str.isdigit, ['1', 'a', '22']))", "list(range(5))", "list(range(2, 5))", "list(range(10, 0, -3))",
    "list(range(0))", "range(1, 2, 0)", "range(1.5)", "list(range(-3))", "set([1, 2, 2])", "set('aab') == {'a', 'b'}",
    "list('abc')", "list({'a': 1, 'b': 2})", "list(d.items())", "tuple([1, 2])", "tuple('ab')", "dict([('a', 1), ('b', 2)])",
    "dict(a=1, b=2)", "dict({'a': 1}, b=2)", "dict([('a', 1, 2)])", "dict(zip('ab', [1, 2]))", "frozenset([1, 1]) == {1}",
    "str()", "str(42)", "int()", "int('42')", "int(' -17 ')", "int('1_000')", "int('0x1f', 16)",
    "int('0x1f', 0)", "int('z', 36)", "int('11', 2)", "int('3.5')", "int(3.9)", "int(-3.9)", "int(True)", "int(None)",
    "int('')", "int('１２')", "int(1e20)", "int('12', 1)", "float('3.5')", "float(' 1e3 ')", "float('inf')", "float('-Infinity')",
    "float('nan') != float('nan')", "float(3)", "float('1_0.5')", "float('abc')", "float(True)", "float(None)", "float(2 ** 64)",
    "bool()", "bool('False')", "round(2.5)", "round(3.5)", "round(-2.5)", "round(2.675, 2)", "round(1.25, 1)",
    "round(1.35, 1)", "round(1234.5678, -2)", "round(1234, -2)", "round(1250, -2)", "round(1350, -2)", "round(7)",
    "round(7, 2)", "round(0.5)", "round(1.5)", "round(float('inf'))", "round(2.5, 0)", "round(-0.4)",
    "isinstance(1, int)", "isinstance(True, int)", "isinstance(1, bool)", "isinstance(1.0, float)", "isinstance(1, float)",
    "isinstance('a', str)", "isinstance([], list)", "isinstance((), tuple)", "isinstance({}, dict)", "isinstance(d, dict)",
    "isinstance(set(), set)", "isinstance(1, (str, int))", "isinstance(None, (str, list))", "isinstance(1, 'int')",
    "type(1) == int", "type(True) is bool", "type('a') is str", "type(1.0) == float", "type([]) is list", "type(d) is dict",
    "chr(65)", "chr(0x1F600)", "chr(-1)", "ord('A')", "ord('é')", "ord('ab')", "ord('')", "hex(255)", "hex(-255)",
    "oct(8)", "bin(5)", "bin(-5)", "hex(2 ** 70)", "hex(1.5)", "repr(1.5)", "callable(len)", "callable(1)", "callable(str)",
    "next(iter([1, 2]))", "next(iter([]), 'd')", "next(iter([]))", "next([1])", "list(iter('ab'))",
    "getattr('abc', 'upper')()", "getattr(1, 'nope', 'fallback')", "getattr(1, 'nope')", "hasattr('', 'strip')",
    "hasattr(1, 'strip')", "divmod(2 ** 70, 7)", "pow(2, -2)", "l[slice(1, 3)]",
    "l[slice(None, None, -1)]", "format(1234.5, ',')", "max(l, key=abs)",
], d={"b": 2, "a": 3, "c": 1}, l=[3, -7, 2])

group("str-methods", [
    "s.startswith('Hel')", "s.startswith('hel')", "s.startswith(('x', 'He'))", "s.startswith('lo', 3)",
    "s.startswith('', 100)", "s.startswith('')", "s.endswith('!')", "s.endswith(('?', '!'))", "s.endswith('lo', 0, 5)",
    "s.startswith(1)", "s.startswith(['H'])", "s.lower()", "s.upper()", "'ß'.upper()", "'İ'.lower()", "s.title()",
    "\"they're bill's\".title()", "'hello world'.capitalize()", "'hELLO'.swapcase()", "'  pad  '.strip()",
    "'  pad  '.lstrip()", "'  pad  '.rstrip()", "'xxpadxx'.strip('x')", "'abcba'.strip('ab')", "'\\t\\n x \\x1c'.strip()",
    "'\\ufeffx'.strip()", "'a,b,,c'.split(',')", "'a b  c '.split()", "'  a b  '.split(None, 1)", "'a,b,c'.split(',', 1)",
    "'a,b,c'.rsplit(',', 1)", "'  a b  c  '.rsplit(None, 1)", "''.split(',')", "''.split()", "'abc'.split('')",
    "'a\\nb\\r\\nc'.splitlines()", "'a\\nb\\n'.splitlines(True)", "'a\\x1cb'.splitlines()", "'aaa'.replace('a', 'b')",
    "'aaa'.replace('a', 'b', 2)", "'abc'.replace('', '-')", "'abc'.replace('', '-', 2)", "'abc'.replace('x', 'y')",
    "'-'.join(['a', 'b'])", "', '.join('abc')", "''.join([])", "'-'.join([1, 2])", "'-'.join(d)", "'x'.join(('a',))",
    "'banana'.count('a')", "'banana'.count('an')", "'banana'.count('')", "'banana'.count('a', 2)", "'banana'.count('a', -2)",
    "'banana'.find('n')", "'banana'.find('n', 3)", "'banana'.find('x')", "'banana'.rfind('n')", "'banana'.index('nan')",
    "'banana'.index('x')", "'banana'.rindex('a')", "'a😀b'.find('b')", "'banana'.find('', 6)", "'banana'.find('', 7)",
    "'key=value=x'.partition('=')", "'key=value=x'.rpartition('=')", "'none'.partition('=')", "'none'.rpartition('=')",
    "'42'.zfill(5)", "'-42'.zfill(5)", "'abc'.ljust(5, '*')", "'abc'.rjust(5)", "'abc'.center(8, '.')", "'ab'.center(5)",
    "'abc'.center(6)", "'abc'.ljust(2)", "'ab'.ljust(5, 'xy')", "'123'.isdigit()", "'12a'.isdigit()", "''.isdigit()",
    "'²'.isdigit()", "'²'.isdecimal()", "'abc'.isalpha()", "'abé'.isalpha()", "'ab1'.isalnum()", "' \\t'.isspace()",
    "'abc'.islower()", "'aBc'.islower()", "'ABC1'.isupper()", "'123'.islower()", "'Hello World'.istitle()",
    "'Hello world'.istitle()", "'prefix_body'.removeprefix('prefix_')", "'body.txt'.removesuffix('.txt')",
    "'abc'.removeprefix('x')", "'abc'.isascii()", "'é'.isascii()", "'{} {}'.format(*'ab')", "'%s'.format(1)",
    "s.nosuch()", "s.upper(1)", "'abc'.split(maxsplit=1, sep='b')",
], s="Hello, World!", d={"k1": 1, "k2": 2})

group("dict-methods", [
    "d.get('a')", "d.get('zzz')", "d.get('zzz', 0)", "d.get('zzz', {}).get('x', 'deep')", "d.keys()", "d.values()",
    "d.items()", "list(d.keys())", "list(d.values())", "list(d.items())", "len(d.keys())", "'a' in d.keys()",
    "d.keys() == {'a', 'b', 'n'}", "d.keys() | {'x'} == {'a', 'b', 'n', 'x'}", "d.keys() & {'a'}", "sorted(d.keys() - {'a'})",
    "d.items() == {'a': 1, 'b': [2], 'n': None}.items()", "d.copy() == d", "dict.fromkeys('ab', 0)", "d['n'] is None",
    "d.get('n', 'default')", "d.get()", "d.get('a', 1, 2)", "d.nope", "{}.get('x')",
    "list({1: 'a', 'b': 2}.items())", "d.get(['unhashable'])", "d.get(('t',))", "len(d)",
], d={"a": 1, "b": [2], "n": None})

group("list-methods", [
    "l.count(1)", "l.count(1.0)", "l.count('x')", "l.index(2)", "l.index(1, 1)", "l.index(9)", "l.copy()",
    "t.count(1)", "t.index('b')", "t.index('z')", "[1, [2]].index([2])",
], l=[1, 2, 1, 3, True], t=(1, "b", 1))

group("sets", [
    "s | {4}", "s & {2, 9}", "s - {1}", "s ^ {1, 9}", "s.union([5], (6,))", "s.intersection([1, 2, 8])",
    "s.difference({1})", "s.symmetric_difference([3, 4])", "s.issubset([1, 2, 3, 4])", "s.issuperset({1})",
    "s.isdisjoint({7})", "len(s)", "2 in s", "[2] in s", "{[1]}", "set() == frozenset()", "{1, 2} == frozenset([1, 2])",
    "sorted(s)", "{1, 2} | frozenset({3}) == {1, 2, 3}", "max(s)", "sum(s)", "{(1, 2), (1, 2)}",
    "{1, 1.0, True}", "{0, False, 0.0}", "len({'a', 'b', 'a'})",
], s={1, 2, 3})

group("json", [
    "json.dumps(d)", "json.dumps(d, sort_keys=True)", "json.dumps(d, indent=2)", "json.dumps(d, separators=(',', ':'))",
    "json.dumps([1, 2.5, None, True, 'é'])", "json.dumps('é', ensure_ascii=False)", "json.dumps('\\x7f\\n\\t\"\\\\/')",
    "json.dumps(1.0)", "json.dumps(10 ** 20)", "json.dumps(float('nan'))", "json.dumps(float('inf'))", "json.dumps((1, 2))",
    "json.dumps({1: 'a', 2.5: 'b', True: 'c', None: 'd'})", "json.dumps({(1, 2): 'x'})", "json.dumps({1, 2})",
    "json.dumps([])", "json.dumps({})", "json.dumps({'a': []}, indent=2)", "json.dumps([1, [2]], indent='--')",
    "json.dumps(float('nan'), allow_nan=False)", "json.dumps('😀')", "json.dumps(d, indent=0)",
    "json.loads('{\"a\": [1, 2.0, null, true], \"b\": \"\\\\u00e9\"}')", "json.loads('1.0')", "json.loads('100000000000000000000')",
    "json.loads('\"x\"')", "json.loads('[1, 2')", "json.loads('{\"a\": 1,}')", "json.loads('NaN')", "json.loads(' [] ')",
    "json.loads('{\"a\": 1, \"a\": 2}')", "json.loads('\"\\\\ud83d\\\\ude00\"')", "json.loads('01')", "json.loads(5)",
    "json.loads(json.dumps(d)) == d", "json.loads('-0')", "json.loads('1e2')", "json.loads('[1] x')",
    "json.dumps(json.loads('{\"z\": 1, \"a\": 2}'))",
], d={"name": "Ann", "tags": ["a", "b"], "n": 1, "f": 1.5, "none": None, "ok": True})

group("re", [
    "re.match(r'\\d+', '123abc').group()", "re.match(r'\\d+', 'abc123')", "re.search(r'\\d+', 'abc123').group()",
    "re.fullmatch(r'\\d+', '123')", "re.fullmatch(r'\\d+', '123a')", "re.fullmatch(r'a|ab', 'ab').group()",
    "bool(re.match('a', 'a'))", "bool(re.match('b', 'a'))", "re.match('(a)(b)?', 'ac').groups()",
    "re.match('(a)(b)?', 'ac').groups('-')", "re.match('(a)(b)?', 'ab').group(0, 1, 2)", "re.match('(a)(b)?', 'ac').group(2)",
    "re.match(r'(?P<user>\\w+)@(?P<host>[\\w.]+)', 'bob@fp.org').groupdict()",
    "re.match(r'(?P<user>\\w+)@(?P<host>[\\w.]+)', 'bob@fp.org').group('host')",
    "re.match(r'(?P<x>a)(?P=x)', 'aa').group()", "re.match(r'(a)\\1', 'aa').span()", "re.search('b', 'abc').start()",
    "re.search('b', 'abc').end()", "re.search('😀(b)', 'a😀b').span(1)", "re.match('a', 'a')[0]", "re.match('(a)', 'a')[1]",
    "re.match('a', 'abc')", "re.findall(r'\\d', 'a1b2c3')", "re.findall(r'(\\w)(\\d)', 'a1 b2')", "re.findall(r'(\\w)\\d', 'a1 b2')",
    "re.findall(r'(a)|(b)', 'ab')", "re.findall('', 'ab')", "re.findall('x*', 'axb')", "re.findall(r'x*|a', 'a')",
    "re.findall('a+?', 'aaa')", "re.findall(r'\\bfo\\w*', 'foo bar fob')", "re.findall(r'\\w+', 'héllo wörld')",
    "re.findall(r'\\d+', '١٢٣ 45')", "re.findall(r'\\s', 'a b\\tc\\x1cd\\ufeffe')", "re.findall(r'[\\W\\d]', 'a!1b')",
    "re.findall(r'[^\\W\\d]', 'a!1b')", "re.findall(r'[^a-c]', 'abcd')", "re.findall(r'[]a]', ']a')", "re.findall(r'[a\\-z]', 'a-z')",
    "re.findall('.', 'a\\nb')", "re.findall('(?s).', 'a\\nb')", "re.findall('.', 'a\\nb', re.S)", "re.findall('^\\\\w', 'a\\nb')",
    "re.findall('^\\\\w', 'a\\nb', re.M)", "re.findall('(?m)\\\\w$', 'a\\nb')", "re.search('a$', 'a\\n').span()",
    "re.search('a\\\\Z', 'a\\n')", "re.search('\\\\Aa', 'ba')", "re.findall('(?i)ab', 'AB aB ab')", "re.findall('ab', 'AB ab', re.I)",
    "re.findall('é', 'É é', re.IGNORECASE)", "re.findall(r'(?x) a b  # comment', 'ab a b')", "re.findall(r'a b', 'ab a b', re.X)",
    "re.findall(r'(?s:a.b)|c.', 'a\\nb c\\n')", "re.findall(r'\\w+', 'héllo', re.A)", "re.findall(r'a{2}', 'aaaaa')",
    "re.findall(r'a{,2}', 'aaa')", "re.findall(r'a{2,}', 'a aa aaa')", "re.findall(r'a{', 'a{')", "re.findall(r'x{1,2}?', 'xxx')",
    "re.findall(r'\\x41\\u00e9', 'Aé')", "re.findall(r'\\101', 'A')", "re.findall(r'\\0', '\\x00')", "re.findall('[.]', 'a.b')",
    "re.findall(r'\\.', 'a.b')", "re.findall(r'(?:ab)+', 'ababab ab')", "re.findall(r'(?=a)', 'aa')", "re.findall(r'(?<=a)b', 'ab cb')",
    "re.findall(r'(?<!a)b', 'ab cb')", "re.findall(r'a(?!b)', 'ab ac')", "re.findall(r'(?#comment)a', 'a')",
    "re.sub(r'\\d', '#', 'a1b22')", "re.sub(r'(\\w+)@', r'<\\1>', 'bob@x')", "re.sub(r'(?P<n>\\w)', r'\\g<n>\\g<n>', 'ab')",
    "re.sub(r'(a)', r'\\g<1>0', 'a')", "re.sub('a', r'\\n', 'a')", "re.sub('a', 'b', 'aaa', count=2)", "re.subn('a', 'b', 'aaa')",
    "re.sub('x*', '-', 'abxd')", "re.sub('', '-', 'ab')", "re.sub('(a)|b', r'[\\1]', 'ab')", "re.sub('a', r'\\q', 'a')",
    "re.sub('a', r'\\2', 'a')", "re.split(r',\\s*', 'a, b,c')", "re.split(r'(,)', 'a,b')", "re.split(',', 'a,b,c', maxsplit=1)",
    "re.split(r'\\b', 'a b')", "re.split('x*', 'axbc')", "re.split('(x)|y', 'axbyc')", "re.escape('a.b*c d#&~')",
    "re.compile(r'\\d+').findall('a1b22')", "re.compile('a', re.I).match('A').group()", "re.compile('(?i)a').flags",
    "re.compile('a').flags", "re.compile('a', re.A).flags", "re.compile('(a)(?P<n>b)').groups", "re.compile('(a)(?P<n>b)').groupindex",
    "re.compile('ab').pattern", "re.match(re.compile('a'), 'a').group()", "[m.group() for m in re.finditer(r'\\d+', 'a1b22c333')]",
    "[m.span() for m in re.finditer('a', 'banana')]", "re.I | re.M", "re.I", "re.match('(', 'x')", "re.match('a(?i)b', 'ab')",
    "re.match(r'\\q', 'q')", "re.match('[a', 'a')", "re.match('a)', 'a')", "re.match('a**', 'a')", "re.match(r'(?P<1>a)', 'a')",
    "re.match(r'(a)\\2', 'aa')", "re.match(r'\\bword\\b', 'word!').group()", "re.match(r'\\Bo', 'oo')", "re.search(r'\\Bo', 'oo').span()",
    "re.match('a', 1)", "re.findall(r'^https?://([a-z][a-z0-9]+)\\.id\\.fedoraproject\\.org$', 'http://ralph.id.fedoraproject.org')",
    "re.search(r'(\\d+)\\.fc(\\d+)$', 'python-requests-2.2.1-1.fc19').group(2)", "re.match('(?P<a>x)|(?P<b>y)', 'y').groupdict('-')",
    "re.match('(?P<a>x)|(?P<b>y)', 'y').groupdict()", "re.search('(b)|c', 'abc').groups()", "re.match('a', 'a').nosuch",
    "re.match('[\\\\d-z]+', '1-z').group()", "re.match(r'[\\s\\S]+', 'a\\nb').group()", "re.findall(r'[^\\s]+', 'a b')",
])

group("errors", [
    "d['missing']", "d.missing", "d.get('a').upper()", "None.x", "n.get('x')", "l[10]", "l['x']", "(1)(2)", "'abc'()",
    "undefined_name", "len()", "len(1, 2)", "int('x')", "float([])", "[1, 2].index(3)", "'a' < 1", "{}[[]]", "{[]: 1}",
    "{{}}", "x.y.z", "1 + None", "-None", "max()", "'%d' % None",
    "sorted(None)", "list(5)", "tuple(None)", "dict(5)", "dict([1])", "sum(None)", "round('x')", "abs(None)", "chr('a')",
    "'abc'.split(1)", "'abc'.startswith()", "'x'.join(None)", "iter(5)", "next(5)", "enumerate(5)", "zip(5)",
    "min(1)", "isinstance(1)", "d.get()", "d.keys(1)", "re.match()", "json.dumps()", "json.dumps(n.x)",
], d={"a": None}, n=None, l=[1])

group("host-query", [
    "query.count()", "len(query.all())", "[r.msg['n'] for r in query.all()]", "sum(1 for row in query.all() if row.msg.get('new') == 1)",
    "len([m for m in query.all() if m.msg['new'] is 1])", "query.all()[0].topic", "query.all()[0].nope", "query.nope",
    "query.count() >= 2", "max(r.msg['n'] for r in query.all())", "sorted(r.msg['n'] for r in query.all())",
    "any(r.msg.get('new') == 3 for r in query.all())", "{r.msg['user'] for r in query.all()} == {'a', 'b'}",
    "[r.msg for r in query.all() if 'new' not in r.msg]",
], query=Query([{"n": 3, "new": 1, "user": "a"}, {"n": 1, "new": 3, "user": "b"}, {"n": 2, "user": "a"}]))

group("host-message", [
    "message.topic.endswith('pagure.git.receive')", "message.body.get('repo', {}).get('fullname')", "message.agent_name == 'ralph'",
    "'ralph' in message.usernames", "len(message.usernames)", "message.body['authors'][0]['name']",
    "[a['name'] for a in message.body.get('authors', [])]", "message.packages", "message.agent_name.upper()",
    "message.topic.split('.')[3]", "message.body.get('total_commits', 0) > 1", "message.nope", "message.body.nope",
    "'ralph' if message.agent_name else None", "message.body.get('branch', '').startswith('refs/heads/')",
], message=Message(
    "org.fedoraproject.prod.pagure.git.receive",
    {"repo": {"fullname": "fedora-badges", "name": "fedora-badges"}, "branch": "refs/heads/master",
     "authors": [{"name": "ralph", "fullname": "Ralph Bean"}, {"name": "pingou", "fullname": "Pierre"}],
     "total_commits": 2},
    agent_name="ralph", usernames=["ralph", "pingou"], packages=[]))

group("host-message-no-agent", [
    "message.agent_name is None", "message.agent_name.upper()", "not message.usernames",
], message=Message("org.fedoraproject.prod.bodhi.update.comment", {"comment": {"karma": 1}}, agent_name=None))

group("value-conditions", [
    "value > 5", "value >= 10 and value % 2 == 0", "value in range(1, 100)", "value == 10.0", "value / 4",
    "value // 4", "str(value)", "value is 10", "abs(value - 12) < 3",
], value=10)

group("value-conditions-float", [
    "value > 5", "round(value)", "int(value)", "value * 2", "'%.1f' % value", "str(value)",
], value=2.5)

group("recipients", [
    "msg['msg']['user']", "[msg['msg']['agent'], msg['msg']['user']]", "msg.get('msg', {}).get('user', '').lower()",
    "sorted(set([msg['msg']['agent'], msg['msg']['user']]))", "msg['topic'].split('.')[3:]",
    "'%(agent)s' % msg['msg']", "'{agent} -> {user}'.format(**msg['msg'])", "msg['timestamp'] > 1000000000",
    "str(msg['timestamp'])", "int(msg['timestamp'])", "msg['username'] in ['fas', 'bodhi']",
], msg=MESSAGES["fas_sponsor"])

group("history-lambdas", [
    "len([msg for msg in query.all() if msg.msg['status'] is 1])",
    "len([msg for msg in query.all() if msg.msg.get('status') is 1])",
], query=Query(HISTORIES["copr_builds"]))

group("tricky", [
    "'a😀b'[1]", "'a😀b'[::-1]", "'a😀b'[1:]", "len('a😀b')", "'😀'.center(5, '*')", "'{:>4}|'.format('😀')",
    "'%3s|' % '😀'", "'\\uffff' < '😀'", "'😀' < '\\uffff'", "sorted(['😀', '\\uffff', 'a'])", "max('a😀b')",
    "'a😀b😀'.find('😀', 2)", "'a😀b😀'.rfind('😀')", "'a😀b😀'.count('😀')", "'x😀y'.split('😀')", "'😀'.zfill(3)",
    "len('e\\u0301')", "'ﬁ'.upper()", "'straße'.upper()", "'ΣΑΣ'.lower()", "repr('😀')", "ascii('😀')",
    "repr(5e-324)", "repr(1.7976931348623157e308)", "repr(0.1 * 3)", "repr(1e-7)", "str(0.1 + 0.7)", "repr(-1e-300)",
    "'%.20f' % 0.1", "'{:.50f}'.format(0.1)", "'%.17g' % 0.1", "'%.15g' % 0.1", "'%.0e' % 5e-324", "round(0.1, 20)",
    "round(5e-324, 400)", "round(123.456, -1)", "round(-123.456, 1)", "round(2.5e-8, 8)", "round(1e300, -299)",
    "2 ** 0.5 * 2 ** 0.5 == 2", "int('0b101', 0)", "int('010', 0)", "int('0', 0)", "int('00', 0)", "int(' 0x_1f ', 0)",
    "int('٣')", "float('.5')", "float('5.')", "float('1e')", "float('infinity')", "float('-nan') != 0", "float('1__0')",
    "{True: 1, 1: 2}", "{1: 'a'}[True]", "{1.0: 'x'}[1]", "{}.get([])", "[1, 2, 3][-0]", "[1, 2, 3][:10 ** 30]",
    "[1, 2, 3][-10 ** 30:]", "'abc'[::10 ** 30]", "json.dumps({'é': 'ü', 'b': [1, {'c': None}]}, indent=1, sort_keys=True)",
    "json.dumps({True: 1, 'a': 2}, sort_keys=True)", "json.dumps({'b': 1, 'a': {'d': 1, 'c': 2}}, sort_keys=True)",
    "re.sub(r'(\\d+)', r'\\g<0>!', 'a12')", "re.split(r'\\s+', ' a b ')", "re.findall(r'(?i)[A-Z]+', 'abC dE')",
    "re.match(r'(?P<first>\\w+) (?P<last>\\w+)', 'Jane Doe').group('last', 'first')", "re.findall(r'(?P<d>\\d)', 'a1b2')",
    "re.escape('é.ü')", "re.search(r'\\d{2,3}?', '12345').group()", "re.sub('(?P<x>a)', r'\\g<x>\\g<x>', 'bab')",
    "re.findall(r'\\b\\w', 'hello wörld ünd')", "re.findall(r'\\w+', 'a_b c-d', re.ASCII)", "re.sub(r'\\s+', ' ', 'a \\t\\n b')",
    "re.match(r'(\\d+)-(\\d+)', '10-20').span(2)", "re.search(r'$', 'ab\\n').span()", "re.findall(r'$', 'a\\nb\\n', re.M)",
    "re.findall(r'^', 'a\\nb', re.M)", "re.split(r'(?<=,)', 'a,b,c')", "re.sub(r'a|(b)', r'[\\1]', 'ab')",
    "'a' in {'a': 1}.keys()", "d.keys() == d.keys()", "d.values() == d.values()", "d.items() == d.items()",
    "'%s' % ()", "'%(a)s %(b)s' % {'a': 1}", "'{0!r:^10}'.format('a')", "'{:>{w}}'.format('a', w=3)", "'{:}'.format(5)",
    "'{0:}'.format('x')", "format(-0.0, '.1f')", "format(1e16, ',')", "'{:,}'.format(1234.5)", "'{:e}'.format(10 ** 20)",
    "'%.2f' % 10 ** 20", "'{:.2%}'.format(1)", "'%5.2s|' % 'abc'", "'%-+5d|' % 3", "'%#.0f' % 1", "'%#x' % 0", "'%c' % 0x1F600",
    "next(iter(x for x in [1, 0] if 1 / x))", "all(x for x in [])", "list(zip(*[[1, 2], [3, 4]]))", "max(*[1, 5, 3])",
    "dict(**{'a': 1})", "dict(**{1: 2})", "'x'.join(map(str, range(3)))", "isinstance(d.keys(), list)", "r'\\d' '\\n'",
    "1 + \\\n 2", "1 + 2 # comment", "(1 +\n 2)", "not 1 == 2", "1 if True else 2 if False else 3", "1 < 2 == 2",
    "1 in [1] in [[1]]", "1 < 2 is True", "3 - - 3", "+-+1", "~~5", "1 | 2 ^ 3 & 4 << 1", "5 // 2 * 2 + 5 % 2",
    "-3 ** 2", "(-3) ** 2", "2 ** -2 ** 2", "not -1", "- (1, )[0]", "[1, 2][True:]", "'abc'[False]",
    "[(x, y) for x in range(3) if x for y in range(x) if y != x - 1]", "{x: y for x, y in zip('abc', range(3)) if y}",
    "[[x for x in range(y)] for y in range(3)][2]", "sum(len(w) for w in 'a bb ccc'.split())", "list(map(int, '1 2 3'.split()))",
    "sorted([3, 1, 2], key=None)",
    "sorted([[2, 1], [1, 2], [1]])", "sorted(['b', 'a'], reverse=1)", "min([2, 1], key=None)", "max([1, 2, 2.0])", "max([2.0, 2, 1])",
    "max([3, 1], default=0)", "min('bca', key=ord)", "list(reversed((1, 2)))", "list(filter(None, (0, 1, [], [0])))",
    "dict([(1, 2), [3, 4]])", "dict(['ab', 'cd'])", "{**{'a': 1}, **{'a': 2}}", "[*range(3), *'ab']", "(*[],)",
    "{*()}", "len({*'aab'})", "str({*'a'})", "int('9' * 5000)", "len(str(10 ** 4299))", "len(str(10 ** 4300))",
    "'%d' % 10 ** 5000", "'{}'.format(-10 ** 5000)", "json.dumps(10 ** 5000)", "int('f' * 5000, 16) > 0", "int('1' * 5000, 3)",
    "hex(10 ** 5000)[:4]", "int('7' * 4300) % 10",
    "re.findall(r'a|', 'baac')", "re.sub(r'a*?', '-', 'baa')", "re.split(r'|a', 'bab')", "re.findall(r'(?:)|b', 'ab')",
    "re.findall(r'b*|a', 'aab')", "re.sub(r'\\b|x', '|', 'ax b')", "[m.span() for m in re.finditer(r'a??', 'aa')]",
    "len(re.findall(r'\\w*', 'lorem ipsum dolor ' * 1000))",
    "[list(g) for g in [(x for _ in range(2)) for x in range(3)]]", "[f for f in (y * 2 for y in range(3))]",
    "[(lambda_x, [lambda_x + k for k in range(2)]) for lambda_x in range(2)]", "list(zip(*(iter('ab'),) * 2))",
    "next(list(g) for g in [iter([]), iter([1])] if g)", "[[y for y in x] for x in ([1, 2], (3,), 'ab', {'k': 1})]",
], d={"a": 1})
