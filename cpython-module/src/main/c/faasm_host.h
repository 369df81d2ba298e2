/*
 * The Faasm host interface: functions the entrypoint imports from wasm module "env".
 * On wasm32 every argument is an i32.
 */
#ifndef FAASM_HOST_H
#define FAASM_HOST_H

#define FAASM_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

FAASM_IMPORT(__faasm_read_input) long __faasm_read_input(unsigned char *buf, long len);
FAASM_IMPORT(__faasm_write_output) void __faasm_write_output(const char *out, long len);
FAASM_IMPORT(__faasm_read_state) long __faasm_read_state(const char *key, unsigned char *buf, long len);
FAASM_IMPORT(__faasm_read_state_offset)
void __faasm_read_state_offset(const char *key, long total, long off, unsigned char *buf, long len);
FAASM_IMPORT(__faasm_write_state) void __faasm_write_state(const char *key, const unsigned char *data, long len);
FAASM_IMPORT(__faasm_write_state_offset)
void __faasm_write_state_offset(const char *key, long total, long off, const unsigned char *data, long len);
FAASM_IMPORT(__faasm_push_state) void __faasm_push_state(const char *key);
FAASM_IMPORT(__faasm_push_state_partial) void __faasm_push_state_partial(const char *key);
FAASM_IMPORT(__faasm_pull_state) void __faasm_pull_state(const char *key, long len);
FAASM_IMPORT(__faasm_chain_py) unsigned int __faasm_chain_py(const char *entry, const unsigned char *input, long len);
FAASM_IMPORT(__faasm_await_call) int __faasm_await_call(unsigned int id);
/* A chained call's output: len == 0 -> its size; else the bytes copied; -1 for an unknown call. */
FAASM_IMPORT(__faasm_await_call_output) long __faasm_await_call_output(unsigned int id, unsigned char *buf, long len);
FAASM_IMPORT(__faasm_get_py_user) void __faasm_get_py_user(unsigned char *buf, long len);
FAASM_IMPORT(__faasm_get_py_func) void __faasm_get_py_func(unsigned char *buf, long len);
FAASM_IMPORT(__faasm_get_py_entry) void __faasm_get_py_entry(unsigned char *buf, long len);
FAASM_IMPORT(__faasm_conf_flag) unsigned int __faasm_conf_flag(const char *key);

#endif
