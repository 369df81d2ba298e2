"""The pyfaasm API: the functions of upstream Faasm's ``pyfaasm.core``, same names and arguments.

On py_func.wasm every call goes to the host through the built-in ``_pyfaasm`` module (Faasm's
pyfaasm uses ``ctypes.CDLL(None)``; WASI has neither libffi nor dlopen). Without it (a native
interpreter, unit tests) the module works in-process. Two switches work as upstream, from the
environment (``PYTHON_LOCAL_CHAINING``, ``PYTHON_LOCAL_OUTPUT``) or the setters:

* local chaining: ``chain`` calls the function directly and ``await_call`` gives its return code;
* local output: ``write_output`` keeps the output here and ``get_output`` returns it (outside local
  output, ``get_output`` raises ``RuntimeError``, as upstream).
"""

import os

try:
    import _pyfaasm as _host
except ImportError:  # not on the Faasm entrypoint
    _host = None

_env_cache = {}
input_data = b""
output_data = None
_local_state = {}
_local_calls = {}  # call id -> (return code, output)
_next_call_id = 1 << 31  # apart from the host's call ids


def _env_bool(name):
    if name not in _env_cache:
        _env_cache[name] = bool(os.environ.get(name))
    return _env_cache[name]


def is_local():
    """True when running outside the Faasm entrypoint."""
    return _host is None


def is_local_chaining():
    return _host is None or _env_bool("PYTHON_LOCAL_CHAINING")


def is_local_output():
    return _env_bool("PYTHON_LOCAL_OUTPUT")


def set_local_chaining(value):
    """Run chained calls in this process (True) or through the host (False)."""
    _env_cache["PYTHON_LOCAL_CHAINING"] = bool(value)


def set_local_input_output(value):
    """Keep the output in this process for get_output (True) or send it to the host (False)."""
    _env_cache["PYTHON_LOCAL_OUTPUT"] = bool(value)


def _bytes(data):
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def set_local_input(data):
    """In-process only: set what read_input returns."""
    global input_data
    input_data = _bytes(data)


def get_input_len():
    """Size of this call's input in bytes."""
    if _host is not None:
        return _host.get_input_len()
    return len(input_data)


def read_input(input_len=None):
    """This call's input (its first input_len bytes when given)."""
    if input_len is None:
        input_len = get_input_len()
    input_len = int(input_len)
    if input_len < 0:
        raise ValueError("input_len must not be negative, got {}".format(input_len))
    if _host is not None:
        return _host.read_input(input_len)
    return input_data[:input_len]


def write_output(output):
    """Set this call's output."""
    global output_data
    data = _bytes(output)
    if is_local_output() or _host is None:
        output_data = data
        return
    _host.write_output(data)


def get_output():
    """The output written in local output mode."""
    if is_local_output() or _host is None:
        return output_data
    raise RuntimeError("Should not be getting output in non-local input/ output")


def get_local_output():
    """In-process only: the last output written (kept for older callers)."""
    return output_data


def read_state_size(key):
    """Size of the state value of key (0 when there is none)."""
    if _host is not None:
        return _host.read_state_size(key)
    return len(_local_state.get(key, b""))


def get_state_size(key):
    """Alias of read_state_size."""
    return read_state_size(key)


def _check_segment(total_len, offset, length):
    for name, value in (("total_len", total_len), ("offset", offset), ("length", length)):
        if value < 0:
            raise ValueError("{} must not be negative, got {}".format(name, value))


def _local_segment(key, total_len, offset, length):
    """The local value of key for a segment, as faabric sizes it: an existing value keeps its size,
    total_len sizes only a new one; the segment must lie within it."""
    value = _local_state.get(key)
    exists = value is not None
    if not exists:
        value = bytes(total_len)
    if offset + length > len(value):
        raise ValueError("offset {} + length {} is past the value's {} {}".format(
            offset, length, "size" if exists else "total length", len(value)))
    return value


def read_state(key, state_len):
    """state_len bytes of the state value of key (zero bytes past its end)."""
    state_len = int(state_len)
    if state_len < 0:
        raise ValueError("state_len must not be negative, got {}".format(state_len))
    if _host is not None:
        return _host.read_state(key, state_len)
    value = _local_state.get(key, b"")
    return (value + bytes(max(0, state_len - len(value))))[:state_len]


def read_state_offset(key, total_len, offset, offset_len):
    """offset_len bytes at offset of the state value of key (a value of total_len bytes)."""
    total_len, offset, offset_len = int(total_len), int(offset), int(offset_len)
    _check_segment(total_len, offset, offset_len)
    if _host is not None:
        return _host.read_state_offset(key, total_len, offset, offset_len)
    value = _local_segment(key, total_len, offset, offset_len)
    return value[offset:offset + offset_len]


def write_state(key, value):
    """Replace the state value of key (in this host's copy; push_state sends it on)."""
    if _host is not None:
        _host.write_state(key, _bytes(value))
        return
    _local_state[key] = _bytes(value)


def write_state_offset(key, total_len, offset, value):
    """Write value at offset of the state value of key (a value of total_len bytes)."""
    data = _bytes(value)
    total_len, offset = int(total_len), int(offset)
    _check_segment(total_len, offset, len(data))
    if _host is not None:
        _host.write_state_offset(key, total_len, offset, data)
        return
    buf = bytearray(_local_segment(key, total_len, offset, len(data)))
    buf[offset:offset + len(data)] = data
    _local_state[key] = bytes(buf)


def push_state(key):
    """Push this host's copy of key to the global state."""
    if _host is not None:
        _host.push_state(key)


def push_state_partial(key):
    """Push the changed part of key to the global state."""
    if _host is not None:
        _host.push_state_partial(key)


def pull_state(key, state_len):
    """Pull key from the global state into this host's copy."""
    if int(state_len) < 0:
        raise ValueError("state_len must not be negative, got {}".format(state_len))
    if _host is not None:
        _host.pull_state(key, int(state_len))


def _run_locally(func, data):
    global _next_call_id, output_data
    call_id = _next_call_id
    _next_call_id += 1
    caller_output, output_data = output_data, None
    try:
        result = func(data)
        code = result if isinstance(result, int) else 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        callee_output, output_data = output_data, caller_output
    _local_calls[call_id] = (code, callee_output if callee_output is not None else b"")
    return call_id


def chain(func, input_data):
    """Chain a call of func (a function of this module) with input_data; returns a call id."""
    data = _bytes(input_data)
    if is_local_chaining():
        return _run_locally(func, data)
    return _host.chain_py(func.__name__, data)


def chain_this_with_input(entry_name, input_data):
    """Chain a call of the function named entry_name in this module; returns a call id."""
    if _host is None:
        raise RuntimeError("chain_this_with_input needs the Faasm host; use chain(func, input) locally")
    return _host.chain_py(entry_name, _bytes(input_data))


def await_call(call_id):
    """Wait for a chained call; returns its return code."""
    if call_id in _local_calls:
        return _local_calls[call_id][0]
    if _host is None:
        return 1
    return _host.await_call(call_id)


def await_call_output(call_id):
    """Wait for a chained call; returns its output bytes (as Faasm's C API faasmAwaitCallOutput)."""
    if call_id in _local_calls:
        return _local_calls[call_id][1]
    if _host is None:
        raise ValueError("no chained call with id {}".format(call_id))
    return _host.await_call_output(call_id)
