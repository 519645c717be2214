// RUN: qopt %s --qopt-x86-lower-layers --canonicalize --split-input-file \
// RUN:   | FileCheck %s
// RUN: qopt %s --split-input-file --qopt-x86-lower-layers \
// RUN:   --qopt-convert-qnn-to-linalg \
// RUN:   --one-shot-bufferize=bufferize-function-boundaries --canonicalize \
// RUN:   --qopt-x86-select-requantization --canonicalize \
// RUN:   | FileCheck %s --check-prefix=SELECT
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=2 tile-vectors=4" \
// RUN:   --canonicalize --split-input-file | FileCheck %s --check-prefix=PAIRS
// RUN: qopt %s \
// RUN:   --qopt-x86-lower-layers="isa=avx512ifma tile-rows=2 tile-vectors=4" \
// RUN:   --canonicalize --split-input-file | FileCheck %s --check-prefix=OFFSET
// RUN: qopt %s --split-input-file \
// RUN:   --qopt-x86-lower-layers="isa=avx512ifma tile-rows=2 tile-vectors=4" \
// RUN:   --qopt-convert-qnn-to-linalg \
// RUN:   --one-shot-bufferize=bufferize-function-boundaries --canonicalize \
// RUN:   --qopt-x86-select-requantization --canonicalize \
// RUN:   | FileCheck %s --check-prefix=IFMA

// The epilogues of the vpdpbusd kernels.

// 18 output channels with their own multipliers and right shifts are two
// vectors of 16 lanes, the second holding channels 16 and 17. Its other
// lanes are never stored: their multiplier is 0 and their shift the last
// channel's (tosa shift 35), so that every lane shifts right and the
// requantization takes one 64-bit product per lane (two vector.shuffle:
// the odd lanes, then the high halves gathered) rather than the general
// sequence, which shifts the accumulators left by max(31 - shift, 0) first.

// CHECK-LABEL: func.func @partial_vector
// CHECK-DAG: arith.constant dense<{{\[\[}}34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34, 34], [34, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35, 35]]> : tensor<2x16xi8>
// CHECK-DAG: arith.constant dense<{{\[\[}}1073741824, {{.*}}, 1073741839], [1073741840, 1073741841, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]> : tensor<2x16xi32>

// SELECT-LABEL: func.func @partial_vector
// SELECT-NOT: tosa.apply_scale
// SELECT-NOT: arith.shli {{.*}} : vector<16xi32>
// SELECT-COUNT-2: vector.shuffle {{.*}} [1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11, 11, 13, 13, 15, 15] : vector<16xi32>, vector<16xi32>
// SELECT-NOT: tosa.apply_scale
// SELECT-NOT: arith.shli {{.*}} : vector<16xi32>
func.func @partial_vector(%x: tensor<2x8xui8>) -> tensor<2x18xui8> {
  %w = arith.constant dense<3> : tensor<18x8xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<2x8xui8>, tensor<18x8xi8>) -> tensor<2x18xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824, 1073741825, 1073741826, 1073741827, 1073741828, 1073741829, 1073741830, 1073741831, 1073741832, 1073741833, 1073741834, 1073741835, 1073741836, 1073741837, 1073741838, 1073741839, 1073741840, 1073741841>,
         shift = array<i32: -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3, -4>}
       : (tensor<2x18xi32>) -> tensor<2x18xui8>
  return %y : tensor<2x18xui8>
}

// -----

// A row's whole columns are adjacent in the output: the tile's two whole
// vectors of a row (channels 0-31) are narrowed together and written at
// once (x86 packs them, qopt-x86-select-requantization.mlir), the partial
// third (channels 32-39) alone.

// With AVX-512 IFMA, accumulators known to be in [-2^19, 2^19) (here
// [0, 8 x 255 x 3]) start at the bias plus 2^19, which the epilogue
// subtracts: its requantization is one vpmadd52luq per half vector
// (qopt-x86-select-requantization.mlir), 2 x 3 x 2 of them. Not on
// x86-avx512vnni, whose bias lanes stay 0.

// PAIRS-LABEL: func.func @row_of_columns
// PAIRS: arith.constant dense<0> : tensor<3x16xi32>
// PAIRS-COUNT-2: tosa.apply_scale
// PAIRS: vector.shuffle {{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31] : vector<16xi32>, vector<16xi32>
// PAIRS: arith.trunci {{.*}} : vector<32xi32> to vector<32xi8>
// PAIRS: vector.transfer_write {{.*}}[%c0, %c0] {in_bounds = [true]} : vector<32xi8>, tensor<2x40xi8>
// PAIRS: tosa.apply_scale
// PAIRS: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// PAIRS: vector.transfer_write {{.*}}[%c0, %c32] {in_bounds = [true]} : vector<8xi8>, tensor<2x40xi8>
// PAIRS-COUNT-2: tosa.apply_scale
// PAIRS: arith.trunci {{.*}} : vector<32xi32> to vector<32xi8>
// PAIRS: vector.transfer_write {{.*}}[%c1, %c0] {in_bounds = [true]} : vector<32xi8>, tensor<2x40xi8>
// PAIRS: vector.transfer_write {{.*}}[%c1, %c32] {in_bounds = [true]} : vector<8xi8>, tensor<2x40xi8>
func.func @row_of_columns(%x: tensor<2x8xui8>) -> tensor<2x40xui8> {
  %w = arith.constant dense<3> : tensor<40x8xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<2x8xui8>, tensor<40x8xi8>) -> tensor<2x40xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -3>}
       : (tensor<2x40xi32>) -> tensor<2x40xui8>
  return %y : tensor<2x40xui8>
}

// OFFSET-LABEL: func.func @row_of_columns
// OFFSET-DAG: arith.constant dense<524288> : tensor<3x16xi32>
// OFFSET-DAG: %[[OFFSET:.*]] = arith.constant dense<524288> : vector<16xi32>
// OFFSET-COUNT-6: arith.subi %{{.*}}, %[[OFFSET]] : vector<16xi32>

// IFMA-LABEL: func.func @row_of_columns
// IFMA-COUNT-12: llvm.call_intrinsic "llvm.x86.avx512.vpmadd52l.uq.512"
// IFMA-NOT: llvm.call_intrinsic "llvm.x86.avx512.vpmadd52l.uq.512"

// -----

// A reduction whose accumulators may reach 1024 x 255 x 100 keeps them
// as they are.

// OFFSET-LABEL: func.func @long_reduction
// OFFSET-NOT: 524288
// IFMA-LABEL: func.func @long_reduction
// IFMA-NOT: vpmadd52l
func.func @long_reduction(%x: tensor<2x1024xui8>) -> tensor<2x16xui8> {
  %w = arith.constant dense<100> : tensor<16x1024xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<2x1024xui8>, tensor<16x1024xi8>) -> tensor<2x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -20>}
       : (tensor<2x16xi32>) -> tensor<2x16xui8>
  return %y : tensor<2x16xui8>
}
