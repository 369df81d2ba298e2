/*
 * _pyfaasm: the built-in module through which the pyfaasm package reaches the Faasm host.
 * (Faasm's own pyfaasm uses ctypes.CDLL(None); WASI has neither libffi nor dlopen.)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "faasm_host.h"

/* Values the host would refuse become Python exceptions here, before the host call. */
static int check_non_negative(const char *what, long value) {
    if (value < 0) {
        PyErr_Format(PyExc_ValueError, "%s must not be negative, got %ld", what, value);
        return -1;
    }
    return 0;
}

/* As faabric checks a segment: the total length sizes only a value that does not exist yet; an
   existing value keeps its size, and the segment must lie within it. */
static int check_segment(const char *key, long total, long off, long len) {
    if (check_non_negative("total_len", total) || check_non_negative("offset", off) || check_non_negative("length", len)) return -1;
    long size = __faasm_read_state(key, NULL, 0);
    long limit = size > 0 ? size : total;
    if (off > limit || len > limit - off) {
        PyErr_Format(PyExc_ValueError, "offset %ld + length %ld is past the value's %s %ld", off, len,
                     size > 0 ? "size" : "total length", limit);
        return -1;
    }
    return 0;
}

static PyObject *get_input_len(PyObject *self, PyObject *args) {
    return PyLong_FromLong(__faasm_read_input(NULL, 0));
}

static PyObject *read_input(PyObject *self, PyObject *args) {
    long len;
    if (!PyArg_ParseTuple(args, "l", &len)) return NULL;
    if (check_non_negative("input_len", len)) return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, len);
    if (out == NULL) return NULL;
    long got = len > 0 ? __faasm_read_input((unsigned char *)PyBytes_AS_STRING(out), len) : 0;
    if (got >= 0 && got < len) _PyBytes_Resize(&out, got);
    return out;
}

static PyObject *write_output(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    __faasm_write_output((const char *)data.buf, (long)data.len);
    PyBuffer_Release(&data);
    Py_RETURN_NONE;
}

static PyObject *read_state(PyObject *self, PyObject *args) {
    const char *key;
    long len;
    if (!PyArg_ParseTuple(args, "sl", &key, &len)) return NULL;
    if (check_non_negative("state_len", len)) return NULL;
    if (len == 0) return PyBytes_FromStringAndSize("", 0);
    PyObject *out = PyBytes_FromStringAndSize(NULL, len);
    if (out == NULL) return NULL;
    __faasm_read_state(key, (unsigned char *)PyBytes_AS_STRING(out), len);
    return out;
}

static PyObject *read_state_size(PyObject *self, PyObject *args) {
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    return PyLong_FromLong(__faasm_read_state(key, NULL, 0));
}

static PyObject *read_state_offset(PyObject *self, PyObject *args) {
    const char *key;
    long total, off, len;
    if (!PyArg_ParseTuple(args, "slll", &key, &total, &off, &len)) return NULL;
    if (check_segment(key, total, off, len)) return NULL;
    if (len == 0) return PyBytes_FromStringAndSize("", 0);
    PyObject *out = PyBytes_FromStringAndSize(NULL, len);
    if (out == NULL) return NULL;
    __faasm_read_state_offset(key, total, off, (unsigned char *)PyBytes_AS_STRING(out), len);
    return out;
}

static PyObject *write_state(PyObject *self, PyObject *args) {
    const char *key;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "sy*", &key, &data)) return NULL;
    __faasm_write_state(key, (const unsigned char *)data.buf, (long)data.len);
    PyBuffer_Release(&data);
    Py_RETURN_NONE;
}

static PyObject *write_state_offset(PyObject *self, PyObject *args) {
    const char *key;
    long total, off;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "slly*", &key, &total, &off, &data)) return NULL;
    if (check_segment(key, total, off, (long)data.len)) {
        PyBuffer_Release(&data);
        return NULL;
    }
    __faasm_write_state_offset(key, total, off, (const unsigned char *)data.buf, (long)data.len);
    PyBuffer_Release(&data);
    Py_RETURN_NONE;
}

