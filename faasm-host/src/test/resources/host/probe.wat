;; A tiny stand-in for py_func.wasm that misbehaves on request, to test the host without CPython.
;; The entry name picks what _faasm_call does: "neg" passes a negative state offset, "empty" an
;; empty state key, "oob" an output range outside memory, "trap" hits unreachable, "spin" never
;; ends, "deep" recurses without end, "flag" returns conf_flag("ALWAYS_ON") + 2 *
;; conf_flag("ALWAYS_OFF"), "read" returns what fd_read gives for a 2 GiB buffer in a 128 KiB memory;
;; anything else returns 0. Every call first writes "ok" as its output.
(module
  (import "env" "__faasm_read_state_offset" (func $read_state_offset (param i32 i32 i32 i32 i32)))
  (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
  (import "env" "__faasm_get_py_entry" (func $get_entry (param i32 i32)))
  (import "env" "__faasm_conf_flag" (func $conf_flag (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "key\00")
  (data (i32.const 16) "ALWAYS_ON\00")
  (data (i32.const 32) "ALWAYS_OFF\00")
  (data (i32.const 48) "ok")
  ;; one I/O vector: 2147483647 bytes at 1000
  (data (i32.const 256) "\e8\03\00\00\ff\ff\ff\7f")
  (func (export "_initialize"))
  (func (export "_faasm_zygote") (result i32) (i32.const 0))
  (func $deep (param $n i32) (result i32)
    (i32.add (call $deep (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "_faasm_call") (result i32)
    (local $c i32)
    (call $write_output (i32.const 48) (i32.const 2))
    (call $get_entry (i32.const 64) (i32.const 32))
    (local.set $c (i32.load8_u (i32.const 64)))
    (if (i32.eq (local.get $c) (i32.const 110)) ;; n
      (then (call $read_state_offset (i32.const 0) (i32.const 10) (i32.const -1) (i32.const 128) (i32.const 3))))
    (if (i32.eq (local.get $c) (i32.const 101)) ;; e: the empty string at 3
      (then (call $read_state_offset (i32.const 3) (i32.const 10) (i32.const 0) (i32.const 128) (i32.const 3))))
    (if (i32.eq (local.get $c) (i32.const 111)) ;; o
      (then (call $write_output (i32.const 131000) (i32.const 100))))
    (if (i32.eq (local.get $c) (i32.const 116)) ;; t
      (then (unreachable)))
    (if (i32.eq (local.get $c) (i32.const 115)) ;; s
      (then (loop $forever (br $forever))))
    (if (i32.eq (local.get $c) (i32.const 100)) ;; d
      (then (drop (call $deep (i32.const 0)))))
    (if (i32.eq (local.get $c) (i32.const 114)) ;; r
      (then (return (call $fd_read (i32.const 0) (i32.const 256) (i32.const 1) (i32.const 300)))))
    (if (i32.eq (local.get $c) (i32.const 102)) ;; f
      (then (return (i32.add (call $conf_flag (i32.const 16)) (i32.mul (i32.const 2) (call $conf_flag (i32.const 32)))))))
    (call $write_output (i32.const 48) (i32.const 2))
    (i32.const 0)))
