;; A WASI command for WasiRunnerTest: writes "hello" to stdout, creates out.txt in the first preopen
;; (fd 3), and exits with 7, or with 100 + the errno when out.txt cannot be created.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "hello\n")
  (data (i32.const 32) "out.txt")
  (func (export "_start")
    (local $errno i32)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; oflags 1 = O_CREAT; rights: fd_write (1 << 6)
    (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 7) (i32.const 1)
      (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 48)))
    (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
    (call $proc_exit (i32.const 7))))
