import sys

import msgpack
import simplejson
import ujson

from pyfaasm.core import write_output

DOC = {"name": "faasm", "n": [1, 2.5, -3, 2 ** 40], "ok": True, "none": None,
       "nested": {"k": ["\u03b1", "b/c"], "e": {}}}


def faasm_main():
    packed = msgpack.packb(DOC)
    assert msgpack.unpackb(packed) == DOC
    u = ujson.dumps(DOC, sort_keys=True)
    assert ujson.loads(u) == DOC
    s = simplejson.dumps(DOC, sort_keys=True)
    assert simplejson.loads(s) == DOC
    # the compiled extensions are the ones in use, not the pure-Python fallbacks
    print("msgpack:", msgpack.Packer is sys.modules["msgpack._cmsgpack"].Packer, sys.modules["msgpack._cmsgpack"].__spec__.origin)
    print("ujson:", ujson.__spec__.origin)
    print("simplejson:", simplejson._import_c_make_encoder() is not None, simplejson.scanner.c_make_scanner is not None,
          sys.modules["simplejson._speedups"].__spec__.origin)
    write_output(("msgpack=" + packed.hex() + "\nujson=" + u + "\nsimplejson=" + s).encode("utf-8"))
