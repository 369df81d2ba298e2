"""Language conformance checks (after Faasm's lang_test)."""
import collections
import functools
import itertools
import re
import string


class Shape:
    def __init__(self, sides):
        self.sides = sides

    def __eq__(self, other):
        return isinstance(other, Shape) and other.sides == self.sides


class Square(Shape):
    def __init__(self):
        super().__init__(4)


def gen(n):
    for i in range(n):
        yield i * i


def faasm_main():
    assert [x * 2 for x in range(5)] == [0, 2, 4, 6, 8]
    assert {k: v for k, v in zip("abc", range(3))} == {"a": 0, "b": 1, "c": 2}
    assert list(gen(4)) == [0, 1, 4, 9]
    assert Square() == Shape(4) and isinstance(Square(), Shape)
    assert functools.reduce(lambda a, b: a * b, range(1, 6)) == 120
    assert list(itertools.chain([1], (2, 3))) == [1, 2, 3]
    assert collections.Counter("abracadabra").most_common(1) == [("a", 5)]
    assert re.sub(r"(\d+)", r"<\1>", "a1b22") == "a<1>b<22>"
    assert "{:>5}|{:<3}|{:.2f}".format("x", "y", 3.14159) == "    x|y  |3.14"
    assert f"{2 ** 100}" == "1267650600228229401496703205376"
    assert string.ascii_lowercase[:3] == "abc"
    try:
        {}["missing"]
        raise AssertionError("KeyError expected")
    except KeyError as e:
        assert e.args == ("missing",)
    a, *rest = [1, 2, 3]
    assert (a, rest) == (1, [2, 3])
    assert sorted({3, 1, 2}) == [1, 2, 3]
    assert bytes(range(3)).hex() == "000102"
    assert (lambda *args, **kw: (args, kw))(1, x=2) == ((1,), {"x": 2})
    print("lang_test passed")
    return 0
