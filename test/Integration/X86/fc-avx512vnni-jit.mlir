// REQUIRES: host-avx512vnni
// qopt-run --jit --target=x86-avx512vnni, with the u8 x s8 fully connected
// layers as vpdpbusd, gives what the reference interpreter gives, bit for bit:
// the int32 accumulators and their requantization, on shapes that leave
// partial tiles in every dimension (the default tile is 4 x 4 x 1024).

// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in fc_1x1000x1280 fc_7x13x29 fc_64x64x64 fc_5x6x1100; do \
// RUN:   qopt-run %s --function $f --random-inputs=3 --save-inputs %t/$f \
// RUN:     --output %t/$f/expected0.npy --output %t/$f/expected1.npy && \
// RUN:   qopt-run %s --function $f --jit --target=x86-avx512vnni \
// RUN:     --input %t/$f/input0.npy --input %t/$f/input1.npy \
// RUN:     --output %t/$f/actual0.npy --output %t/$f/actual1.npy && \
// RUN:   %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:     %t/$f/actual0.npy %t/$f/expected0.npy \
// RUN:     %t/$f/actual1.npy %t/$f/expected1.npy || exit 1; done \
// RUN:   | FileCheck %s
// CHECK-COUNT-4: 2 of 2 identical

// The rest of a network is unchanged by the target: the bundled model (an
// s8 x s8 network, which stays on the generic path) gives the same logits.
// RUN: qopt %qopt_src_root/examples/tiny_cnn/model.mlir --qopt-fold-batch-norm \
// RUN:   --qopt-propagate-quant-params=scheme=tflite --qopt-rewrite-multipliers \
// RUN:   --qopt-expand-zero-points -o %t/integer.mlir
// RUN: qopt-run %t/integer.mlir --random-inputs=7 --save-inputs %t/cnn \
// RUN:   --output %t/cnn/expected.npy
// RUN: qopt-run %t/integer.mlir --jit --target=x86-avx512vnni \
// RUN:   --input %t/cnn/input0.npy --output %t/cnn/actual.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py compare \
// RUN:   %t/cnn/actual.npy %t/cnn/expected.npy | FileCheck %s --check-prefix=CNN
// CNN: 1 of 1 identical

// RUN: not qopt-run %s --function fc_7x13x29 --random-inputs=1 \
// RUN:   --target=x86-avx512vnni 2>&1 | FileCheck %s --check-prefix=NOJIT
// NOJIT: qopt-run: error: --target needs --jit
// RUN: not qopt-run %s --function fc_7x13x29 --random-inputs=1 --jit \
// RUN:   --target=bogus 2>&1 | FileCheck %s --check-prefix=BOGUS
// BOGUS: qopt-run: error: unknown target 'bogus'

// A gemv: one row, 250 tiles of 4 output channels, each a whole tile of 1024
// reduction steps (16 vpdpbusd per output) and a partial one of 256 (4).
func.func @fc_1x1000x1280(%x: tensor<1x1280xui8>, %w: tensor<1000x1280xi8>)
    -> (tensor<1x1000xi32>, tensor<1x1000xui8>) {
  %b = arith.constant dense<-20000> : tensor<1000xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<1x1280xui8>, tensor<1000x1280xi8>, tensor<1000xi32>) -> tensor<1x1000xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -11>, output_zp = 128 : i64}
       : (tensor<1x1000xi32>) -> tensor<1x1000xui8>
  return %acc, %y : tensor<1x1000xi32>, tensor<1x1000xui8>
}

// Fewer reduction steps than one vpdpbusd: plain dot products only, and
// per-channel requantization with ReLU.
func.func @fc_7x13x29(%x: tensor<7x29xui8>, %w: tensor<13x29xi8>)
    -> (tensor<7x13xi32>, tensor<7x13xui8>) {
  %b = arith.constant dense<[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13]> : tensor<13xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<7x29xui8>, tensor<13x29xi8>, tensor<13xi32>) -> tensor<7x13xi32>
  %y = qnn.int.rescale %acc {
         multiplier = array<i32: 1073741824, 1288490189, 1503238554, 1717986918,
                                 1932735283, 2147483647, 1073741824, 1288490189,
                                 1503238554, 1717986918, 1932735283, 2147483647,
                                 1073741824>,
         shift = array<i32: -6, -6, -6, -7, -7, -7, -8, -8, -8, -5, -5, -5, -6>,
         output_zp = 10 : i64, clamp_min = 10 : i64}
       : (tensor<7x13xi32>) -> tensor<7x13xui8>
  return %acc, %y : tensor<7x13xi32>, tensor<7x13xui8>
}

// Whole tiles of 4 x 4 outputs, one vpdpbusd each, no bias.
func.func @fc_64x64x64(%x: tensor<64x64xui8>, %w: tensor<64x64xi8>)
    -> (tensor<64x64xi32>, tensor<64x64xui8>) {
  %acc = qnn.int.fully_connected %x, %w {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<64x64xui8>, tensor<64x64xi8>) -> tensor<64x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -7>, output_zp = 100 : i64}
       : (tensor<64x64xi32>) -> tensor<64x64xui8>
  return %acc, %y : tensor<64x64xi32>, tensor<64x64xui8>
}

// Partial tiles everywhere: 5 = 4 + 1 rows, 6 = 4 + 2 columns, 1100 = 1024
// + 76 steps, the last tile 1 vpdpbusd and a dot product of 12 steps.
func.func @fc_5x6x1100(%x: tensor<5x1100xui8>, %w: tensor<6x1100xi8>)
    -> (tensor<5x6xi32>, tensor<5x6xui8>) {
  %b = arith.constant dense<[100, 200, 300, -100, -200, -300]> : tensor<6xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<5x1100xui8>, tensor<6x1100xi8>, tensor<6xi32>) -> tensor<5x6xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 128 : i64}
       : (tensor<5x6xi32>) -> tensor<5x6xui8>
  return %acc, %y : tensor<5x6xi32>, tensor<5x6xui8>
}
