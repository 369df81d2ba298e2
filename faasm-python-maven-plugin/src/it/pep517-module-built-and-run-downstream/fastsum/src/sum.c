/* Test fixture: total(iterable of ints) computed in C, as a 64-bit sum. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *total(PyObject *self, PyObject *iterable) {
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) return NULL;
    long long sum = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        long long v = PyLong_AsLongLong(item);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return NULL;
        }
        sum += v;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong(sum);
}

static PyMethodDef methods[] = {
    {"total", total, METH_O, "total(iterable) -> the sum of its integers, computed in C"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastsum._sum", NULL, 0, methods};

PyMODINIT_FUNC PyInit__sum(void) {
    return PyModuleDef_Init(&module);
}
