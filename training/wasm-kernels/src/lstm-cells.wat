;; The element-wise step of a fused LSTM (gate order i, f, g, o as in tfjs/Keras) with 128-bit SIMD.
;; Compiled by training/wasm-kernels/src/build.ts (wabt) into ../generated/; typed wrappers: ../kernels.ts.
;; All arguments are byte addresses and byte strides; U (units) must be a multiple of 4.
;; Row stride 0 with an all-zero row stands for "no previous cell" / "no incoming gradient".
;; sigmoid and tanh use exp with Cephes' expf polynomial (relative error ~1e-7); constants are the
;; float32 values of the decimal ones in the comments, written in hex so no parser rounds them again.
(module
  (import "env" "memory" (memory 1))

  ;; One time step after z = [h x 1]·[R; W; b]. z [B, 4U] is overwritten by the activated gates; writes
  ;; c and tanh(c) [B, U] (rows of U) and h = o·tanh(c) to rows of hStride bytes.
  ;; Both activations are act(x) = mul / (1 + exp(x·scale)) − sub: sigmoid (1, −1, 0) and tanh (2, −2, 1).
  ;; exp is written out in the two loops that need it (V8 in Node 20 does not inline a call to it).
  (func (export "lstmForwardCell")
    (param $z i32) (param $cPrev i32) (param $cPrevStride i32) (param $c i32) (param $tanhC i32)
    (param $h i32) (param $hStride i32) (param $B i32) (param $U i32)
    (local $b i32) (local $o i32) (local $uBytes i32) (local $gBytes i32) (local $gate i32)
    (local $zRow i32) (local $cpRow i32) (local $cRow i32) (local $hRow i32) (local $at i32)
    (local $x v128) (local $n v128) (local $r v128) (local $p v128) (local $e v128)
    (local $scale v128) (local $mul v128) (local $sub v128) (local $cell v128)
    (local.set $uBytes (i32.shl (local.get $U) (i32.const 2)))
    (local.set $gBytes (i32.shl (local.get $uBytes) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $b) (local.get $B)))
        (local.set $zRow (i32.add (local.get $z) (i32.mul (local.get $b) (local.get $gBytes))))
        (local.set $cpRow (i32.add (local.get $cPrev) (i32.mul (local.get $b) (local.get $cPrevStride))))
        (local.set $cRow (i32.mul (local.get $b) (local.get $uBytes)))
        (local.set $hRow (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $hStride))))
        ;; The gates in place: sigmoid on blocks i, f, o; tanh on block g (the third).
        (local.set $o (i32.const 0))
        (block $gates_done
          (loop $gates
            (br_if $gates_done (i32.ge_s (local.get $o) (local.get $gBytes)))
            (local.set $gate (i32.and (i32.ge_s (local.get $o) (i32.shl (local.get $uBytes) (i32.const 1)))
              (i32.lt_s (local.get $o) (i32.mul (local.get $uBytes) (i32.const 3)))))
            (local.set $scale (select (result v128) (v128.const f32x4 -2 -2 -2 -2) (v128.const f32x4 -1 -1 -1 -1) (local.get $gate)))
            (local.set $mul (select (result v128) (v128.const f32x4 2 2 2 2) (v128.const f32x4 1 1 1 1) (local.get $gate)))
            (local.set $sub (select (result v128) (v128.const f32x4 1 1 1 1) (v128.const f32x4 0 0 0 0) (local.get $gate)))
            (local.set $at (i32.add (local.get $zRow) (local.get $o)))
            (local.set $x (v128.load (local.get $at)))
            ;; e = exp(x·scale) per lane (Cephes expf): clamp to ±87, n = round(x·log2 e), r = x − n·ln 2 (in two
            ;; parts), e = (p(r)·r² + r + 1)·2ⁿ with the scaling done by adding n to the exponent bits.
            (local.set $x (f32x4.mul (local.get $x) (local.get $scale)))
            (local.set $x (f32x4.pmin (local.get $x) (v128.const f32x4 0x1.5cp+6 0x1.5cp+6 0x1.5cp+6 0x1.5cp+6)))      ;; 87
            (local.set $x (f32x4.pmax (local.get $x) (v128.const f32x4 -0x1.5cp+6 -0x1.5cp+6 -0x1.5cp+6 -0x1.5cp+6)))  ;; -87
            (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
              (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0))))                  ;; log2 e
            (local.set $r (f32x4.sub
              (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0x1.63p-1 0x1.63p-1 0x1.63p-1 0x1.63p-1)))
              (f32x4.mul (local.get $n) (v128.const f32x4 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $r)
              (v128.const f32x4 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13))
              (v128.const f32x4 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0x1p-1 0x1p-1 0x1p-1 0x1p-1)))
            (local.set $e (i32x4.add
              (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
                (v128.const f32x4 1 1 1 1))
              (i32x4.shl (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32.const 23))))
            (v128.store (local.get $at) (f32x4.sub
              (f32x4.div (local.get $mul) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e))) (local.get $sub)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $gates)))
        ;; c = f·c_prev + i·g; h = o·tanh(c)
        (local.set $scale (v128.const f32x4 -2 -2 -2 -2))
        (local.set $o (i32.const 0))
        (block $units_done
          (loop $units
            (br_if $units_done (i32.ge_s (local.get $o) (local.get $uBytes)))
            (local.set $at (i32.add (local.get $zRow) (local.get $o)))
            (local.set $cell (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $at) (local.get $uBytes))) (v128.load (i32.add (local.get $cpRow) (local.get $o))))
              (f32x4.mul (v128.load (local.get $at)) (v128.load (i32.add (local.get $at) (i32.shl (local.get $uBytes) (i32.const 1)))))))
            (v128.store (i32.add (i32.add (local.get $c) (local.get $cRow)) (local.get $o)) (local.get $cell))
            (local.set $x (local.get $cell))
            ;; e = exp(x·scale) per lane (Cephes expf): clamp to ±87, n = round(x·log2 e), r = x − n·ln 2 (in two
            ;; parts), e = (p(r)·r² + r + 1)·2ⁿ with the scaling done by adding n to the exponent bits.
            (local.set $x (f32x4.mul (local.get $x) (local.get $scale)))
            (local.set $x (f32x4.pmin (local.get $x) (v128.const f32x4 0x1.5cp+6 0x1.5cp+6 0x1.5cp+6 0x1.5cp+6)))      ;; 87
            (local.set $x (f32x4.pmax (local.get $x) (v128.const f32x4 -0x1.5cp+6 -0x1.5cp+6 -0x1.5cp+6 -0x1.5cp+6)))  ;; -87
            (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
              (v128.const f32x4 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0 0x1.715476p+0))))                  ;; log2 e
            (local.set $r (f32x4.sub
              (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0x1.63p-1 0x1.63p-1 0x1.63p-1 0x1.63p-1)))
              (f32x4.mul (local.get $n) (v128.const f32x4 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13 -0x1.bd0106p-13))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $r)
              (v128.const f32x4 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13 0x1.a0d2cep-13))
              (v128.const f32x4 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10 0x1.6e879cp-10)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7 0x1.11121p-7)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5 0x1.555382p-5)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
              (v128.const f32x4 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3 0x1.555554p-3)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0x1p-1 0x1p-1 0x1p-1 0x1p-1)))
            (local.set $e (i32x4.add
              (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
                (v128.const f32x4 1 1 1 1))
              (i32x4.shl (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32.const 23))))
            (local.set $x (f32x4.sub
              (f32x4.div (v128.const f32x4 2 2 2 2) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e))) (v128.const f32x4 1 1 1 1)))
            (v128.store (i32.add (i32.add (local.get $tanhC) (local.get $cRow)) (local.get $o)) (local.get $x))
            (v128.store (i32.add (local.get $hRow) (local.get $o))
              (f32x4.mul (v128.load (i32.add (local.get $at) (i32.mul (local.get $uBytes) (i32.const 3)))) (local.get $x)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $units)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; One step of backpropagation through time: dh = dy + dn (dn the gradient from the step after);
  ;; dc [B, U] is updated in place (dc_prev = dc·f); dz [B, 4U] receives the gate gradients.
  ;; g holds the activated gates of the forward step, tanhC its tanh(c).
  (func (export "lstmBackwardCell")
    (param $g i32) (param $cPrev i32) (param $cPrevStride i32) (param $tanhC i32) (param $dc i32)
    (param $dy i32) (param $dyStride i32) (param $dn i32) (param $dnStride i32) (param $dz i32)
    (param $B i32) (param $U i32)
    (local $b i32) (local $o i32) (local $uBytes i32)
    (local $gRow i32) (local $dzRow i32) (local $cpRow i32) (local $dyRow i32) (local $dnRow i32) (local $row i32)
    (local $at i32) (local $dcAt i32)
    (local $gi v128) (local $gf v128) (local $gg v128) (local $go v128) (local $tc v128) (local $dh v128) (local $dcv v128)
    (local.set $uBytes (i32.shl (local.get $U) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $b) (local.get $B)))
        (local.set $row (i32.shl (i32.mul (local.get $b) (local.get $uBytes)) (i32.const 2)))
        (local.set $gRow (i32.add (local.get $g) (local.get $row)))
        (local.set $dzRow (i32.add (local.get $dz) (local.get $row)))
        (local.set $cpRow (i32.add (local.get $cPrev) (i32.mul (local.get $b) (local.get $cPrevStride))))
        (local.set $dyRow (i32.add (local.get $dy) (i32.mul (local.get $b) (local.get $dyStride))))
        (local.set $dnRow (i32.add (local.get $dn) (i32.mul (local.get $b) (local.get $dnStride))))
        (local.set $row (i32.mul (local.get $b) (local.get $uBytes)))
        (local.set $o (i32.const 0))
        (block $units_done
          (loop $units
            (br_if $units_done (i32.ge_s (local.get $o) (local.get $uBytes)))
            (local.set $at (i32.add (local.get $gRow) (local.get $o)))
            (local.set $gi (v128.load (local.get $at)))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (local.set $gf (v128.load (local.get $at)))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (local.set $gg (v128.load (local.get $at)))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (local.set $go (v128.load (local.get $at)))
            (local.set $tc (v128.load (i32.add (i32.add (local.get $tanhC) (local.get $row)) (local.get $o))))
            (local.set $dh (f32x4.add
              (v128.load (i32.add (local.get $dyRow) (local.get $o)))
              (v128.load (i32.add (local.get $dnRow) (local.get $o)))))
            ;; dc = dc_next + dh·o·(1 − tanh²c)
            (local.set $dcAt (i32.add (i32.add (local.get $dc) (local.get $row)) (local.get $o)))
            (local.set $dcv (f32x4.add (v128.load (local.get $dcAt))
              (f32x4.mul (f32x4.mul (local.get $dh) (local.get $go))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $tc) (local.get $tc))))))
            ;; di = dc·g·i(1 − i); df = dc·c_prev·f(1 − f); dg = dc·i·(1 − g²); do = dh·tanh(c)·o(1 − o)
            (local.set $at (i32.add (local.get $dzRow) (local.get $o)))
            (v128.store (local.get $at)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $gg)) (local.get $gi))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $gi))))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (v128.store (local.get $at)
              (f32x4.mul
                (f32x4.mul (f32x4.mul (local.get $dcv) (v128.load (i32.add (local.get $cpRow) (local.get $o)))) (local.get $gf))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $gf))))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (v128.store (local.get $at)
              (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $gi))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $gg) (local.get $gg)))))
            (local.set $at (i32.add (local.get $at) (local.get $uBytes)))
            (v128.store (local.get $at)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (local.get $go))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $go))))
            (v128.store (local.get $dcAt) (f32x4.mul (local.get $dcv) (local.get $gf)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $units)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows)))))
