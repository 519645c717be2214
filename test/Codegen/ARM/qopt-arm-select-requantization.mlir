// RUN: qopt %s --qopt-arm-select-requantization -split-input-file | FileCheck %s

// tosa.apply_scale on vectors of i32 with known parameters becomes NEON's
// fixed-point instructions (LLVM intrinsic calls); the bit-exactness under
// qemu is Integration/ARM/requantization-qemu.test.

// A uniform right shift (s = -9, tosa shift 40) with double rounding:
// gemmlowp's sqrdmulh, fixup, sqadd and srshl by -9.
// CHECK-LABEL: func.func @double_right
// CHECK-DAG: %[[M:.*]] = arith.constant dense<1288490189> : vector<4xi32>
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<-9> : vector<4xi32>
// CHECK-DAG: %[[C31:.*]] = arith.constant dense<31> : vector<4xi32>
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%arg0, %[[M]])
// CHECK: %[[AND:.*]] = arith.andi %[[H]], %[[NEG]]
// CHECK: %[[FIX:.*]] = arith.shrsi %[[AND]], %[[C31]]
// CHECK: %[[F:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqadd.v4i32"(%[[H]], %[[FIX]])
// CHECK: %[[R:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%[[F]], %[[NEG]])
// CHECK: return %[[R]]
// CHECK-NOT: tosa.apply_scale
func.func @double_right(%x: vector<4xi32>) -> vector<4xi32> {
  %m = arith.constant dense<1288490189> : vector<4xi32>
  %n = arith.constant dense<40> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y : vector<4xi32>
}

// -----

// A left shift (s = 2) rounds once, in the high multiply: no srshl.
// CHECK-LABEL: func.func @double_left
// CHECK-DAG: %[[M:.*]] = arith.constant dense<1073741824> : vector<4xi32>
// CHECK-DAG: %[[L:.*]] = arith.constant dense<2> : vector<4xi32>
// CHECK: %[[Y:.*]] = arith.shli %arg0, %[[L]]
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%[[Y]], %[[M]])
// CHECK-NEXT: return %[[H]]
func.func @double_left(%x: vector<4xi32>) -> vector<4xi32> {
  %m = arith.constant dense<1073741824> : vector<4xi32>
  %n = arith.constant dense<29> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y : vector<4xi32>
}

// -----

// Shift 0 (tosa shift 31): sqrdmulh alone, whichever the rounding mode.
// CHECK-LABEL: func.func @shift_zero
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%arg0, %{{.*}})
// CHECK-NEXT: %[[S:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%arg0, %{{.*}})
// CHECK-NEXT: return %[[H]], %[[S]]
func.func @shift_zero(%x: vector<4xi32>) -> (vector<4xi32>, vector<4xi32>) {
  %m = arith.constant dense<2147483647> : vector<4xi32>
  %n = arith.constant dense<31> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %z = tosa.apply_scale %x, %m, %n {rounding_mode = SINGLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y, %z : vector<4xi32>, vector<4xi32>
}

// -----

// Single rounding with a right shift: the non-rounding sqdmulh, then srshl,
// without the fixup (its ties go up, as srshl's do).
// CHECK-LABEL: func.func @single_right
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<-31> : vector<4xi32>
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqdmulh.v4i32"(%arg0, %{{.*}})
// CHECK-NEXT: %[[R:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%[[H]], %[[NEG]])
// CHECK-NEXT: return %[[R]]
func.func @single_right(%x: vector<4xi32>) -> vector<4xi32> {
  %m = arith.constant dense<1073741824> : vector<4xi32>
  %n = arith.constant dense<62> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = SINGLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y : vector<4xi32>
}

// -----

// Per-lane shifts of both signs: the split is per lane (constants); single
// rounding computes both forms and selects.
// CHECK-LABEL: func.func @mixed_lanes
// CHECK-DAG: %[[L:.*]] = arith.constant dense<[0, 3, 0, 0]> : vector<4xi32>
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<[-1, 0, 0, -20]> : vector<4xi32>
// CHECK-DAG: %[[SEL:.*]] = arith.constant dense<[true, false, false, true]> : vector<4xi1>
// CHECK: %[[Y:.*]] = arith.shli %arg0, %[[L]]
// CHECK: %[[D:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%[[Y]], %{{.*}})
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.sqadd.v4i32"(%[[D]], %{{.*}})
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%{{.*}}, %[[NEG]])
// CHECK: %[[A:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqdmulh.v4i32"(%arg0, %{{.*}})
// CHECK: %[[B:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%[[H]], %[[NEG]])
// CHECK: arith.select %[[SEL]], %[[B]], %[[A]]
func.func @mixed_lanes(%x: vector<4xi32>) -> (vector<4xi32>, vector<4xi32>) {
  %m = arith.constant dense<[1073741824, 1500000000, 0, 2147483647]> : vector<4xi32>
  %n = arith.constant dense<[32, 28, 31, 51]> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %z = tosa.apply_scale %x, %m, %n {rounding_mode = SINGLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y, %z : vector<4xi32>, vector<4xi32>
}

// -----

// Per-channel parameters read from constant globals (the bufferized
// kernels): every value is known, the split is computed at run time. All
// shifts here are right shifts (tosa shifts 33 and 40), so no left shift.
memref.global "private" constant @multipliers : memref<2x4xi32> = dense<[[1, 2, 3, 4], [5, 6, 0, 0]]>
memref.global "private" constant @shifts : memref<2x4xi8> = dense<[[33, 40, 33, 40], [33, 33, 40, 40]]>
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: %[[C31:.*]] = arith.constant dense<31> : vector<4xi32>
// CHECK-DAG: %[[M:.*]] = vector.transfer_read {{.*}} : memref<2x4xi32>, vector<4xi32>
// CHECK-DAG: %[[N:.*]] = vector.transfer_read {{.*}} : memref<2x4xi8>, vector<4xi8>
// CHECK: %[[N32:.*]] = arith.extsi %[[N]] : vector<4xi8> to vector<4xi32>
// CHECK: %[[S:.*]] = arith.subi %[[C31]], %[[N32]]
// CHECK-NOT: arith.shli
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%arg1, %[[M]])
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.sqadd.v4i32"
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%{{.*}}, %[[S]])
func.func @per_channel(%i: index, %x: vector<4xi32>) -> vector<4xi32> {
  %c0 = arith.constant 0 : index
  %p32 = ub.poison : i32
  %p8 = ub.poison : i8
  %gm = memref.get_global @multipliers : memref<2x4xi32>
  %gn = memref.get_global @shifts : memref<2x4xi8>
  %m = vector.transfer_read %gm[%i, %c0], %p32 {in_bounds = [true]} : memref<2x4xi32>, vector<4xi32>
  %n = vector.transfer_read %gn[%i, %c0], %p8 {in_bounds = [true]} : memref<2x4xi8>, vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y : vector<4xi32>
}

