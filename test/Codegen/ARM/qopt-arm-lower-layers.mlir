// RUN: qopt %s -split-input-file --qopt-arm-lower-layers=isa=neon | FileCheck %s --check-prefix=NEON
// RUN: qopt %s -split-input-file --qopt-arm-lower-layers=isa=dotprod | FileCheck %s --check-prefix=DOTPROD
// RUN: qopt %s -split-input-file --qopt-arm-lower-layers=isa=i8mm | FileCheck %s --check-prefix=I8MM
// RUN: qopt %s -split-input-file --qopt-arm-lower-layers | FileCheck %s --check-prefix=DOTPROD
// RUN: qopt %s -split-input-file --qopt-arm-lower-layers="isa=i8mm tile-rows=2 tile-vectors=1" \
// RUN:   | FileCheck %s --check-prefix=SMALL
// RUN: not qopt %s -split-input-file --qopt-arm-lower-layers="isa=i8mm tile-rows=3" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ODD
// RUN: not qopt %s --qopt-arm-lower-layers=isa=sve 2>&1 | FileCheck %s --check-prefix=BOGUS
// Every layer left to generic loops gets a remark saying why (for dotprod).
// RUN: qopt %s -split-input-file --qopt-arm-lower-layers=isa=dotprod \
// RUN:   -verify-diagnostics -o /dev/null

// ODD: error: tile of 3 rows x 8 vectors: sizes must be positive, rows a multiple of 2
// BOGUS: Cannot find option named 'sve'!

// An s8 x s8 fully connected layer: 8 rows, 8 channels, 16 steps.
//  * neon: the input byte widened to i16 and repeated in the 4 lanes, then
//    acc + sext(x) * sext(w) with the packed i16 weights (smlal); no
//    intrinsic.
//  * dotprod: one sdot per group of 4 steps, the row's 4 bytes repeated in
//    every lane.
//  * i8mm: one smmla per group of 8 steps, two rows' groups concatenated.
// The functions get the ISA's target features.

// NEON-LABEL: func.func @fc_s8
// NEON-SAME:    target_features = #llvm.target_features<["+neon"]>
// NEON:         arith.extsi {{.*}} : vector<1xi8> to vector<1xi16>
// NEON:         vector.broadcast {{.*}} : vector<1xi16> to vector<4xi16>
// NEON:         arith.extsi {{.*}} : vector<4xi16> to vector<4xi32>
// NEON:         arith.extsi {{.*}} : vector<4xi16> to vector<4xi32>
// NEON:         arith.muli {{.*}} : vector<4xi32>
// NEON:         arith.addi {{.*}} : vector<4xi32>
// NEON-NOT:     arm_neon.intr
// NEON-NOT:     qnn.int.fully_connected

// DOTPROD-LABEL: func.func @fc_s8
// DOTPROD-SAME:    target_features = #llvm.target_features<["+neon", "+dotprod"]>
// DOTPROD:         vector.bitcast {{.*}} : vector<4xi8> to vector<1xi32>
// DOTPROD:         vector.broadcast {{.*}} : vector<1xi32> to vector<4xi32>
// DOTPROD:         vector.bitcast {{.*}} : vector<4xi32> to vector<16xi8>
// DOTPROD:         arm_neon.intr.sdot {{.*}} : vector<16xi8>, vector<16xi8> to vector<4xi32>
// DOTPROD-NOT:     arm_neon.intr.{{.*}}mmla
// DOTPROD-NOT:     qnn.int.fully_connected

// I8MM-LABEL: func.func @fc_s8
// I8MM-SAME:    target_features = #llvm.target_features<["+neon", "+dotprod", "+i8mm"]>
// I8MM:         vector.shuffle {{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi8>, vector<8xi8>
// I8MM:         arm_neon.intr.smmla {{.*}} : vector<16xi8> to vector<4xi32>
// I8MM-NOT:     arm_neon.intr.usmmla
// I8MM-NOT:     qnn.int.fully_connected

// A tile of 2 rows x 1 vector: one smmla per reduction step.
// SMALL-LABEL: func.func @fc_s8
// SMALL:         arm_neon.intr.smmla
// SMALL-NEXT:    scf.yield
func.func @fc_s8(%x: tensor<8x16xi8>) -> tensor<8x8xi8> {
  %w = arith.constant dense<3> : tensor<8x16xi8>
  %b = arith.constant dense<7> : tensor<8xi32>
  %acc = qnn.int.fully_connected %x, %w, %b
       : (tensor<8x16xi8>, tensor<8x16xi8>, tensor<8xi32>) -> tensor<8x8xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 7 : i64}
       : (tensor<8x8xi32>) -> tensor<8x8xi8>
  return %y : tensor<8x8xi8>
}

