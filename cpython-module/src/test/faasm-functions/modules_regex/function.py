import sys

import regex

from pyfaasm.core import write_output


def faasm_main():
    # the C extension regex._regex is the engine (statically linked: a built-in module)
    engine = sys.modules["regex._regex"]
    letters = regex.findall(r"\p{L}++", "héllo wörld 123 ñandú")
    # a possessive quantifier never gives back: a++a cannot match, a+a can
    possessive = regex.match(r"a++a", "aaaa")
    greedy = regex.match(r"a+a", "aaaa")
    fuzzy = regex.fullmatch(r"(?:faasm){e<=1}", "faaxm") is not None
    # every capture of a repeated group (methods of no arguments, getters: called with the arguments their types have)
    m = regex.match(r"(?P<w>\w)+", "wasm")
    captures = m.capturesdict()["w"] + [str(regex.compile(r"(?P<x>a)(?P<y>b)").groupindex["y"]), str(len(m.allcaptures()))]
    write_output(";".join([
        "letters=" + ",".join(letters),
        "possessive=" + str(possessive),
        "greedy=" + greedy.group(0),
        "fuzzy=" + str(fuzzy),
        "captures=" + ",".join(captures),
        "engine=" + engine.__spec__.origin,
        "version=" + regex.__version__,
    ]).encode("utf-8"))
