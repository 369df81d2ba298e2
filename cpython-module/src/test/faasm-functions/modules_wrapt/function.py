import sys

import wrapt

from pyfaasm.core import write_output

calls = []


@wrapt.decorator
def logged(wrapped, instance, args, kwargs):
    calls.append(wrapped.__name__ + repr(args))
    return wrapped(*args, **kwargs) * 10


@logged
def add(a, b):
    """Adds two numbers."""
    return a + b


def faasm_main():
    result = add(2, 3)
    native = sys.modules["wrapt._wrappers"]
    write_output(";".join([
        "result=" + str(result),
        "calls=" + ",".join(calls),
        "name=" + add.__name__,
        "doc=" + add.__doc__,
        "c_wrapper=" + str(type(add) is native.FunctionWrapper),
        "origin=" + native.__spec__.origin,
    ]).encode("utf-8"))