// -----

// Other lengths: 6 lanes are a .4s and a .2s piece; 3 lanes are widened to
// 4 by repeating lane 0.
// CHECK-LABEL: func.func @six_lanes
// CHECK: vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]}
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"
// CHECK: vector.extract_strided_slice %arg0 {offsets = [4], sizes = [2], strides = [1]}
// CHECK: llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v2i32"
func.func @six_lanes(%x: vector<6xi32>) -> vector<6xi32> {
  %m = arith.constant dense<1073741824> : vector<6xi32>
  %n = arith.constant dense<31> : vector<6xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<6xi32>, vector<6xi32>, vector<6xi8>) -> vector<6xi32>
  return %y : vector<6xi32>
}
// CHECK-LABEL: func.func @three_lanes
// CHECK: %[[W:.*]] = vector.shuffle %arg0, %arg0 [0, 1, 2, 0] : vector<3xi32>, vector<3xi32>
// CHECK: %[[H:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%[[W]], %{{.*}})
// CHECK: vector.extract_strided_slice %[[H]] {offsets = [0], sizes = [3], strides = [1]}
func.func @three_lanes(%x: vector<3xi32>) -> vector<3xi32> {
  %m = arith.constant dense<1073741824> : vector<3xi32>
  %n = arith.constant dense<31> : vector<3xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<3xi32>, vector<3xi32>, vector<3xi8>) -> vector<3xi32>
  return %y : vector<3xi32>
}

// -----

// Left for tosa-to-arith: scalars; parameters unknown at compile time; a
// negative multiplier; a shift outside [1, 62]; a global that is not
// constant; INEXACT_ROUND.
memref.global "private" @mutable : memref<4xi32> = dense<1>
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT: llvm.call_intrinsic
// CHECK-COUNT-6: tosa.apply_scale
// CHECK-NOT: llvm.call_intrinsic
func.func @unchanged(%s: i32, %x: vector<4xi32>, %m: vector<4xi32>) -> (i32, vector<4xi32>, vector<4xi32>, vector<4xi32>, vector<4xi32>, vector<4xi32>) {
  %c0 = arith.constant 0 : index
  %sm = arith.constant 1073741824 : i32
  %sn = arith.constant 40 : i8
  %n = arith.constant dense<40> : vector<4xi8>
  %neg = arith.constant dense<-1073741824> : vector<4xi32>
  %pos = arith.constant dense<1073741824> : vector<4xi32>
  %big = arith.constant dense<63> : vector<4xi8>
  %p32 = ub.poison : i32
  %g = memref.get_global @mutable : memref<4xi32>
  %gm = vector.transfer_read %g[%c0], %p32 {in_bounds = [true]} : memref<4xi32>, vector<4xi32>
  %0 = tosa.apply_scale %s, %sm, %sn {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
  %1 = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %2 = tosa.apply_scale %x, %neg, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %3 = tosa.apply_scale %x, %pos, %big {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %4 = tosa.apply_scale %x, %gm, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %5 = tosa.apply_scale %x, %pos, %n {rounding_mode = INEXACT_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %0, %1, %2, %3, %4, %5 : i32, vector<4xi32>, vector<4xi32>, vector<4xi32>, vector<4xi32>, vector<4xi32>
}
