// --random-inputs=SEED: deterministic inputs, uniform over [-1, 1] for floats
// and over the storage range otherwise; --save-inputs writes them so that
// another tool (or --input) can use the same ones.

// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-run %s --random-inputs=7 --save-inputs %t/inputs \
// RUN:   --output %t/clamped.npy --output %t/x.npy --output %t/q.npy
// RUN: qopt-run %s --random-inputs=7 --output %t/clamped2.npy --output %t/x2.npy \
// RUN:   --output %t/q2.npy
// RUN: qopt-run %s --input %t/inputs/input0.npy --input %t/inputs/input1.npy \
// RUN:   --output %t/clamped3.npy --output %t/x3.npy --output %t/q3.npy

// The same seed gives the same inputs, and the saved inputs are those used.
// Clamping to [-1, 1] changes nothing. (A value outside the narrow storage
// range [-127, 127] would have been an error; 4096 uniform draws from
// [-128, 127] miss -128 with probability 1e-7.)
// RUN: %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/x2.npy %t/x.npy %t/q2.npy %t/q.npy %t/x3.npy %t/x.npy %t/q3.npy %t/q.npy \
// RUN:   %t/clamped.npy %t/x.npy | FileCheck %s --check-prefix=SAME
// SAME: 5 of 5 identical

// RUN: %python %qopt_src_root/test/Utils/npy.py print %t/inputs/input1.npy \
// RUN:   | FileCheck %s --check-prefix=SAVED
// SAVED: |i1 (4096,) [

// Another seed, other values.
// RUN: qopt-run %s --random-inputs=8 --output %t/clamped4.npy --output %t/x4.npy \
// RUN:   --output %t/q4.npy
// RUN: not %python %qopt_src_root/test/Utils/npy.py compare %t/x4.npy %t/x.npy \
// RUN:   | FileCheck %s --check-prefix=OTHER
// OTHER: 0 of 1 identical

// RUN: not qopt-run %s --save-inputs %t/nowhere 2>&1 | FileCheck %s --check-prefix=SAVE
// SAVE: qopt-run: error: --save-inputs needs --random-inputs

func.func @identity(%x: tensor<2x3xf32>,
                    %q: tensor<4096x!quant.uniform<i8<-127:127>:f32, 0.5>>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4096x!quant.uniform<i8<-127:127>:f32, 0.5>>) {
  %clamped = qnn.clamp %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<2x3xf32>
  return %clamped, %x, %q
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4096x!quant.uniform<i8<-127:127>:f32, 0.5>>
}
