// qopt-run --jit, the function compiled for the host, gives what the
// reference interpreter gives, bit for bit: on functions that take integer
// tensors, on every function of integer-ops.mlir, and on the bundled model
// at the float, quantized and integer levels.

// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-run %s --function fc_relu --random-inputs=3 --save-inputs %t/fc \
// RUN:   --output %t/fc/expected.npy
// RUN: qopt-run %s --function fc_relu --jit --input %t/fc/input0.npy \
// RUN:   --output %t/fc/actual.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py compare %t/fc/actual.npy \
// RUN:   %t/fc/expected.npy | FileCheck %s --check-prefix=SAME1
// RUN: qopt-run %s --function two_in_two_out --random-inputs=5 \
// RUN:   --save-inputs %t/two --output %t/two/expected0.npy \
// RUN:   --output %t/two/expected1.npy
// RUN: qopt-run %s --function two_in_two_out --jit \
// RUN:   --input %t/two/input0.npy --input %t/two/input1.npy \
// RUN:   --output %t/two/actual0.npy --output %t/two/actual1.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/two/actual0.npy %t/two/expected0.npy \
// RUN:   %t/two/actual1.npy %t/two/expected1.npy | FileCheck %s --check-prefix=SAME2

// Printed results: the shortest decimal that reads back to each value, so
// equal text is equal bits.
// RUN: for f in fc conv rounding depthwise add_mul_clamp pools quantize_dequantize left_shift_limits; do \
// RUN:   qopt-run %S/integer-ops.mlir --function $f > %t/$f.expected && \
// RUN:   qopt-run %S/integer-ops.mlir --function $f --jit > %t/$f.actual && \
// RUN:   diff %t/$f.expected %t/$f.actual || exit 1; done

// The bundled model: the interpreter runs the integer level qopt's passes
// produce; --jit starts from each level.
// RUN: qopt %qopt_src_root/examples/tiny_cnn/model.mlir --qopt-fold-batch-norm \
// RUN:   --qopt-propagate-quant-params=scheme=tflite -o %t/quantized.mlir
// RUN: qopt %t/quantized.mlir --qopt-rewrite-multipliers \
// RUN:   --qopt-expand-zero-points -o %t/integer.mlir
// RUN: qopt-run %t/integer.mlir --random-inputs=7 --save-inputs %t/cnn \
// RUN:   --output %t/cnn/expected.npy
// RUN: qopt-run %qopt_src_root/examples/tiny_cnn/model.mlir --jit \
// RUN:   --input %t/cnn/input0.npy --output %t/cnn/float.npy
// RUN: qopt-run %t/quantized.mlir --jit --input %t/cnn/input0.npy \
// RUN:   --output %t/cnn/quantized.npy
// RUN: qopt-run %t/integer.mlir --jit --input %t/cnn/input0.npy \
// RUN:   --output %t/cnn/integer.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/cnn/float.npy %t/cnn/expected.npy \
// RUN:   %t/cnn/quantized.npy %t/cnn/expected.npy \
// RUN:   %t/cnn/integer.npy %t/cnn/expected.npy | FileCheck %s --check-prefix=SAME3

// --scheme reaches the quantization of float IR: gemmlowp's uint8 scheme
// gives other logits than TFLite's.
// RUN: qopt %qopt_src_root/examples/tiny_cnn/model.mlir --qopt-fold-batch-norm \
// RUN:   --qopt-propagate-quant-params=scheme=gemmlowp \
// RUN:   --qopt-rewrite-multipliers --qopt-expand-zero-points -o %t/gemmlowp.mlir
// RUN: qopt-run %t/gemmlowp.mlir --input %t/cnn/input0.npy \
// RUN:   --output %t/cnn/gemmlowp-expected.npy
// RUN: qopt-run %qopt_src_root/examples/tiny_cnn/model.mlir --jit \
// RUN:   --scheme=gemmlowp --input %t/cnn/input0.npy --output %t/cnn/gemmlowp.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/cnn/gemmlowp.npy %t/cnn/gemmlowp-expected.npy | FileCheck %s --check-prefix=SAME1
// RUN: not %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/cnn/gemmlowp.npy %t/cnn/expected.npy

// RUN: not qopt-run %qopt_src_root/examples/tiny_cnn/model.mlir --jit \
// RUN:   --scheme=bogus --input %t/cnn/input0.npy 2>&1 | FileCheck %s --check-prefix=SCHEME
// SCHEME: error: unknown quantization scheme 'bogus'
// RUN: not qopt-run %s --function fc_relu --random-inputs=1 --scheme=gemmlowp \
// RUN:   2>&1 | FileCheck %s --check-prefix=NOJIT
// NOJIT: qopt-run: error: --scheme needs --jit, --integer or --report

// SAME1: 1 of 1 identical
// SAME2: 2 of 2 identical
// SAME3: 3 of 3 identical

// Weights minus zero point 2, then ReLU at the output zero point -5.
func.func @fc_relu(%x: tensor<3x8xi8>) -> tensor<3x4xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8], [-8, -7, -6, -5, -4, -3, -2, -1],
                             [100, -100, 50, -50, 25, -25, 12, -12], [2, 2, 2, 2, 2, 2, 2, 2]]>
       : tensor<4x8xi8>
  %b = arith.constant dense<[10, -20, 300, -4000]> : tensor<4xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = -3 : i64,
           weights_zp = array<i64: 2>}
       : (tensor<3x8xi8>, tensor<4x8xi8>, tensor<4xi32>) -> tensor<3x4xi32>
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -6>, output_zp = -5 : i64, clamp_min = -5 : i64}
       : (tensor<3x4xi32>) -> tensor<3x4xi8>
  return %0 : tensor<3x4xi8>
}

// Two arguments of different types and two results, one computed from both.
func.func @two_in_two_out(%a: tensor<2x5xui8>, %b: tensor<2x5xi8>)
    -> (tensor<2x5xi8>, tensor<2x5xui8>) {
  %0 = qnn.int.rescale %a {multiplier = array<i32: 1073741824>,
         shift = array<i32: 3>, input_zp = 128 : i64}
       : (tensor<2x5xui8>) -> tensor<2x5xi8>
  %1 = qnn.int.add %0, %b {lhs_zp = 0 : i64, rhs_zp = 7 : i64, output_zp = -1 : i64,
         lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1624713572 : i32, rhs_shift = -1 : i32,
         output_multiplier = 1561051877 : i32, output_shift = -19 : i32}
       : (tensor<2x5xi8>, tensor<2x5xi8>) -> tensor<2x5xi8>
  %2 = qnn.int.clamp %a {min = 10 : i64, max = 200 : i64} : tensor<2x5xui8>
  return %1, %2 : tensor<2x5xi8>, tensor<2x5xui8>
}
