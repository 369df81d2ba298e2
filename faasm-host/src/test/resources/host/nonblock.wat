;; A WASI command for WasiRunnerTest: opens f in the first preopen (fd 3), sets O_NONBLOCK on it and
;; reads the flags back, then clears it. Exits with 0, or with the step that went wrong (1 to 5).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "f")
  (func $fail (param $step i32) (call $proc_exit (local.get $step)))
  (func (export "_start")
    (local $fd i32)
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 1)
          (i64.const 0x1fffffff) (i64.const 0) (i32.const 0) (i32.const 48))
      (then (call $fail (i32.const 1))))
    (local.set $fd (i32.load (i32.const 48)))
    ;; fdflags 4 = NONBLOCK
    (if (call $set_flags (local.get $fd) (i32.const 4)) (then (call $fail (i32.const 2))))
    (if (call $fdstat_get (local.get $fd) (i32.const 64)) (then (call $fail (i32.const 3))))
    (if (i32.ne (i32.and (i32.load16_u (i32.const 66)) (i32.const 4)) (i32.const 4)) (then (call $fail (i32.const 4))))
    (drop (call $set_flags (local.get $fd) (i32.const 0)))
    (drop (call $fdstat_get (local.get $fd) (i32.const 64)))
    (if (i32.and (i32.load16_u (i32.const 66)) (i32.const 4)) (then (call $fail (i32.const 5))))
    (call $proc_exit (i32.const 0))))
