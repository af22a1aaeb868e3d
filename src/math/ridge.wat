;; Standardised ridge least squares in WebAssembly SIMD (f64x2), for src/math/ridge.ts: column moments and
;; standardisation of float32 rows, the Gram matrix G = X'X, its Cholesky factor (carrying X'y to the forward
;; substitution), the back substitution and the scores of held-out rows. Assembled into ridge-wasm.ts by
;; `node scripts/build-wasm.mjs` (wabt); edit this file, never the bytes.
;;
;; Every sum runs in exactly the order of the plain-JS twins in ridge.ts, so both give the same bits. For G:
;;   g[i][j] = 0; for each block of four rows r..r+3: g += ((x[r,i] x[r,j] + x[r+1,i] x[r+1,j]) + x[r+2,i] x[r+2,j]) + x[r+3,i] x[r+3,j]
;;   then g += x[r,i] x[r,j] for each of the last rows % 4.
;; The two lanes of an f64x2 are two neighbouring columns j, j+1 (never two rows), so vectorising changes no sum.
;;
;; gram(x, rows, stride, d, g): a tile is 2 rows of G (i, i+1) by 4 columns (j..j+3): 4 accumulators, 4 block sums,
;; 2 splats and 2 loads stay in the 16 vector registers of x86-64, and each row of X read gives 8 multiply-adds for 4
;; loads. Tiles cover the upper triangle (j from i rounded down to 4: a few entries below the diagonal are computed
;; too and must be ignored). Rows go in panels of 16 (a multiple of 4, so the blocks of four are the same), each tile's
;; running sums kept in G between panels: a panel's 16 rows of X stay in L1 across all tiles (~8% faster than
;; streaming every row of X once per tile, which at a 1 KB row stride keeps missing L1).
;;
;; Layout (byte offsets into the exported memory, 16-byte aligned): X at $x, rows x stride; G at $g, stride x stride.
;; stride must be a multiple of 4 and >= d + (d odd): the tile reads columns up to j+3 and row i+1 of X's columns and
;; writes row i+1 of G, which for an odd d is the padding column d. What padding holds is never read into a result.
(module
  (memory (export "memory") 1)
  (func (export "gram") (param $x i32) (param $rows i32) (param $stride i32) (param $d i32) (param $g i32)
    (local $r0 i32) (local $n i32)
    (memory.fill (local.get $g) (i32.const 0) (i32.shl (i32.mul (local.get $stride) (local.get $stride)) (i32.const 3)))
    (local.set $r0 (i32.const 0))
    (block $p_end
      (loop $p_loop
        (br_if $p_end (i32.ge_u (local.get $r0) (local.get $rows)))
        (local.set $n (i32.sub (local.get $rows) (local.get $r0)))
        (if (i32.gt_u (local.get $n) (i32.const 16)) (then (local.set $n (i32.const 16))))
        (call $panel (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r0) (local.get $stride)) (i32.const 3)))
          (local.get $n) (local.get $stride) (local.get $d) (local.get $g))
        (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
        (br $p_loop))))
  (func $panel (param $x i32) (param $rows i32) (param $stride i32) (param $d i32) (param $g i32)
    (local $rb i32) (local $i i32) (local $j i32) (local $r i32) (local $pi i32) (local $pj i32) (local $out i32)
    (local $xi0 v128) (local $xi1 v128) (local $xj0 v128) (local $xj1 v128)
    (local $t00 v128) (local $t01 v128) (local $t10 v128) (local $t11 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local.set $rb (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $i_end
      (loop $i_loop
        (br_if $i_end (i32.ge_u (local.get $i) (local.get $d)))
        (local.set $j (i32.and (local.get $i) (i32.const -4)))
        (block $j_end
          (loop $j_loop
            (br_if $j_end (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $pi (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $pj (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $out (i32.add (local.get $g)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $stride)) (local.get $j)) (i32.const 3))))
            (local.set $s00 (v128.load (local.get $out)))
            (local.set $s01 (v128.load offset=16 (local.get $out)))
            (local.set $s10 (v128.load (i32.add (local.get $out) (local.get $rb))))
            (local.set $s11 (v128.load offset=16 (i32.add (local.get $out) (local.get $rb))))
            (local.set $r (local.get $rows))
            ;; blocks of four rows: t = x0 x0' + x1 x1' + x2 x2' + x3 x3' (left to right), then s = s + t
            (block $b_end
              (loop $b_loop
                (br_if $b_end (i32.lt_u (local.get $r) (i32.const 4)))
                ;; row 0 of the block
                (local.set $xi0 (v128.load64_splat (local.get $pi)))
                (local.set $xi1 (v128.load64_splat offset=8 (local.get $pi)))
                (local.set $xj0 (v128.load (local.get $pj)))
                (local.set $xj1 (v128.load offset=16 (local.get $pj)))
                (local.set $t00 (f64x2.mul (local.get $xi0) (local.get $xj0)))
                (local.set $t01 (f64x2.mul (local.get $xi0) (local.get $xj1)))
                (local.set $t10 (f64x2.mul (local.get $xi1) (local.get $xj0)))
                (local.set $t11 (f64x2.mul (local.get $xi1) (local.get $xj1)))
                (local.set $pi (i32.add (local.get $pi) (local.get $rb)))
                (local.set $pj (i32.add (local.get $pj) (local.get $rb)))
                ;; row 1
                (local.set $xi0 (v128.load64_splat (local.get $pi)))
                (local.set $xi1 (v128.load64_splat offset=8 (local.get $pi)))
                (local.set $xj0 (v128.load (local.get $pj)))
                (local.set $xj1 (v128.load offset=16 (local.get $pj)))
                (local.set $t00 (f64x2.add (local.get $t00) (f64x2.mul (local.get $xi0) (local.get $xj0))))
                (local.set $t01 (f64x2.add (local.get $t01) (f64x2.mul (local.get $xi0) (local.get $xj1))))
                (local.set $t10 (f64x2.add (local.get $t10) (f64x2.mul (local.get $xi1) (local.get $xj0))))
                (local.set $t11 (f64x2.add (local.get $t11) (f64x2.mul (local.get $xi1) (local.get $xj1))))
                (local.set $pi (i32.add (local.get $pi) (local.get $rb)))
                (local.set $pj (i32.add (local.get $pj) (local.get $rb)))
                ;; row 2
                (local.set $xi0 (v128.load64_splat (local.get $pi)))
                (local.set $xi1 (v128.load64_splat offset=8 (local.get $pi)))
                (local.set $xj0 (v128.load (local.get $pj)))
                (local.set $xj1 (v128.load offset=16 (local.get $pj)))
                (local.set $t00 (f64x2.add (local.get $t00) (f64x2.mul (local.get $xi0) (local.get $xj0))))
                (local.set $t01 (f64x2.add (local.get $t01) (f64x2.mul (local.get $xi0) (local.get $xj1))))
                (local.set $t10 (f64x2.add (local.get $t10) (f64x2.mul (local.get $xi1) (local.get $xj0))))
                (local.set $t11 (f64x2.add (local.get $t11) (f64x2.mul (local.get $xi1) (local.get $xj1))))
                (local.set $pi (i32.add (local.get $pi) (local.get $rb)))
                (local.set $pj (i32.add (local.get $pj) (local.get $rb)))
                ;; row 3
                (local.set $xi0 (v128.load64_splat (local.get $pi)))
                (local.set $xi1 (v128.load64_splat offset=8 (local.get $pi)))
                (local.set $xj0 (v128.load (local.get $pj)))
                (local.set $xj1 (v128.load offset=16 (local.get $pj)))
                (local.set $t00 (f64x2.add (local.get $t00) (f64x2.mul (local.get $xi0) (local.get $xj0))))
                (local.set $t01 (f64x2.add (local.get $t01) (f64x2.mul (local.get $xi0) (local.get $xj1))))
                (local.set $t10 (f64x2.add (local.get $t10) (f64x2.mul (local.get $xi1) (local.get $xj0))))
                (local.set $t11 (f64x2.add (local.get $t11) (f64x2.mul (local.get $xi1) (local.get $xj1))))
                (local.set $pi (i32.add (local.get $pi) (local.get $rb)))
                (local.set $pj (i32.add (local.get $pj) (local.get $rb)))
                (local.set $s00 (f64x2.add (local.get $s00) (local.get $t00)))
                (local.set $s01 (f64x2.add (local.get $s01) (local.get $t01)))
                (local.set $s10 (f64x2.add (local.get $s10) (local.get $t10)))
                (local.set $s11 (f64x2.add (local.get $s11) (local.get $t11)))
                (local.set $r (i32.sub (local.get $r) (i32.const 4)))
                (br $b_loop)))
            ;; the last rows % 4, one at a time: s = s + x x'
            (block $t_end
              (loop $t_loop
                (br_if $t_end (i32.eqz (local.get $r)))
                (local.set $xi0 (v128.load64_splat (local.get $pi)))
                (local.set $xi1 (v128.load64_splat offset=8 (local.get $pi)))
                (local.set $xj0 (v128.load (local.get $pj)))
                (local.set $xj1 (v128.load offset=16 (local.get $pj)))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $xi0) (local.get $xj0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $xi0) (local.get $xj1))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $xi1) (local.get $xj0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $xi1) (local.get $xj1))))
                (local.set $pi (i32.add (local.get $pi) (local.get $rb)))
                (local.set $pj (i32.add (local.get $pj) (local.get $rb)))
                (local.set $r (i32.sub (local.get $r) (i32.const 1)))
                (br $t_loop)))
            ;; g[i][j..j+3] and g[i+1][j..j+3]
            (v128.store (local.get $out) (local.get $s00))
            (v128.store offset=16 (local.get $out) (local.get $s01))
            (local.set $out (i32.add (local.get $out) (local.get $rb)))
            (v128.store (local.get $out) (local.get $s10))
            (v128.store offset=16 (local.get $out) (local.get $s11))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $i_loop))))
