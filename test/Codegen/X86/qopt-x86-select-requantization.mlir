// RUN: qopt %s --qopt-x86-select-requantization --canonicalize \
// RUN:   -split-input-file | FileCheck %s

// tosa.apply_scale with DOUBLE_ROUND on vectors of an even number of i32
// lanes with known parameters becomes 32-bit-lane arithmetic; the
// bit-exactness is Integration/X86/requantization-jit.test.

// A uniform right shift (s = -9, tosa shift 40): the high multiply from the
// 64-bit products of the even and odd lanes plus 2^30, bits 31..62 of each
// blended per lane, then the rounding shift by 9 (mask 511, half 255).
// CHECK-LABEL: func.func @double_right
// CHECK-NOT: tosa.apply_scale
// CHECK-DAG: arith.constant dense<1073741824> : vector<8xi64>
// CHECK-DAG: arith.constant dense<[false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true]> : vector<16xi1>
// CHECK-DAG: arith.constant dense<511> : vector<16xi32>
// CHECK-DAG: arith.constant dense<255> : vector<16xi32>
// CHECK-COUNT-2: arith.muli {{.*}} : vector<8xi64>
// CHECK: arith.select {{.*}} : vector<16xi1>, vector<16xi32>
// CHECK: arith.andi {{.*}} : vector<16xi32>
// CHECK: arith.cmpi sgt, {{.*}} : vector<16xi32>
// CHECK: arith.shrsi {{.*}} : vector<16xi32>
func.func @double_right(%x: vector<16xi32>) -> vector<16xi32> {
  %m = arith.constant dense<1288490189> : vector<16xi32>
  %n = arith.constant dense<40> : vector<16xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %y : vector<16xi32>
}

// -----

// A left shift (s = 2) rounds once, in the high multiply: no rounding shift.
// CHECK-LABEL: func.func @double_left
// CHECK: arith.shli %arg0
// CHECK-COUNT-2: arith.muli {{.*}} : vector<2xi64>
// CHECK: %[[H:.*]] = arith.select
// CHECK-NEXT: return %[[H]]
func.func @double_left(%x: vector<4xi32>) -> vector<4xi32> {
  %m = arith.constant dense<1073741824> : vector<4xi32>
  %n = arith.constant dense<29> : vector<4xi8>
  %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %y : vector<4xi32>
}

// -----

