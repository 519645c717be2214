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
