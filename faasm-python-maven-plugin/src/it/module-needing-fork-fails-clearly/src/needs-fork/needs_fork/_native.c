#include <Python.h>
#include <unistd.h>

/* WASI has no processes: there is no fork() to call. */
static PyObject *spawn(PyObject *self, PyObject *unused) {
    return PyLong_FromLong((long) fork());
}

static PyMethodDef methods[] = {{"spawn", spawn, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "needs_fork._native", NULL, 0, methods};

PyMODINIT_FUNC PyInit__native(void) {
    return PyModuleDef_Init(&module);
}
