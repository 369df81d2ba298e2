"""pyfaasm: the Faasm host interface for Python functions.

On the Faasm entrypoint (py_func.wasm) the functions reach the host through the built-in
``_pyfaasm`` module. Anywhere else (a native Python, unit tests) they work in local mode:
input is empty, output and state stay in this process, and chained calls run in-process.
"""

from pyfaasm.core import (  # noqa: F401
    await_call,
    await_call_output,
    chain,
    chain_this_with_input,
    get_input_len,
    get_output,
    get_state_size,
    is_local,
    pull_state,
    push_state,
    push_state_partial,
    read_input,
    read_state,
    read_state_offset,
    read_state_size,
    set_local_chaining,
    set_local_input,
    set_local_input_output,
    write_output,
    write_state,
    write_state_offset,
)

__version__ = "0.1.0"