// -----

// u8 input: neon widens it with extui; dotprod has no u8 x s8 instruction
// (sdot only) and leaves the layer for --qopt-convert-qnn-to-linalg, without
// target features; i8mm uses usmmla.

// NEON-LABEL: func.func @fc_u8
// NEON:         arith.extui {{.*}} : vector<1xi8> to vector<1xi16>
// NEON-NOT:     qnn.int.fully_connected

// DOTPROD-LABEL: func.func @fc_u8
// DOTPROD-NOT:     target_features
// DOTPROD-NOT:     arm_neon.intr
// DOTPROD:         qnn.int.fully_connected
// DOTPROD-NEXT:    qnn.int.rescale

// I8MM-LABEL: func.func @fc_u8
// I8MM:         arm_neon.intr.usmmla {{.*}} : vector<16xi8> to vector<4xi32>
// I8MM-NOT:     arm_neon.intr.smmla
// I8MM-NOT:     qnn.int.fully_connected
func.func @fc_u8(%x: tensor<8x16xui8>) -> tensor<8x8xui8> {
  %w = arith.constant dense<-3> : tensor<8x16xi8>
  // expected-remark @below {{left to generic loops: the target's instruction does not take unsigned input}}
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<8x16xui8>, tensor<8x16xi8>) -> tensor<8x8xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 128 : i64}
       : (tensor<8x8xi32>) -> tensor<8x8xui8>
  return %y : tensor<8x8xui8>
}

// -----

// A convolution (without padding, depth 8: a group of every ISA) takes the
// same instructions.

// NEON-LABEL: func.func @conv_s8
// NEON:         arith.muli {{.*}} : vector<4xi32>
// NEON-NOT:     qnn.int.conv2d
// DOTPROD-LABEL: func.func @conv_s8
// DOTPROD:         arm_neon.intr.sdot
// DOTPROD-NOT:     qnn.int.conv2d
// I8MM-LABEL: func.func @conv_s8
// I8MM:         arm_neon.intr.smmla
// I8MM-NOT:     qnn.int.conv2d
func.func @conv_s8(%x: tensor<1x4x4x8xi8>) -> tensor<1x2x2x4xi8> {
  %f = arith.constant dense<2> : tensor<4x3x3x8xi8>
  %acc = qnn.int.conv2d %x, %f
       : (tensor<1x4x4x8xi8>, tensor<4x3x3x8xi8>) -> tensor<1x2x2x4xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 0 : i64}
       : (tensor<1x2x2x4xi32>) -> tensor<1x2x2x4xi8>
  return %y : tensor<1x2x2x4xi8>
}

// -----

// Not covered by any ISA: an input zero point (left for
// --qopt-expand-zero-points) and weights that are an argument.

// NEON-LABEL: func.func @not_covered
// NEON-NOT:     target_features
// NEON:         qnn.int.fully_connected
// NEON:         qnn.int.fully_connected
// DOTPROD-LABEL: func.func @not_covered
// DOTPROD-NOT:     target_features
// I8MM-LABEL: func.func @not_covered
// I8MM-NOT:     target_features
// I8MM-NOT:     arm_neon.intr
func.func @not_covered(%x: tensor<2x16xi8>, %w: tensor<4x16xi8>)
    -> (tensor<2x4xi8>, tensor<2x4xi8>) {
  %c = arith.constant dense<1> : tensor<4x16xi8>
  // expected-remark @below {{left to generic loops: it has zero points (--qopt-expand-zero-points expands them when the weights are constant)}}
  %a0 = qnn.int.fully_connected %x, %c {input_zp = 3 : i64}
       : (tensor<2x16xi8>, tensor<4x16xi8>) -> tensor<2x4xi32>
  %y0 = qnn.int.rescale %a0 {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 0 : i64}
       : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // expected-remark @below {{left to generic loops: its weights or bias are not constant}}
  %a1 = qnn.int.fully_connected %x, %w
       : (tensor<2x16xi8>, tensor<4x16xi8>) -> tensor<2x4xi32>
  %y1 = qnn.int.rescale %a1 {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 0 : i64}
       : (tensor<2x4xi32>) -> tensor<2x4xi8>
  return %y0, %y1 : tensor<2x4xi8>, tensor<2x4xi8>
}
