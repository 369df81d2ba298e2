"""The pyfaasm API (the public functions of Faasm's pyfaasm.core).

On py_func.wasm every call goes to the host through the built-in ``_pyfaasm`` module.
Without it (a native interpreter) the module runs in local mode. Two environment variables
switch the local behaviour, as in Faasm's pyfaasm:

* ``PYTHON_LOCAL_OUTPUT``: ``write_output`` also prints the output;
* ``PYTHON_LOCAL_CHAINING``: ``chain`` calls the function directly (otherwise too, since
  there is no host to send it to) and ``await_call`` returns its return code.
"""

import os

try:
    import _pyfaasm as _host
except ImportError:  # not on the Faasm entrypoint
    _host = None

_local_input = b""
_local_output = b""
_local_state = {}
_local_calls = {}
_next_call_id = 1


def is_local():
    """True when running outside the Faasm entrypoint."""
    return _host is None


def _bytes(data):
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def set_local_input(data):
    """Local mode only: set what read_input returns."""
    global _local_input
    _local_input = _bytes(data)


def get_input_len():
    """Size of this call's input in bytes."""
    if _host is not None:
        return _host.get_input_len()
    return len(_local_input)


def read_input(input_len=None):
    """This call's input (its first input_len bytes when given)."""
    if input_len is None:
        input_len = get_input_len()
    if _host is not None:
        return _host.read_input(input_len)
    return _local_input[:input_len]


def write_output(output):
    """Set this call's output."""
    global _local_output
    data = _bytes(output)
    if _host is not None:
        _host.write_output(data)
        return
    _local_output = data
    if os.environ.get("PYTHON_LOCAL_OUTPUT"):
        print(data)


def get_local_output():
    """Local mode only: the last output written."""
    return _local_output


def get_state_size(key):
    """Size of the state value of key (0 when there is none)."""
    if _host is not None:
        return _host.get_state_size(key)
    return len(_local_state.get(key, b""))


def read_state(key, state_len):
    """state_len bytes of the state value of key (zero bytes past its end)."""
    if _host is not None:
        return _host.read_state(key, state_len)
    value = _local_state.get(key, b"")
    return (value + bytes(max(0, state_len - len(value))))[:state_len]


def read_state_offset(key, total_len, offset, offset_len):
    """offset_len bytes at offset of the state value of key."""
    if _host is not None:
        return _host.read_state_offset(key, total_len, offset, offset_len)
    value = read_state(key, max(total_len, offset + offset_len))
    return value[offset:offset + offset_len]


def write_state(key, state):
    """Replace the state value of key."""
    if _host is not None:
        _host.write_state(key, _bytes(state))
        return
    _local_state[key] = _bytes(state)


def write_state_offset(key, total_len, offset, state):
    """Write state at offset of the value of key (a value of total_len bytes)."""
    data = _bytes(state)
    if _host is not None:
        _host.write_state_offset(key, total_len, offset, data)
        return
    value = bytearray(read_state(key, max(total_len, len(_local_state.get(key, b"")), offset + len(data))))
    value[offset:offset + len(data)] = data
    _local_state[key] = bytes(value)


def push_state(key):
    """Push the local copy of key to the global state."""
    if _host is not None:
        _host.push_state(key)


def push_state_partial(key):
    """Push the changed parts of key to the global state."""
    if _host is not None:
        _host.push_state_partial(key)


def pull_state(key, state_len):
    """Pull key from the global state into the local copy."""
    if _host is not None:
        _host.pull_state(key, state_len)


def chain_this_with_input(entry_name, input_data):
    """Chain a call of entry_name (a function of this module) with input_data; returns a call id."""
    if _host is not None:
        return _host.chain_py(entry_name, _bytes(input_data))
    raise RuntimeError("chain_this_with_input needs the Faasm host; use chain(func, input) locally")


def chain(func, input_data):
    """Chain a call of func (a function of this module) with input_data; returns a call id."""
    global _next_call_id
    if _host is not None:
        return _host.chain_py(func.__name__, _bytes(input_data))
    call_id = _next_call_id
    _next_call_id += 1
    try:
        result = func(_bytes(input_data))
        code = result if isinstance(result, int) else 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    _local_calls[call_id] = code
    return call_id


def await_call(call_id):
    """Wait for a chained call; returns its return code."""
    if _host is not None:
        return _host.await_call(call_id)
    return _local_calls.get(call_id, 1)
