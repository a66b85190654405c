;; CRC-32C update, slicing-by-8, over memory[p, p + len). The eight 256-entry tables
;; (table t at byte t * 1024) are written by the host before the first call. Built with
;; `wat2wasm crc32c.wat` (wabt 1.0.32); the bytes are embedded in crc32cWasm.ts.
(module
  (memory (export "memory") 2)
  (func (export "update") (param $crc i32) (param $p i32) (param $len i32) (result i32)
    (local $end i32) (local $end8 i32) (local $hi i32)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (local.set $end8 (i32.add (local.get $p) (i32.and (local.get $len) (i32.const -8))))
    (block $done8
      (loop $loop8
        (br_if $done8 (i32.ge_u (local.get $p) (local.get $end8)))
        (local.set $crc (i32.xor (local.get $crc) (i32.load (local.get $p))))
        (local.set $hi (i32.load offset=4 (local.get $p)))
        (local.set $crc
          (i32.xor (i32.xor (i32.xor (i32.xor (i32.xor (i32.xor (i32.xor (i32.load offset=7168 (i32.shl (i32.and (local.get $crc) (i32.const 255)) (i32.const 2)))
          (i32.load offset=6144 (i32.shl (i32.and (i32.shr_u (local.get $crc) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.load offset=5120 (i32.shl (i32.and (i32.shr_u (local.get $crc) (i32.const 16)) (i32.const 255)) (i32.const 2))))
          (i32.load offset=4096 (i32.shl (i32.shr_u (local.get $crc) (i32.const 24)) (i32.const 2))))
          (i32.load offset=3072 (i32.shl (i32.and (local.get $hi) (i32.const 255)) (i32.const 2))))
          (i32.load offset=2048 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.load offset=1024 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 16)) (i32.const 255)) (i32.const 2))))
          (i32.load offset=0 (i32.shl (i32.shr_u (local.get $hi) (i32.const 24)) (i32.const 2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $loop8)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $crc
          (i32.xor
            (i32.load (i32.shl (i32.and (i32.xor (local.get $crc) (i32.load8_u (local.get $p))) (i32.const 255)) (i32.const 2)))
            (i32.shr_u (local.get $crc) (i32.const 8))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $loop)))
    (local.get $crc)))
