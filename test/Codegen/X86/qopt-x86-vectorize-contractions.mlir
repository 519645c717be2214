// RUN: qopt %s --split-input-file \
// RUN:   --qopt-x86-vectorize-contractions="tile-m=4 tile-n=4 tile-k=64" \
// RUN:   | FileCheck %s

// A u8 x s8 fully connected layer: tiles of 4 x 4 x 64, peeled remainders
// (6 = 4 + 2 rows, 5 = 4 + 1 columns, 130 = 2 x 64 + 2 reduction steps), each
// output's dot product as vpdpbusd on 64-byte slices, the function compiled
// for AVX-512 VNNI.

#fc_in = affine_map<(m, n, k) -> (m, k)>
#fc_w = affine_map<(m, n, k) -> (n, k)>
#fc_out = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func.func @u8_s8
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512vl", "+avx512vnni"]>
// CHECK-NOT: linalg.generic
// Each tile of outputs is a loop over the whole 64-step slices of the
// reduction, then the 2 steps left over as plain dot products (the loops over
// rows and columns have one iteration each and are folded).
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: memref.subview %{{.*}}[0, 0] [4, 4] [1, 1]
// CHECK-COUNT-16: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK: memref.subview %{{.*}}[0, 0] [4, 4] [1, 1]
// CHECK-COUNT-16: vector.reduction <add>, %{{.*}} : vector<2xi32> into i32
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: memref.subview %{{.*}}[0, 4] [4, 1] [1, 1]
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: memref.subview %{{.*}}[0, 4] [4, 1] [1, 1]
// CHECK-COUNT-4: vector.reduction <add>, %{{.*}} : vector<2xi32> into i32
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: memref.subview %{{.*}}[4, 0] [2, 4] [1, 1]
// CHECK-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: memref.subview %{{.*}}[4, 0] [2, 4] [1, 1]
// CHECK-COUNT-8: vector.reduction <add>, %{{.*}} : vector<2xi32> into i32
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: memref.subview %{{.*}}[4, 4] [2, 1] [1, 1]
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: memref.subview %{{.*}}[4, 4] [2, 1] [1, 1]
// CHECK-COUNT-2: vector.reduction <add>, %{{.*}} : vector<2xi32> into i32
// CHECK-NOT: llvm.call_intrinsic
// CHECK-NOT: linalg.generic
func.func @u8_s8(%x: memref<6x130xi8>, %w: memref<5x130xi8>, %acc: memref<6x5xi32>) {
  linalg.generic {indexing_maps = [#fc_in, #fc_w, #fc_out],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<6x130xi8>, memref<5x130xi8>) outs(%acc : memref<6x5xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// -----

// s8 x s8 (vpdpbusd multiplies unsigned by signed bytes) and a contraction
// with a weights zero point left are not rewritten, nor is their function
// given target features.

#fc_in = affine_map<(m, n, k) -> (m, k)>
#fc_w = affine_map<(m, n, k) -> (n, k)>
#fc_out = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func.func @s8_s8
// CHECK-NOT: target_features
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @s8_s8(%x: memref<4x64xi8>, %w: memref<4x64xi8>, %acc: memref<4x4xi32>) {
  linalg.generic {indexing_maps = [#fc_in, #fc_w, #fc_out],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x64xi8>, memref<4x64xi8>) outs(%acc : memref<4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// CHECK-LABEL: func.func @weights_zero_point
// CHECK-NOT: target_features
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @weights_zero_point(%x: memref<4x64xi8>, %w: memref<4x64xi8>, %acc: memref<4x4xi32>) {
  %zp = arith.constant 3 : i32
  linalg.generic {indexing_maps = [#fc_in, #fc_w, #fc_out],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x64xi8>, memref<4x64xi8>) outs(%acc : memref<4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.subi %1, %zp : i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %c, %3 : i32
    linalg.yield %4 : i32
  }
  return
}
