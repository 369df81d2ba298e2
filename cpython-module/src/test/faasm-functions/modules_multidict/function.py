import sys

from multidict import CIMultiDict, MultiDict

from pyfaasm.core import write_output


def faasm_main():
    headers = CIMultiDict([("Content-Type", "text/plain"), ("X-Faasm", "1")])
    headers.add("x-faasm", "2")
    md = MultiDict(a=1)
    md.add("a", 2)
    native = sys.modules["multidict._multidict"]
    write_output(";".join([
        "content-type=" + headers["CONTENT-TYPE"],
        "x-faasm=" + ",".join(headers.getall("X-FAASM")),
        "keys=" + ",".join(headers.keys()),
        "md=" + ",".join(str(v) for v in md.getall("a")),
        "copy=" + str(len(headers.copy())) + "," + str(list(md.copy().items())),
        "c_type=" + str(CIMultiDict is native.CIMultiDict),
        "origin=" + native.__spec__.origin,
    ]).encode("utf-8"))
