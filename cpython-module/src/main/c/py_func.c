/*
 * py_func: the Faasm entrypoint that runs a user's Python function.
 *
 * A WASI reactor. The host calls _initialize (C constructors), then _faasm_zygote once: it starts
 * the interpreter and imports the preloaded modules (see preload below), after which the
 * host may snapshot the instance. Each call then runs _faasm_call: it puts
 * /pyfuncs/<user>/<func> on sys.path (so the function imports the modules beside it), loads its
 * function.py as module "function" (see load_function) and calls faasm_main() when the entry is
 * empty, else <entry>(input_bytes). The function's integer return value is the return
 * code (anything else gives 0); an exception prints its traceback and gives 1; exit(n) gives n.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faasm_host.h"

PyMODINIT_FUNC PyInit__pyfaasm(void);

/* C extensions of the module set, linked statically (generated table: faasm_extensions.c). */
extern struct _inittab faasm_static_extensions[];

/*
 * The built-in importer only finds top-level built-in modules; this finder makes statically
 * linked submodules such as genshi._speedups importable too.
 */
static const char *STATIC_SUBMODULE_FINDER =
    "def _faasm_install_finder():\n"
    "    import sys, _imp\n"
    "    from _frozen_importlib import BuiltinImporter, ModuleSpec\n"
    "    is_builtin = _imp.is_builtin\n"
    "    class StaticSubmoduleFinder:\n"
    "        @classmethod\n"
    "        def find_spec(cls, name, path=None, target=None):\n"
    "            if '.' in name and is_builtin(name):\n"
    "                return ModuleSpec(name, BuiltinImporter, origin='built-in')\n"
    "            return None\n"
    "    sys.meta_path.insert(0, StaticSubmoduleFinder)\n"
    "_faasm_install_finder()\n"
    "del _faasm_install_finder\n";

/*
 * Modules imported in the zygote, so that their import is in the snapshot and costs nothing per
 * call: always pyfaasm.core, the API every function imports (as Faasm's own Python zygote does);
 * with the PYTHON_PRELOAD conf flag numpy too (when it is built in); then the comma-separated names
 * in FAASM_PYTHON_PRELOAD (the host's faasm.preload). Preloading numpy also imports the
 * subpackages that `import numpy` imported up to NumPy 1.26 and NumPy 2 imports on first use
 * (numpy.random, numpy.fft, numpy.linalg...): without them a call that uses np.random imported it
 * again each time (about 60 ms). A module that does not import fails the zygote (return code 2)
 * after printing its traceback.
 */
static const char *PRELOAD =
    "def _faasm_preload(flag):\n"
    "    import os, importlib\n"
    "    def load(name):\n"
    "        importlib.import_module(name)\n"
    "        if name == 'numpy':\n"
    "            for sub in ('linalg', 'fft', 'polynomial', 'random', 'ctypeslib', 'ma'):\n"
    "                importlib.import_module('numpy.' + sub)\n"
    "    load('pyfaasm.core')\n"
    "    if flag:\n"
    "        try:\n"
    "            load('numpy')\n"
    "        except ModuleNotFoundError as e:\n"
    "            if e.name != 'numpy':\n"
    "                raise\n"
    "    for name in os.environ.get('FAASM_PYTHON_PRELOAD', '').split(','):\n"
    "        if name.strip():\n"
    "            load(name.strip())\n"
    "try:\n"
    "    _faasm_preload(%s)\n"
    "finally:\n"
    "    del _faasm_preload\n";

#define PRELOAD_FAILED 2

static int preload(int flag) {
    char code[1024];
    snprintf(code, sizeof code, PRELOAD, flag ? "True" : "False");
    if (PyRun_SimpleString(code) != 0) {
        fprintf(stderr, "py_func: preloading modules failed (see the traceback above)\n");
        fflush(stderr);
        return PRELOAD_FAILED;
    }
    return 0;
}

