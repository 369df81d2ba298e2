import six
from six.moves import configparser, queue, range, reduce
from six.moves.urllib.parse import quote, urlencode

from pyfaasm.core import write_output


def faasm_main():
    q = queue.Queue()
    for i in range(3):
        q.put(i)
    parser = configparser.ConfigParser()
    parser.read_string("[faasm]\nruntime = wasm\n")
    parts = [
        "six " + six.__version__,
        "PY3=" + str(six.PY3),
        "sum=" + str(reduce(lambda a, b: a + b, [q.get() for _ in range(3)])),
        "quote=" + quote("a b/c"),
        "query=" + urlencode({"x": "1 2"}),
        "config=" + parser.get("faasm", "runtime"),
        "text_type=" + six.text_type.__name__,
    ]
    write_output(";".join(parts).encode("utf-8"))