;; cholesky(a, stride, d, n): in place on the upper triangle of A (rows and columns 0..n-1 of a row-major matrix with
;; the given stride, 16-byte aligned rows), the first d rows become U with A = U'U over the leading d x d block
;; (U = L', L the lower Cholesky factor; pivots below 1e-12 are raised to it), and columns d..n-1 of those rows become
;; U'^-1 of A's: with X'y in column d, that column ends up holding z, the forward substitution U'z = X'y.
;; Row j, column i >= j: t = A[j][i] - U[0][j] U[0][i] - U[1][j] U[1][i] - ... (k = 0..j-1 in order, the sums of the
;; JS twin), then U[j][j] = sqrt(max(t_jj, 1e-12)) and U[j][i] = t_ji / U[j][j]. Lanes run over i from j rounded down
;; to even: the one entry left of the diagonal so touched is below it and never read. Requires stride >= n + (n odd).
  (func (export "cholesky") (param $a i32) (param $stride i32) (param $d i32) (param $n i32)
    (local $rb i32) (local $j i32) (local $k i32) (local $i i32) (local $pj i32) (local $pk i32) (local $p i32) (local $q i32)
    (local $i0 i32) (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128) (local $t v128) (local $l f64)
    (local.set $rb (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $j_end
      (loop $j_loop
        (br_if $j_end (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $pj (i32.add (local.get $a) (i32.mul (local.get $j) (local.get $rb))))
        (local.set $i0 (i32.shl (i32.and (local.get $j) (i32.const -2)) (i32.const 3)))
        (local.set $k (i32.const 0))
        (local.set $pk (local.get $a))
        ;; four rows k at a time: t = (((t - U[k][i] u0) - U[k+1][i] u1) - U[k+2][i] u2) - U[k+3][i] u3
        (block $k_end
          (loop $k_loop
            (br_if $k_end (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $j)))
            (local.set $q (i32.add (local.get $pk) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $u0 (v128.load64_splat (local.get $q)))
            (local.set $q (i32.add (local.get $q) (local.get $rb)))
            (local.set $u1 (v128.load64_splat (local.get $q)))
            (local.set $q (i32.add (local.get $q) (local.get $rb)))
            (local.set $u2 (v128.load64_splat (local.get $q)))
            (local.set $q (i32.add (local.get $q) (local.get $rb)))
            (local.set $u3 (v128.load64_splat (local.get $q)))
            (local.set $i (local.get $i0))
            (block $i_end
              (loop $i_loop
                (br_if $i_end (i32.ge_u (local.get $i) (i32.shl (local.get $n) (i32.const 3))))
                (local.set $p (i32.add (local.get $pj) (local.get $i)))
                (local.set $q (i32.add (local.get $pk) (local.get $i)))
                (local.set $t (f64x2.sub (v128.load (local.get $p)) (f64x2.mul (v128.load (local.get $q)) (local.get $u0))))
                (local.set $q (i32.add (local.get $q) (local.get $rb)))
                (local.set $t (f64x2.sub (local.get $t) (f64x2.mul (v128.load (local.get $q)) (local.get $u1))))
                (local.set $q (i32.add (local.get $q) (local.get $rb)))
                (local.set $t (f64x2.sub (local.get $t) (f64x2.mul (v128.load (local.get $q)) (local.get $u2))))
                (local.set $q (i32.add (local.get $q) (local.get $rb)))
                (local.set $t (f64x2.sub (local.get $t) (f64x2.mul (v128.load (local.get $q)) (local.get $u3))))
                (v128.store (local.get $p) (local.get $t))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $i_loop)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $pk (i32.add (local.get $pk) (i32.shl (local.get $rb) (i32.const 2))))
            (br $k_loop)))
        ;; the last j % 4 rows k one at a time
        (block $k1_end
          (loop $k1_loop
            (br_if $k1_end (i32.ge_u (local.get $k) (local.get $j)))
            (local.set $u0 (v128.load64_splat (i32.add (local.get $pk) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $i (local.get $i0))
            (block $i1_end
              (loop $i1_loop
                (br_if $i1_end (i32.ge_u (local.get $i) (i32.shl (local.get $n) (i32.const 3))))
                (local.set $p (i32.add (local.get $pj) (local.get $i)))
                (v128.store (local.get $p)
                  (f64x2.sub (v128.load (local.get $p)) (f64x2.mul (v128.load (i32.add (local.get $pk) (local.get $i))) (local.get $u0))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $i1_loop)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $pk (i32.add (local.get $pk) (local.get $rb)))
            (br $k1_loop)))
        ;; the pivot, then row j divided by it
        (local.set $p (i32.add (local.get $pj) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $l (f64.sqrt (f64.max (f64.load (local.get $p)) (f64.const 1e-12))))
        (f64.store (local.get $p) (local.get $l))
        (local.set $i (i32.add (local.get $j) (i32.const 1)))
        (block $v_end
          (loop $v_loop
            (br_if $v_end (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $p (i32.add (local.get $pj) (i32.shl (local.get $i) (i32.const 3))))
            (f64.store (local.get $p) (f64.div (f64.load (local.get $p)) (local.get $l)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $v_loop)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j_loop))))
;; moments(x, rows, d, mean, sq): x is float32, rows x d (row stride d, 4 bytes readable past the end); per column j,
;; mean[j] = (x[0][j] + x[1][j] + ...) / rows and sq[j] = sum over rows of (x[r][j] - mean[j])^2, rows in order, all in
;; float64: the JS twin's sums. Lanes are columns j, j+1 (for an odd d the last pair also fills mean[d], sq[d]).
  (func (export "moments") (param $x i32) (param $rows i32) (param $d i32) (param $mean i32) (param $sq i32)
    (local $rb i32) (local $j i32) (local $r i32) (local $p i32) (local $acc v128) (local $m v128) (local $t v128)
    (local.set $rb (i32.shl (local.get $d) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $j_end
      (loop $j_loop
        (br_if $j_end (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $r (local.get $rows))
        (block $s_end
          (loop $s_loop
            (br_if $s_end (i32.eqz (local.get $r)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (local.get $rb)))
            (local.set $r (i32.sub (local.get $r) (i32.const 1)))
            (br $s_loop)))
        (local.set $m (f64x2.div (local.get $acc) (f64x2.splat (f64.convert_i32_u (local.get $rows)))))
        (v128.store (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3))) (local.get $m))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $r (local.get $rows))
        (block $q_end
          (loop $q_loop
            (br_if $q_end (i32.eqz (local.get $r)))
            (local.set $t (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $m)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $t) (local.get $t))))
            (local.set $p (i32.add (local.get $p) (local.get $rb)))
            (local.set $r (i32.sub (local.get $r) (i32.const 1)))
            (br $q_loop)))
        (v128.store (i32.add (local.get $sq) (i32.shl (local.get $j) (i32.const 3))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $j_loop))))

;; standardise(x, rows, d, mean, inv, out, ostride): out[r][j] = fround((x[r][j] - mean[j]) * inv[j]), or +0 where that
;; is not finite (before rounding, as the JS twin tests it), for float32 x (rows x d, 4 bytes readable past the end)
;; into float64 out (row stride ostride). Lanes are columns j, j+1: for an odd d, out[r][d] is written too (junk).
;; fround is a demote to float32 and back (round to nearest even, overflow to infinity, as Math.fround).
  (func (export "standardise") (param $x i32) (param $rows i32) (param $d i32) (param $mean i32) (param $inv i32)
    (param $out i32) (param $ostride i32)
    (local $r i32) (local $j i32) (local $p i32) (local $q i32) (local $t v128)
    (local.set $r (i32.const 0))
    (block $r_end
      (loop $r_loop
        (br_if $r_end (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2))))
        (local.set $q (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $ostride)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $j_end
          (loop $j_loop
            (br_if $j_end (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $t (f64x2.mul
              (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))
                (v128.load (i32.add (local.get $mean) (i32.shl (local.get $j) (i32.const 3)))))
              (v128.load (i32.add (local.get $inv) (i32.shl (local.get $j) (i32.const 3))))))
            (v128.store (i32.add (local.get $q) (i32.shl (local.get $j) (i32.const 3)))
              (v128.and
                (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $t)))
                (f64x2.eq (f64x2.sub (local.get $t) (local.get $t)) (v128.const f64x2 0 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $r_loop))))
;; backsub(g, stride, d, w): U w = z with U in rows 0..d-1 of g (upper, row stride `stride`) and z in its column d:
;; w[i] = (z[i] - U[i][i+1] w[i+1] - ... - U[i][d-1] w[d-1]) / U[i][i], i from d-1 down, k ascending, as the JS twin.
;; Scalar: every w[i] waits for the ones after it (d^2/2 multiply-adds, ~10 us for d = 128); in WebAssembly so that
;; even the first call of a process runs compiled code, not the JS interpreter.
  (func (export "backsub") (param $g i32) (param $stride i32) (param $d i32) (param $w i32)
    (local $i i32) (local $k i32) (local $row i32) (local $s f64)
    (local.set $i (local.get $d))
    (block $i_end
      (loop $i_loop
        (br_if $i_end (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $row (i32.add (local.get $g) (i32.shl (i32.mul (local.get $i) (local.get $stride)) (i32.const 3))))
        (local.set $s (f64.load (i32.add (local.get $row) (i32.shl (local.get $d) (i32.const 3)))))
        (local.set $k (i32.add (local.get $i) (i32.const 1)))
        (block $k_end
          (loop $k_loop
            (br_if $k_end (i32.ge_u (local.get $k) (local.get $d)))
            (local.set $s (f64.sub (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $k_loop)))
        (f64.store (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3)))
          (f64.div (local.get $s) (f64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))))
        (br $i_loop))))

;; scores(t, rows, d, stride, w, out): out[r] = t[r][0] w[0] + t[r][1] w[1] + ... (j ascending), float64; scalar for
;; the same reason as backsub.
  (func (export "scores") (param $t i32) (param $rows i32) (param $d i32) (param $stride i32) (param $w i32) (param $out i32)
    (local $r i32) (local $j i32) (local $row i32) (local $s f64)
    (local.set $r (i32.const 0))
    (block $r_end
      (loop $r_loop
        (br_if $r_end (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $t) (i32.shl (i32.mul (local.get $r) (local.get $stride)) (i32.const 3))))
        (local.set $s (f64.const 0))
        (local.set $j (i32.const 0))
        (block $j_end
          (loop $j_loop
            (br_if $j_end (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                (f64.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $j_loop)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (local.get $s))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $r_loop))))
)