#define NAME_LEN 256

static int zygote_done = 0;

static int report_init_failure(PyStatus status) {
    fprintf(stderr, "py_func: cannot start Python: %s%s%s\n", status.func ? status.func : "",
            status.func ? ": " : "", status.err_msg ? status.err_msg : "unknown error");
    return 1;
}

__attribute__((export_name("_faasm_zygote"))) int faasm_zygote(void) {
    if (zygote_done) return 0;
    /*
     * Tracebacks as plain text, as Faasm prints them: CPython 3.13 colours them when stderr looks
     * like a terminal, which a WASI character device does (unless the caller sets PYTHON_COLORS).
     */
    setenv("PYTHON_COLORS", "0", 0);
    if (PyImport_AppendInittab("_pyfaasm", PyInit__pyfaasm) != 0) {
        fprintf(stderr, "py_func: cannot register the _pyfaasm module\n");
        return 1;
    }
    int submodules = 0;
    for (struct _inittab *ext = faasm_static_extensions; ext->name != NULL; ext++) {
        if (PyImport_AppendInittab(ext->name, ext->initfunc) != 0) {
            fprintf(stderr, "py_func: cannot register the C extension %s\n", ext->name);
            return 1;
        }
        if (strchr(ext->name, '.') != NULL) submodules = 1;
    }
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.install_signal_handlers = 0;
    config.parse_argv = 0;
    config.write_bytecode = 0;
    PyStatus status = PyConfig_SetString(&config, &config.program_name, L"py_func");
    if (PyStatus_Exception(status)) {
        PyConfig_Clear(&config);
        return report_init_failure(status);
    }
    status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) return report_init_failure(status);

    if (submodules && PyRun_SimpleString(STATIC_SUBMODULE_FINDER) != 0) {
        fprintf(stderr, "py_func: cannot install the finder for statically linked C extensions\n");
        return 1;
    }

    int rc = preload(__faasm_conf_flag("PYTHON_PRELOAD"));
    if (rc != 0) return rc;
    zygote_done = 1;
    return 0;
}

static void flush_std_streams(void) {
    PyObject *out = PySys_GetObject("stdout");
    PyObject *err = PySys_GetObject("stderr");
    if (out != NULL && out != Py_None) {
        PyObject *r = PyObject_CallMethod(out, "flush", NULL);
        Py_XDECREF(r);
    }
    if (err != NULL && err != Py_None) {
        PyObject *r = PyObject_CallMethod(err, "flush", NULL);
        Py_XDECREF(r);
    }
    PyErr_Clear();
    fflush(stdout);
    fflush(stderr);
}

