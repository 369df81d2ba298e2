;; A module for the engine boundary's own tests: a memory with a maximum (which the wasmtime
;; engine turns into an import), a mutable and an immutable global, a host import, and functions
;; that read them, grow memory and spin.
(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (memory (export "memory") 2 10)
  (global $counter (mut i32) (i32.const 42))
  (global $fixed i32 (i32.const 7))
  (data (i32.const 0) "\01\00\00\00")
  ;; twice(counter + memory[0]) + fixed
  (func (export "get") (result i32)
    (i32.add (call $twice (i32.add (global.get $counter) (i32.load (i32.const 0)))) (global.get $fixed)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  ;; memory.grow by 100 pages: -1 past the host's limit
  (func (export "grow") (result i32) (memory.grow (i32.const 100)))
  (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0)))