// Left for tosa-to-arith: single rounding, an odd number of lanes (no
// 64-bit view), a multiplier unknown at compile time, a negative one.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-4: tosa.apply_scale
func.func @left_alone(%x: vector<4xi32>, %x3: vector<3xi32>,
                      %mu: vector<4xi32>)
    -> (vector<4xi32>, vector<3xi32>, vector<4xi32>, vector<4xi32>) {
  %m = arith.constant dense<1073741824> : vector<4xi32>
  %m3 = arith.constant dense<1073741824> : vector<3xi32>
  %neg = arith.constant dense<-1> : vector<4xi32>
  %n = arith.constant dense<35> : vector<4xi8>
  %n3 = arith.constant dense<35> : vector<3xi8>
  %a = tosa.apply_scale %x, %m, %n {rounding_mode = SINGLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %b = tosa.apply_scale %x3, %m3, %n3 {rounding_mode = DOUBLE_ROUND} : (vector<3xi32>, vector<3xi32>, vector<3xi8>) -> vector<3xi32>
  %c = tosa.apply_scale %x, %mu, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  %d = tosa.apply_scale %x, %neg, %n {rounding_mode = DOUBLE_ROUND} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
  return %a, %b, %c, %d : vector<4xi32>, vector<3xi32>, vector<4xi32>, vector<4xi32>
}

// -----

// A depthwise tile's accumulator: a bias read from a constant global plus
// three vpdpbusd, so within [-2^30, 2^30). With right shifts of 8 and 9
// (per lane, read from a constant global) both roundings come from one
// 64-bit sum per lane: 2x times M0 plus 2^31 + 2^(31 + r), whose high halves
// (lanes 1, 17, 3, 19, ...) minus x < 0 are shifted right by r. The odd
// lanes of 2x reach the low halves by a shuffle (vpshufd), not a shift.
// CHECK-LABEL: func.func @one_product
// CHECK-NOT: tosa.apply_scale
// CHECK: %[[X2:.*]] = arith.addi %[[X:.*]], %[[X]] : vector<16xi32>
// CHECK: vector.shuffle %[[X2]], %[[X2]] [1, 1, 3, 3, 5, 5, {{.*}}, 15, 15]
// CHECK-COUNT-2: arith.muli {{.*}} : vector<8xi64>
// CHECK: %[[H:.*]] = vector.shuffle {{.*}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31]
// CHECK: %[[S:.*]] = arith.shrsi %[[X]], %{{.*}} : vector<16xi32>
// CHECK: %[[U:.*]] = arith.addi %[[H]], %[[S]] : vector<16xi32>
// CHECK: arith.shrsi %[[U]], %{{.*}} : vector<16xi32>
// CHECK-NOT: arith.cmpi
memref.global "private" constant @bias : memref<16xi32> = dense<[-900000, 900000, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]>
memref.global "private" constant @multiplier : memref<16xi32> = dense<[1073741824, 2147483647, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189, 1288490189]>
memref.global "private" constant @shift : memref<16xi8> = dense<[39, 40, 39, 40, 39, 40, 39, 40, 39, 40, 39, 40, 39, 40, 39, 40]>
func.func @one_product(%in: vector<64xi8>, %w: vector<64xi8>) -> vector<16xi32> {
  %c0 = arith.constant 0 : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %b = memref.get_global @bias : memref<16xi32>
  %m = memref.get_global @multiplier : memref<16xi32>
  %n = memref.get_global @shift : memref<16xi8>
  %acc0 = vector.transfer_read %b[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %acc1 = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc0, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %acc2 = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc1, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %acc3 = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc2, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %mv = vector.transfer_read %m[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %nv = vector.transfer_read %n[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %y = tosa.apply_scale %acc3, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %y : vector<16xi32>
}

// -----

// The same with a bias of 1073700000, which one vpdpbusd (up to
// 4 x 255 x 127 = 129540) takes past 2^30 - 1, a left-shifting lane (tosa
// shift 31), or an accumulator of unknown range: the general sequence, with
// its rounding shift's comparison.
// CHECK-LABEL: func.func @one_product_not_proven
// CHECK-COUNT-3: arith.cmpi sgt
// CHECK-NOT: arith.cmpi sgt
memref.global "private" constant @big_bias : memref<16xi32> = dense<1073700000>
memref.global "private" constant @bias2 : memref<16xi32> = dense<7>
memref.global "private" constant @multiplier2 : memref<16xi32> = dense<1288490189>
memref.global "private" constant @shift2 : memref<16xi8> = dense<40>
memref.global "private" constant @shift31 : memref<16xi8> = dense<[31, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40]>
func.func @one_product_not_proven(%in: vector<64xi8>, %w: vector<64xi8>, %x: vector<16xi32>)
    -> (vector<16xi32>, vector<16xi32>, vector<16xi32>) {
  %c0 = arith.constant 0 : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %bb = memref.get_global @big_bias : memref<16xi32>
  %b = memref.get_global @bias2 : memref<16xi32>
  %m = memref.get_global @multiplier2 : memref<16xi32>
  %n = memref.get_global @shift2 : memref<16xi8>
  %n31 = memref.get_global @shift31 : memref<16xi8>
  %big0 = vector.transfer_read %bb[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %big = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%big0, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %small0 = vector.transfer_read %b[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %small = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%small0, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %mv = vector.transfer_read %m[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %nv = vector.transfer_read %n[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %n31v = vector.transfer_read %n31[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %a = tosa.apply_scale %big, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %b2 = tosa.apply_scale %small, %mv, %n31v {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %c = tosa.apply_scale %x, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a, %b2, %c : vector<16xi32>, vector<16xi32>, vector<16xi32>
}

// -----

// An output zero point added to a one-product requantization joins the sums'
// constant terms: z = -3 with r = 8 makes them 2^31 + 2^39 - 3 2^40, and no
// addition follows the shift. A constant of 2^22, whose 2^22 2^8 would take
// the high halves out of int32, stays an addition.
// CHECK-LABEL: func.func @one_product_zero_point
// CHECK-DAG: %[[T:.*]] = arith.constant dense<-2746631585792> : vector<8xi64>
// CHECK-DAG: %[[BIG:.*]] = arith.constant dense<4194304> : vector<16xi32>
// CHECK-DAG: %[[R8:.*]] = arith.constant dense<8> : vector<16xi32>
// CHECK: arith.addi %{{.*}}, %[[T]] : vector<8xi64>
// CHECK: arith.addi %{{.*}}, %[[T]] : vector<8xi64>
// CHECK: %[[R:.*]] = arith.shrsi %{{.*}}, %[[R8]] : vector<16xi32>
// CHECK-NOT: arith.addi %[[R]]
// CHECK: %[[R2:.*]] = arith.shrsi %{{.*}}, %[[R8]] : vector<16xi32>
// CHECK: %[[Z2:.*]] = arith.addi %[[R2]], %[[BIG]]
// CHECK: return %[[R]], %[[Z2]]
memref.global "private" constant @bias3 : memref<16xi32> = dense<[-900000, 900000, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]>
memref.global "private" constant @multiplier3 : memref<16xi32> = dense<1288490189>
memref.global "private" constant @shift3 : memref<16xi8> = dense<39>
func.func @one_product_zero_point(%in: vector<64xi8>, %w: vector<64xi8>)
    -> (vector<16xi32>, vector<16xi32>) {
  %c0 = arith.constant 0 : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %b = memref.get_global @bias3 : memref<16xi32>
  %m = memref.get_global @multiplier3 : memref<16xi32>
  %n = memref.get_global @shift3 : memref<16xi8>
  %acc0 = vector.transfer_read %b[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %acc1 = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc0, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %mv = vector.transfer_read %m[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %nv = vector.transfer_read %n[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %y = tosa.apply_scale %acc1, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %zp = arith.constant dense<-3> : vector<16xi32>
  %r = arith.addi %zp, %y : vector<16xi32>
  %y2 = tosa.apply_scale %acc1, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %big = arith.constant dense<4194304> : vector<16xi32>
  %r2 = arith.addi %y2, %big : vector<16xi32>
  return %r, %r2 : vector<16xi32>, vector<16xi32>
}

// -----

// A one-product result clamped from below at its zero point or above (a
// ReLU: max with -3 or -2 after z = -3) leaves out the [x < 0] term, whose
// arithmetic shift by 31 is then the only shift by 31; clamped at -4, below
// the zero point, it keeps it.
// CHECK-LABEL: func.func @one_product_relu
// CHECK-DAG: %[[C31:.*]] = arith.constant dense<31> : vector<16xi32>
// CHECK-DAG: %[[R8:.*]] = arith.constant dense<8> : vector<16xi32>
// CHECK: %[[H:.*]] = vector.shuffle {{.*}} [1, 17, 3, 19
// CHECK-NEXT: %[[R:.*]] = arith.shrsi %[[H]], %[[R8]] : vector<16xi32>
// CHECK: arith.maxsi %[[R]]
// CHECK: arith.maxsi %[[R]]
// CHECK: %[[H2:.*]] = vector.shuffle {{.*}} [1, 17, 3, 19
// CHECK-NEXT: %[[S:.*]] = arith.shrsi %{{.*}}, %[[C31]] : vector<16xi32>
// CHECK-NEXT: %[[U:.*]] = arith.addi %[[H2]], %[[S]] : vector<16xi32>
// CHECK-NEXT: %[[R2:.*]] = arith.shrsi %[[U]], %[[R8]] : vector<16xi32>
// CHECK: arith.maxsi %[[R2]]
memref.global "private" constant @bias4 : memref<16xi32> = dense<[-900000, 900000, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]>
memref.global "private" constant @multiplier4 : memref<16xi32> = dense<1288490189>
memref.global "private" constant @shift4 : memref<16xi8> = dense<39>
func.func @one_product_relu(%in: vector<64xi8>, %w: vector<64xi8>)
    -> (vector<16xi32>, vector<16xi32>, vector<16xi32>) {
  %c0 = arith.constant 0 : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %b = memref.get_global @bias4 : memref<16xi32>
  %m = memref.get_global @multiplier4 : memref<16xi32>
  %n = memref.get_global @shift4 : memref<16xi8>
  %acc0 = vector.transfer_read %b[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %acc1 = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc0, %in, %w) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
  %mv = vector.transfer_read %m[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %nv = vector.transfer_read %n[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %zp = arith.constant dense<-3> : vector<16xi32>
  %lo = arith.constant dense<-2> : vector<16xi32>
  %below = arith.constant dense<-4> : vector<16xi32>
  %y = tosa.apply_scale %acc1, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %r = arith.addi %y, %zp : vector<16xi32>
  %c1 = arith.maxsi %r, %zp : vector<16xi32>
  %c2 = arith.maxsi %lo, %r : vector<16xi32>
  %y2 = tosa.apply_scale %acc1, %mv, %nv {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %r2 = arith.addi %y2, %zp : vector<16xi32>
  %c3 = arith.maxsi %r2, %below : vector<16xi32>
  return %c1, %c2, %c3 : vector<16xi32>, vector<16xi32>, vector<16xi32>
}

// -----

// An accumulator of unknown range (a function argument, like a sum read
// back from memory) whose range a kernel states (qopt.value_range, from a
// contraction's weights and bias): one product when the stated range is
// within [-2^30, 2^30), the general sequence otherwise.
// CHECK-LABEL: func.func @stated_range
// CHECK: vector.shuffle {{.*}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31]
// CHECK-NOT: vector.shuffle
// CHECK: arith.cmpi sgt
// CHECK-NOT: arith.cmpi sgt
memref.global "private" constant @multiplier3 : memref<16xi32> = dense<1288490189>
memref.global "private" constant @shift3 : memref<16xi8> = dense<40>
func.func @stated_range(%x: vector<16xi32>) -> (vector<16xi32>, vector<16xi32>) {
  %c0 = arith.constant 0 : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %m = memref.get_global @multiplier3 : memref<16xi32>
  %n = memref.get_global @shift3 : memref<16xi8>
  %mv = vector.transfer_read %m[%c0], %p32 {in_bounds = [true]} : memref<16xi32>, vector<16xi32>
  %nv = vector.transfer_read %n[%c0], %p8 {in_bounds = [true]} : memref<16xi8>, vector<16xi8>
  %a = tosa.apply_scale %x, %mv, %nv {qopt.value_range = array<i64: -1073741824, 1073741823>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %b = tosa.apply_scale %x, %mv, %nv {qopt.value_range = array<i64: -100, 1073741824>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a, %b : vector<16xi32>, vector<16xi32>
}

// -----

// A depthwise accumulator offset by 2^19 (y, the requantization's input
// y - 2^19) whose range [-2^19, 2^19) is stated, in a function with AVX-512
// IFMA: the even and odd lanes of y (an and, a shift by 32) multiplied by
// 2 M0 and added to their constant terms by vpmadd52luq, no doubling, the
// sign term y >> 19 (logical); with r = 8, z = 0, M0 = 2^30 the constant
// term is 2^31 + 2^39 - 2^50 - 2^32 = -1125352298512384. Without the
// feature, or outside the range, the one-product sequence of x.
// CHECK-LABEL: func.func @offset_product
// CHECK-DAG: %[[E:.*]] = arith.constant dense<-1125352298512384> : vector<8xi64>
// CHECK-DAG: %[[C19:.*]] = arith.constant dense<19> : vector<16xi32>
// CHECK-NOT: arith.addi %arg0, %arg0
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpmadd52l.uq.512"(%[[E]],
// CHECK: %[[H:.*]] = vector.shuffle {{.*}} [1, 17, 3, 19
// CHECK: %[[S:.*]] = arith.shrui %arg0, %[[C19]] : vector<16xi32>
// CHECK: arith.addi %[[H]], %[[S]] : vector<16xi32>
// CHECK-LABEL: func.func @offset_product_no_ifma
// CHECK-NOT: llvm.call_intrinsic
// CHECK: return
func.func @offset_product(%y: vector<16xi32>) -> vector<16xi32>
    attributes {target_features = #llvm.target_features<["+avx512f", "+avx512ifma"]>} {
  %m = arith.constant dense<1073741824> : vector<16xi32>
  %n = arith.constant dense<39> : vector<16xi8>
  %b = arith.constant dense<524288> : vector<16xi32>
  %x = arith.subi %y, %b : vector<16xi32>
  %a = tosa.apply_scale %x, %m, %n {qopt.value_range = array<i64: -524288, 524287>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a : vector<16xi32>
}
func.func @offset_product_no_ifma(%y: vector<16xi32>) -> vector<16xi32>
    attributes {target_features = #llvm.target_features<["+avx512f"]>} {
  %m = arith.constant dense<1073741824> : vector<16xi32>
  %n = arith.constant dense<39> : vector<16xi8>
  %b = arith.constant dense<524288> : vector<16xi32>
  %x = arith.subi %y, %b : vector<16xi32>
  %a = tosa.apply_scale %x, %m, %n {qopt.value_range = array<i64: -524288, 524287>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a : vector<16xi32>
}

// -----

// Two or four vectors narrowed together (a depthwise epilogue's
// concatenation, clamped and truncated to bytes) with AVX-512BW: packssdw of
// pairs, packuswb for a clamp within u8 (packsswb within s8), one dword
// shuffle putting the packs' 128-bit lanes in order, and a byte max or min
// where the clamp is narrower than the byte's range. Without AVX-512BW, or
// for a clamp wider than a byte, left alone.
// CHECK-LABEL: func.func @packed_narrowing
// CHECK: %[[W0:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[W1:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[B:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"(%[[W0]], %[[W1]])
// CHECK: %[[D:.*]] = vector.bitcast %[[B]] : vector<64xi8> to vector<16xi32>
// CHECK: %[[P:.*]] = vector.shuffle %[[D]], %[[D]] [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
// CHECK: %[[U:.*]] = vector.bitcast %[[P]] : vector<16xi32> to vector<64xi8>
// CHECK-NOT: arith.maxui
// CHECK: %[[W2:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[B2:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packsswb.512"(%[[W2]], %[[W2]])
// CHECK: vector.shuffle {{.*}} [0, 4, 8, 12, 1, 5, 9, 13] : vector<16xi32>, vector<16xi32>
// CHECK: %[[S:.*]] = arith.minsi %{{.*}}, %{{.*}} : vector<32xi8>
// CHECK: %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"
// CHECK: arith.maxui {{.*}} : vector<64xi8>
// CHECK: arith.minui {{.*}} : vector<64xi8>
// CHECK: arith.trunci {{.*}} : vector<64xi32> to vector<64xi8>
// CHECK-NOT: llvm.call_intrinsic
// CHECK: return %[[U]], %[[S]]
func.func @packed_narrowing(%x: vector<64xi32>, %y: vector<32xi32>)
    -> (vector<64xi8>, vector<32xi8>, vector<64xi8>, vector<64xi8>)
    attributes {target_features = #llvm.target_features<["+avx512f", "+avx512bw"]>} {
  %c0 = arith.constant dense<0> : vector<64xi32>
  %c255 = arith.constant dense<255> : vector<64xi32>
  %m128 = arith.constant dense<-128> : vector<32xi32>
  %c100 = arith.constant dense<100> : vector<32xi32>
  %c5 = arith.constant dense<5> : vector<64xi32>
  %c200 = arith.constant dense<200> : vector<64xi32>
  %m1 = arith.constant dense<-1> : vector<64xi32>
  %a0 = arith.maxsi %x, %c0 : vector<64xi32>
  %a1 = arith.minsi %a0, %c255 : vector<64xi32>
  %a = arith.trunci %a1 : vector<64xi32> to vector<64xi8>
  %b0 = arith.maxsi %y, %m128 : vector<32xi32>
  %b1 = arith.minsi %b0, %c100 : vector<32xi32>
  %b = arith.trunci %b1 : vector<32xi32> to vector<32xi8>
  %d0 = arith.maxsi %x, %c5 : vector<64xi32>
  %d1 = arith.minsi %d0, %c200 : vector<64xi32>
  %d = arith.trunci %d1 : vector<64xi32> to vector<64xi8>
  %e0 = arith.maxsi %x, %m1 : vector<64xi32>
  %e1 = arith.minsi %e0, %c200 : vector<64xi32>
  %e = arith.trunci %e1 : vector<64xi32> to vector<64xi8>
  return %a, %b, %d, %e : vector<64xi8>, vector<32xi8>, vector<64xi8>, vector<64xi8>
}

// -----

// CHECK-LABEL: func.func @packed_narrowing_avx2
// CHECK-NOT: llvm.call_intrinsic
// CHECK: arith.trunci {{.*}} : vector<64xi32> to vector<64xi8>
func.func @packed_narrowing_avx2(%x: vector<64xi32>) -> vector<64xi8>
    attributes {target_features = #llvm.target_features<["+avx2"]>} {
  %c0 = arith.constant dense<0> : vector<64xi32>
  %c255 = arith.constant dense<255> : vector<64xi32>
  %a0 = arith.maxsi %x, %c0 : vector<64xi32>
  %a1 = arith.minsi %a0, %c255 : vector<64xi32>
  %a = arith.trunci %a1 : vector<64xi32> to vector<64xi8>
  return %a : vector<64xi8>
}

// -----

// A byte shuffle alone using the narrowed bytes (a depthwise block putting
// its permuted channels back in order) composes with the packs' own lane
// shuffle, and the clamp commutes with both: here the two cancel, and no
// shuffle is left. A shuffle that moves whole dwords leaves one dword
// shuffle.
// CHECK-LABEL: func.func @packed_narrowing_shuffled
// CHECK: %[[W0:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[W1:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[B:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"(%[[W0]], %[[W1]])
// CHECK-NOT: vector.shuffle
// CHECK: %[[C:.*]] = arith.minui %[[B]], %{{.*}} : vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"
// CHECK: vector.shuffle {{.*}} [15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0] : vector<16xi32>, vector<16xi32>
// CHECK-NOT: vector.shuffle
// CHECK: return %[[C]],
func.func @packed_narrowing_shuffled(%x: vector<64xi32>)
    -> (vector<64xi8>, vector<64xi8>)
    attributes {target_features = #llvm.target_features<["+avx512f", "+avx512bw"]>} {
  %c0 = arith.constant dense<0> : vector<64xi32>
  %c200 = arith.constant dense<200> : vector<64xi32>
  %a0 = arith.maxsi %x, %c0 : vector<64xi32>
  %a1 = arith.minsi %a0, %c200 : vector<64xi32>
  %a = arith.trunci %a1 : vector<64xi32> to vector<64xi8>
  %s = vector.shuffle %a, %a [0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51, 4, 5, 6, 7, 20, 21, 22, 23, 36, 37, 38, 39, 52, 53, 54, 55, 8, 9, 10, 11, 24, 25, 26, 27, 40, 41, 42, 43, 56, 57, 58, 59, 12, 13, 14, 15, 28, 29, 30, 31, 44, 45, 46, 47, 60, 61, 62, 63] : vector<64xi8>, vector<64xi8>
  %b = arith.trunci %a1 : vector<64xi32> to vector<64xi8>
  %r = vector.shuffle %b, %b [60, 61, 62, 63, 56, 57, 58, 59, 52, 53, 54, 55, 48, 49, 50, 51, 44, 45, 46, 47, 40, 41, 42, 43, 36, 37, 38, 39, 32, 33, 34, 35, 28, 29, 30, 31, 24, 25, 26, 27, 20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3] : vector<64xi8>, vector<64xi8>
  return %s, %r : vector<64xi8>, vector<64xi8>
}

// -----

// A TensorFlow Lite add as --qopt-vectorize-elementwise leaves it: the
// operand with the larger scale halved by a shift, the other (x - zp) << 20
// rescaled, and their sum rescaled to the output. The operands bound the
// first rescale's input to 255 * 2^20, and that rescale's result (at most
// 1 past x M0 / 2^n) bounds the sum within [-2^30, 2^30): the sum takes one
// product although the first rescale is rewritten before it. The first,
// v << 20 with v = x - zp in [0, 255], r = 2, splits its product at
// n = 31 + 2 - 20 = 13: M0 = 1316047957 = 160650 2^13 + 3157, K = 2^10 +
// 2^12, no sign term for v >= 0, and no shuffle.
// CHECK-LABEL: func.func @add_of_rescales
// CHECK-NOT: tosa.apply_scale
// CHECK-DAG: %[[H:.*]] = arith.constant dense<160650> : vector<16xi32>
// CHECK-DAG: %[[N:.*]] = arith.constant dense<13> : vector<16xi32>
// CHECK-DAG: %[[K:.*]] = arith.constant dense<5120> : vector<16xi32>
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<3157> : vector<16xi32>
// CHECK: %[[P:.*]] = arith.muli %[[V:[0-9]+]], %[[LO]]
// CHECK-NEXT: %[[S:.*]] = arith.addi %[[P]], %[[K]]
// CHECK-NEXT: %[[F:.*]] = arith.shrsi %[[S]], %[[N]]
// CHECK-NEXT: %[[Q:.*]] = arith.muli %[[V]], %[[H]]
// CHECK-NEXT: arith.addi %[[Q]], %[[F]]
// CHECK: vector.shuffle {{.*}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31]
// CHECK-NOT: vector.shuffle {{.*}} [1, 17, 3, 19
// CHECK-NOT: arith.cmpi
func.func @add_of_rescales(%l: vector<16xi8>, %r: vector<16xi8>) -> vector<16xi32> {
  %lzp = arith.constant dense<-17> : vector<16xi32>
  %rzp = arith.constant dense<-128> : vector<16xi32>
  %c19 = arith.constant dense<19> : vector<16xi32>
  %c20 = arith.constant dense<20> : vector<16xi32>
  %rm = arith.constant dense<1316047957> : vector<16xi32>
  %rn = arith.constant dense<33> : vector<16xi8>
  %om = arith.constant dense<1101348246> : vector<16xi32>
  %on = arith.constant dense<48> : vector<16xi8>
  %lw = arith.extsi %l : vector<16xi8> to vector<16xi32>
  %ld = arith.subi %lw, %lzp : vector<16xi32>
  %a = arith.shli %ld, %c19 : vector<16xi32>
  %rw = arith.extsi %r : vector<16xi8> to vector<16xi32>
  %rd = arith.subi %rw, %rzp : vector<16xi32>
  %rs = arith.shli %rd, %c20 : vector<16xi32>
  %b = tosa.apply_scale %rs, %rm, %rn {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %sum = arith.addi %a, %b : vector<16xi32>
  %y = tosa.apply_scale %sum, %om, %on {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %y : vector<16xi32>
}

// -----

// The split product of a signed operand, v = x - 17 in [-145, 110]: the
// sign term N = -2^(31 - 20) added where v < 0 ((v >> 31) & N). An output
// zero point added to the result folds into K when it fits (3 2^13 + 5120),
// and not when it does not (r = 12, n = 23: 255 2^23 + 2^22 + 2^10 + 255 Lo
// would overflow), where the split product stays and so does the add. A
// shifted value of unknown range takes one product by its stated range.
// CHECK-LABEL: func.func @split_sign_term
// CHECK-DAG: %[[NT:.*]] = arith.constant dense<-2048> : vector<16xi32>
// CHECK-DAG: %[[C31:.*]] = arith.constant dense<31> : vector<16xi32>
// CHECK: %[[V:.*]] = arith.subi
// CHECK: %[[SG:.*]] = arith.shrsi %[[V]], %[[C31]]
// CHECK: arith.andi %[[SG]], %[[NT]]
// CHECK-NOT: vector.shuffle
// CHECK: return
// CHECK-LABEL: func.func @split_zero_point
// CHECK-DAG: arith.constant dense<29696> : vector<16xi32>
// CHECK-DAG: arith.constant dense<4195328> : vector<16xi32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<255> : vector<16xi32>
// CHECK-NOT: vector.shuffle
// CHECK: arith.addi %{{[0-9]+}}, %[[Z]]
// CHECK-NOT: vector.shuffle
// CHECK: return
// CHECK-LABEL: func.func @split_unknown_range
// CHECK: vector.shuffle {{.*}} [1, 17, 3, 19
func.func @split_sign_term(%l: vector<16xi8>) -> vector<16xi32> {
  %zp = arith.constant dense<17> : vector<16xi32>
  %c20 = arith.constant dense<20> : vector<16xi32>
  %m = arith.constant dense<1316047957> : vector<16xi32>
  %n = arith.constant dense<33> : vector<16xi8>
  %w = arith.extsi %l : vector<16xi8> to vector<16xi32>
  %v = arith.subi %w, %zp : vector<16xi32>
  %x = arith.shli %v, %c20 : vector<16xi32>
  %a = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a : vector<16xi32>
}
func.func @split_zero_point(%l: vector<16xi8>) -> (vector<16xi32>, vector<16xi32>) {
  %c20 = arith.constant dense<20> : vector<16xi32>
  %m = arith.constant dense<1316047957> : vector<16xi32>
  %n = arith.constant dense<33> : vector<16xi8>
  %n12 = arith.constant dense<43> : vector<16xi8>
  %z3 = arith.constant dense<3> : vector<16xi32>
  %z255 = arith.constant dense<255> : vector<16xi32>
  %v = arith.extui %l : vector<16xi8> to vector<16xi32>
  %x = arith.shli %v, %c20 : vector<16xi32>
  %a = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %az = arith.addi %a, %z3 : vector<16xi32>
  %b = tosa.apply_scale %x, %m, %n12 {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  %bz = arith.addi %b, %z255 : vector<16xi32>
  return %az, %bz : vector<16xi32>, vector<16xi32>
}
func.func @split_unknown_range(%v: vector<16xi32>) -> vector<16xi32> {
  %c20 = arith.constant dense<20> : vector<16xi32>
  %m = arith.constant dense<1316047957> : vector<16xi32>
  %n = arith.constant dense<33> : vector<16xi8>
  %x = arith.shli %v, %c20 : vector<16xi32>
  %a = tosa.apply_scale %x, %m, %n {qopt.value_range = array<i64: -267386880, 267386880>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
  return %a : vector<16xi32>
}
