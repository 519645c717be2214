// RUN: qopt %s --qopt-x86-select-dot-products --split-input-file \
// RUN:   | FileCheck %s
// RUN: qopt %s --qopt-x86-select-dot-products=isa=avx2 --split-input-file \
// RUN:   | FileCheck %s --check-prefix=AVX2

// The grouped dot product of --qopt-x86-lower-layers' AVX-512 VNNI kernels:
// 16 lanes, each the sum of 4 u8 x s8 products, added to the accumulator.
// CHECK-LABEL: func.func @u8_16x4
// CHECK-SAME:    (%[[ACC:.*]]: vector<16xi32>, %[[X:.*]]: vector<64xi8>, %[[W:.*]]: vector<64xi8>)
// CHECK-NEXT:    %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[X]], %[[W]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-NEXT:    return %[[R]]
// AVX2-LABEL: func.func @u8_16x4
// AVX2:         vector.multi_reduction
func.func @u8_16x4(%acc: vector<16xi32>, %x: vector<64xi8>, %w: vector<64xi8>) -> vector<16xi32> {
  %xe = arith.extui %x : vector<64xi8> to vector<64xi32>
  %we = arith.extsi %w : vector<64xi8> to vector<64xi32>
  %p = arith.muli %xe, %we : vector<64xi32>
  %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
  %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// The AVX2 kernels' form: 8 lanes of 2 products of 16-bit operands.
// CHECK-LABEL: func.func @i16_8x2
// CHECK:         vector.multi_reduction
// AVX2-LABEL: func.func @i16_8x2
// AVX2-SAME:     (%[[ACC:.*]]: vector<8xi32>, %[[X:.*]]: vector<16xi16>, %[[W:.*]]: vector<16xi16>)
// AVX2-NEXT:    %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[X]], %[[W]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NEXT:    %[[R:.*]] = arith.addi %[[ACC]], %[[P]] : vector<8xi32>
// AVX2-NEXT:    return %[[R]]
func.func @i16_8x2(%acc: vector<8xi32>, %x: vector<16xi16>, %w: vector<16xi16>) -> vector<8xi32> {
  %xe = arith.extsi %x : vector<16xi16> to vector<16xi32>
  %we = arith.extsi %w : vector<16xi16> to vector<16xi32>
  %p = arith.muli %xe, %we : vector<16xi32>
  %g = vector.shape_cast %p : vector<16xi32> to vector<8x2xi32>
  %r = vector.multi_reduction <add>, %g, %acc [1] : vector<8x2xi32> to vector<8xi32>
  return %r : vector<8xi32>
}

// -----

// Other shapes stay portable: signed input on vpdpbusd.
// CHECK-LABEL: func.func @s8_16x4
// CHECK:         vector.multi_reduction
// CHECK-NOT:     llvm.call_intrinsic
func.func @s8_16x4(%acc: vector<16xi32>, %x: vector<64xi8>, %w: vector<64xi8>) -> vector<16xi32> {
  %xe = arith.extsi %x : vector<64xi8> to vector<64xi32>
  %we = arith.extsi %w : vector<64xi8> to vector<64xi32>
  %p = arith.muli %xe, %we : vector<64xi32>
  %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
  %r = vector.multi_reduction <add>, %g, %acc [1] : vector<16x4xi32> to vector<16xi32>
  return %r : vector<16xi32>
}