static PyObject *push_state(PyObject *self, PyObject *args) {
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    __faasm_push_state(key);
    Py_RETURN_NONE;
}

static PyObject *push_state_partial(PyObject *self, PyObject *args) {
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    __faasm_push_state_partial(key);
    Py_RETURN_NONE;
}

static PyObject *pull_state(PyObject *self, PyObject *args) {
    const char *key;
    long len;
    if (!PyArg_ParseTuple(args, "sl", &key, &len)) return NULL;
    if (check_non_negative("state_len", len)) return NULL;
    __faasm_pull_state(key, len);
    Py_RETURN_NONE;
}

static PyObject *chain_py(PyObject *self, PyObject *args) {
    const char *entry;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "sy*", &entry, &data)) return NULL;
    unsigned int id = __faasm_chain_py(entry, (const unsigned char *)data.buf, (long)data.len);
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLong(id);
}

static PyObject *await_call(PyObject *self, PyObject *args) {
    unsigned long id;
    if (!PyArg_ParseTuple(args, "k", &id)) return NULL;
    return PyLong_FromLong(__faasm_await_call((unsigned int)id));
}

static PyObject *await_call_output(PyObject *self, PyObject *args) {
    unsigned long id;
    if (!PyArg_ParseTuple(args, "k", &id)) return NULL;
    long size = __faasm_await_call_output((unsigned int)id, NULL, 0);
    if (size == -2) {
        /* the local host drops a chained call's output once the call is awaited (faasm.totalMemory) */
        PyErr_Format(PyExc_ValueError,
                     "the output of chained call %lu was dropped when await_call awaited it: call await_call_output first "
                     "(await_call still gives the return code after it)", id);
        return NULL;
    }
    if (size < 0) {
        PyErr_Format(PyExc_ValueError, "no chained call with id %lu", id);
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL) return NULL;
    if (size > 0) __faasm_await_call_output((unsigned int)id, (unsigned char *)PyBytes_AS_STRING(out), size);
    return out;
}

static PyObject *conf_flag(PyObject *self, PyObject *args) {
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    return PyBool_FromLong(__faasm_conf_flag(key) != 0);
}

static PyMethodDef methods[] = {
    {"get_input_len", get_input_len, METH_NOARGS, "Size of the call's input in bytes."},
    {"read_input", read_input, METH_VARARGS, "read_input(n) -> the first n bytes of the input."},
    {"write_output", write_output, METH_VARARGS, "write_output(data): set the call's output."},
    {"read_state", read_state, METH_VARARGS, "read_state(key, n) -> n bytes of state."},
    {"read_state_size", read_state_size, METH_VARARGS, "read_state_size(key) -> size of the state value (0 if none)."},
    {"read_state_offset", read_state_offset, METH_VARARGS, "read_state_offset(key, total, offset, n) -> bytes."},
    {"write_state", write_state, METH_VARARGS, "write_state(key, data)."},
    {"write_state_offset", write_state_offset, METH_VARARGS, "write_state_offset(key, total, offset, data)."},
    {"push_state", push_state, METH_VARARGS, "push_state(key)."},
    {"push_state_partial", push_state_partial, METH_VARARGS, "push_state_partial(key)."},
    {"pull_state", pull_state, METH_VARARGS, "pull_state(key, n)."},
    {"chain_py", chain_py, METH_VARARGS, "chain_py(entry, input) -> call id."},
    {"await_call", await_call, METH_VARARGS, "await_call(id) -> the chained call's return code."},
    {"await_call_output", await_call_output, METH_VARARGS, "await_call_output(id) -> the chained call's output bytes."},
    {"conf_flag", conf_flag, METH_VARARGS, "conf_flag(name) -> bool."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pyfaasm", "Faasm host calls.", -1, methods};

PyMODINIT_FUNC PyInit__pyfaasm(void) { return PyModule_Create(&module); }
