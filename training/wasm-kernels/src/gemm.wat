;; Single-precision GEMM kernels with 128-bit SIMD (4 f32 lanes), over the memory the host imports.
;; Compiled by training/wasm-kernels/src/build.ts (wabt) into ../generated/; typed wrappers: ../kernels.ts.
;;
;; All arguments are byte addresses and byte strides; matrices are row-major; N must be a multiple of 4.
;;   gemm                     C[M,N]  = A[M,K]·B[K,N]
;;   gemmAccumulate           C[M,N] += A[M,K]·B[K,N]
;;   gemmTransposeA           C[M,N]  = Aᵀ·B for A stored [K,M]
;;   gemmTransposeAAccumulate C[M,N] += Aᵀ·B for A stored [K,M]
;; C is computed in register tiles of 4 rows × 8 columns (8 accumulators), with 1-row and 4-column tails.
(module
  (import "env" "memory" (memory 1))

  ;; C (=|+=) A·B where element (i, k) of A is at a + i·aRow + k·aK:
  ;; (aRow, aK) = (lda, 4) for A stored [M, K], (4, lda) for A stored [K, M].
  ;; One function with the four register tiles written out (V8 in Node 20 does not inline a call per tile,
  ;; which measured slower): in each tile a0..a3 walk rows of A along k, pb walks B, s.. accumulate C.
  (func $gemm
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $aRow i32) (param $aK i32) (param $ldb i32) (param $ldc i32) (param $accumulate i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pb i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; Column blocks of 8.
    (local.set $j (i32.const 0))
    (block $cols8_done
      (loop $cols8
        (br_if $cols8_done (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $N)))
        ;; Rows in blocks of 4, then one at a time.
        (local.set $i (i32.const 0))
        (block $rows4_done
          (loop $rows4
            (br_if $rows4_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $M)))
            ;; rows i..i+3, columns j..j+7
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $aRow)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate)
              (then
                (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                  (i32.shl (local.get $j) (i32.const 2))))
                (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
                (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
                (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
                (local.set $s00 (v128.load (local.get $c0))) (local.set $s01 (v128.load offset=16 (local.get $c0)))
                (local.set $s10 (v128.load (local.get $c1))) (local.set $s11 (v128.load offset=16 (local.get $c1)))
                (local.set $s20 (v128.load (local.get $c2))) (local.set $s21 (v128.load offset=16 (local.get $c2)))
                (local.set $s30 (v128.load (local.get $c3))) (local.set $s31 (v128.load offset=16 (local.get $c3))))
              (else
                (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
                (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
                (local.set $s20 (v128.const i64x2 0 0)) (local.set $s21 (v128.const i64x2 0 0))
                (local.set $s30 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0))))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $k_step
                (br_if $k_done (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (v128.load32_splat (local.get $a0)))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a1)))
                (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a2)))
                (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a3)))
                (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $aK)))
                (local.set $a1 (i32.add (local.get $a1) (local.get $aK)))
                (local.set $a2 (i32.add (local.get $a2) (local.get $aK)))
                (local.set $a3 (i32.add (local.get $a3) (local.get $aK)))
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $k_step)))
            ;; C's row addresses, computed here so that they hold no register during the k loop.
            (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
            (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
            (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
            (v128.store (local.get $c0) (local.get $s00)) (v128.store offset=16 (local.get $c0) (local.get $s01))
            (v128.store (local.get $c1) (local.get $s10)) (v128.store offset=16 (local.get $c1) (local.get $s11))
            (v128.store (local.get $c2) (local.get $s20)) (v128.store offset=16 (local.get $c2) (local.get $s21))
            (v128.store (local.get $c3) (local.get $s30)) (v128.store offset=16 (local.get $c3) (local.get $s31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows4)))
        (block $rows1_done
          (loop $rows1
            (br_if $rows1_done (i32.ge_s (local.get $i) (local.get $M)))
            ;; row i, columns j..j+7
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate)
              (then
                (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                  (i32.shl (local.get $j) (i32.const 2))))
                (local.set $s00 (v128.load (local.get $c0))) (local.set $s01 (v128.load offset=16 (local.get $c0))))
              (else
                (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $k_step
                (br_if $k_done (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $x (v128.load32_splat (local.get $a0)))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (v128.load (local.get $pb)))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $pb)))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $aK)))
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $k_step)))
            ;; C's row addresses, computed here so that they hold no register during the k loop.
            (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (v128.store (local.get $c0) (local.get $s00))
            (v128.store offset=16 (local.get $c0) (local.get $s01))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows1)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols8)))
    ;; A last block of 4 columns.
    (if (i32.lt_s (local.get $j) (local.get $N))
      (then
        ;; Rows in blocks of 4, then one at a time.
        (local.set $i (i32.const 0))
        (block $rows4_done
          (loop $rows4
            (br_if $rows4_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $M)))
            ;; rows i..i+3, columns j..j+3
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $aRow)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $aRow)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $aRow)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate)
              (then
                (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                  (i32.shl (local.get $j) (i32.const 2))))
                (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
                (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
                (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
                (local.set $s0 (v128.load (local.get $c0))) (local.set $s1 (v128.load (local.get $c1)))
                (local.set $s2 (v128.load (local.get $c2))) (local.set $s3 (v128.load (local.get $c3))))
              (else
                (local.set $s0 (v128.const i64x2 0 0)) (local.set $s1 (v128.const i64x2 0 0))
                (local.set $s2 (v128.const i64x2 0 0)) (local.set $s3 (v128.const i64x2 0 0))))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $k_step
                (br_if $k_done (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load32_splat (local.get $a0)) (local.get $b0))))
                (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $b0))))
                (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $b0))))
                (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $b0))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $aK)))
                (local.set $a1 (i32.add (local.get $a1) (local.get $aK)))
                (local.set $a2 (i32.add (local.get $a2) (local.get $aK)))
                (local.set $a3 (i32.add (local.get $a3) (local.get $aK)))
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $k_step)))
            ;; C's row addresses, computed here so that they hold no register during the k loop.
            (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
            (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
            (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
            (v128.store (local.get $c0) (local.get $s0))
            (v128.store (local.get $c1) (local.get $s1))
            (v128.store (local.get $c2) (local.get $s2))
            (v128.store (local.get $c3) (local.get $s3))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows4)))
        (block $rows1_done
          (loop $rows1
            (br_if $rows1_done (i32.ge_s (local.get $i) (local.get $M)))
            ;; row i, columns j..j+3
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate)
              (then
                (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                  (i32.shl (local.get $j) (i32.const 2))))
                (local.set $s0 (v128.load (local.get $c0))))
              (else
                (local.set $s0 (v128.const i64x2 0 0))))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $k_step
                (br_if $k_done (i32.ge_s (local.get $k) (local.get $K)))
                (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load32_splat (local.get $a0)) (v128.load (local.get $pb)))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $aK)))
                (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $k_step)))
            ;; C's row addresses, computed here so that they hold no register during the k loop.
            (local.set $c0 (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (v128.store (local.get $c0) (local.get $s0))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows1))))))

  (func (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (call $gemm (local.get $a) (local.get $b) (local.get $c) (local.get $M) (local.get $N) (local.get $K)
      (local.get $lda) (i32.const 4) (local.get $ldb) (local.get $ldc) (i32.const 0)))

  (func (export "gemmAccumulate")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (call $gemm (local.get $a) (local.get $b) (local.get $c) (local.get $M) (local.get $N) (local.get $K)
      (local.get $lda) (i32.const 4) (local.get $ldb) (local.get $ldc) (i32.const 1)))

  (func (export "gemmTransposeA")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (call $gemm (local.get $a) (local.get $b) (local.get $c) (local.get $M) (local.get $N) (local.get $K)
      (i32.const 4) (local.get $lda) (local.get $ldb) (local.get $ldc) (i32.const 0)))

  (func (export "gemmTransposeAAccumulate")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (param $lda i32) (param $ldb i32) (param $ldc i32)
    (call $gemm (local.get $a) (local.get $b) (local.get $c) (local.get $M) (local.get $N) (local.get $K)
      (i32.const 4) (local.get $lda) (local.get $ldb) (local.get $ldc) (i32.const 1))))