/* The return code for a pending exception: SystemExit's code, or 1 with the traceback printed. */
static int code_for_exception(void) {
    if (!PyErr_ExceptionMatches(PyExc_SystemExit)) {
        PyErr_Print();
        return 1;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    int rc = 0;
    PyObject *code = value != NULL ? PyObject_GetAttrString(value, "code") : NULL;
    if (code == NULL || code == Py_None) {
        rc = 0;
    } else if (PyLong_Check(code)) {
        rc = (int)PyLong_AsLong(code);
    } else {
        PyObject_Print(code, stderr, Py_PRINT_RAW);
        fputc('\n', stderr);
        rc = 1;
    }
    PyErr_Clear();
    Py_XDECREF(code);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return rc;
}

/*
 * Loads <dir>/function.py as module "function": read, compiled and run here rather than found by
 * the import system. Every call starts from the snapshot, so a path finder would be made afresh for
 * the directory on every call, list it and look for a bytecode cache that is never written; this
 * reads the one file. The module is what an import gives (in sys.modules, with __file__, __spec__
 * and __loader__ set from the path), and a missing file raises ModuleNotFoundError as the import did.
 */
static PyObject *load_function(const char *dir) {
    char path[2 * NAME_LEN + 32];
    snprintf(path, sizeof path, "%s/function.py", dir);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        PyErr_Format(PyExc_ModuleNotFoundError, "No module named 'function' (no %s)", path);
        return NULL;
    }
    size_t cap = 16384, len = 0;
    char *src = PyMem_Malloc(cap);
    while (src != NULL) {
        len += fread(src + len, 1, cap - 1 - len, f);
        if (len < cap - 1) break;
        char *bigger = PyMem_Realloc(src, cap * 2);
        if (bigger == NULL) {
            PyMem_Free(src);
            src = NULL;
            break;
        }
        src = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (src == NULL) return PyErr_NoMemory();
    if (failed) {
        PyMem_Free(src);
        PyErr_Format(PyExc_OSError, "cannot read %s", path);
        return NULL;
    }
    src[len] = '\0';
    PyObject *code = Py_CompileStringExFlags(src, path, Py_file_input, NULL, -1);
    PyMem_Free(src);
    if (code == NULL) return NULL;
    PyObject *name = PyUnicode_FromString("function");
    PyObject *file = PyUnicode_FromString(path);
    PyObject *module = name != NULL && file != NULL ? PyImport_ExecCodeModuleObject(name, code, file, NULL) : NULL;
    Py_XDECREF(name);
    Py_XDECREF(file);
    Py_DECREF(code);
    return module;
}

static int run_function(void) {
    char user[NAME_LEN] = {0}, func[NAME_LEN] = {0}, entry[NAME_LEN] = {0};
    __faasm_get_py_user((unsigned char *)user, NAME_LEN - 1);
    __faasm_get_py_func((unsigned char *)func, NAME_LEN - 1);
    __faasm_get_py_entry((unsigned char *)entry, NAME_LEN - 1);

    char dir[2 * NAME_LEN + 16];
    snprintf(dir, sizeof dir, "/pyfuncs/%s/%s", user, func);
    PyObject *sys_path = PySys_GetObject("path");
    PyObject *dir_obj = PyUnicode_FromString(dir);
    if (sys_path == NULL || dir_obj == NULL || PyList_Insert(sys_path, 0, dir_obj) != 0) {
        Py_XDECREF(dir_obj);
        return code_for_exception();
    }
    Py_DECREF(dir_obj);

    PyObject *module = load_function(dir);
    if (module == NULL) return code_for_exception();

    int with_input = entry[0] != '\0';
    const char *name = with_input ? entry : "faasm_main";
    PyObject *fn = PyObject_GetAttrString(module, name);
    Py_DECREF(module);
    if (fn == NULL || !PyCallable_Check(fn)) {
        PyErr_Clear();
        Py_XDECREF(fn);
        fprintf(stderr, "py_func: no function '%s' in %s/function.py\n", name, dir);
        return 1;
    }

    PyObject *result;
    if (with_input) {
        long len = __faasm_read_input(NULL, 0);
        PyObject *input = PyBytes_FromStringAndSize(NULL, len > 0 ? len : 0);
        if (input == NULL) {
            Py_DECREF(fn);
            return code_for_exception();
        }
        if (len > 0) __faasm_read_input((unsigned char *)PyBytes_AS_STRING(input), len);
        result = PyObject_CallOneArg(fn, input);
        Py_DECREF(input);
    } else {
        result = PyObject_CallNoArgs(fn);
    }
    Py_DECREF(fn);
    if (result == NULL) return code_for_exception();
    int rc = 0;
    if (PyLong_Check(result)) {
        rc = (int)PyLong_AsLong(result);
        if (PyErr_Occurred()) {
            PyErr_Clear();
            rc = 1;
        }
    }
    Py_DECREF(result);
    return rc;
}

__attribute__((export_name("_faasm_call"))) int faasm_call(void) {
    int rc = faasm_zygote();
    if (rc != 0) return rc;
    rc = run_function();
    flush_std_streams();
    return rc;
}
