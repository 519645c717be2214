// RUN: qopt %s --qopt-x86-lower-layers --canonicalize --split-input-file \
// RUN:   | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers=isa=avx2 --canonicalize \
// RUN:   --split-input-file | FileCheck %s --check-prefix=AVX2

// A contraction of at most 256 output pixels reads each weight byte for few
// dot products, and in a network its weights come from memory: each
// reduction step prefetches, into L2 (locality 2), the lines of the next
// panel at the same place as the lines it reads. A 7x7 image with 64
// channels: tiles of 7 x 2 vectors, 2 panels of 2 vectors x 16 groups (a 1x1
// kernel over 64 input channels), so the next panel is 32 lines on where a
// panel follows (v0 + 4 <= 4 vectors), else 0 lines: the last panel
// prefetches its own lines. avx2's lines of 32 bytes would take two
// prefetches per cache line: none.

// CHECK-LABEL: func.func @few_pixels
// CHECK: %[[PACKED:.*]] = arith.constant dense<{{.*}}> : tensor<64x64xi8>
// CHECK: %[[BUFFER:.*]] = bufferization.to_buffer %[[PACKED]] read_only : tensor<64x64xi8> to memref<64x64xi8>
// CHECK: scf.for %[[V0:.*]] = %c0 to %c4 step %c2
// CHECK: %[[END:.*]] = arith.addi %[[V0]], %c4 : index
// CHECK: %[[FOLLOWED:.*]] = arith.cmpi sle, %[[END]], %c4 : index
// CHECK: %[[OFFSET:.*]] = arith.select %[[FOLLOWED]], %c32, %c0 : index
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK: vector.transfer_read %[[PACKED]][%[[LINE:.*]], %c0]
// CHECK: %[[AHEAD:.*]] = arith.addi %[[LINE]], %[[OFFSET]] : index
// CHECK: memref.prefetch %[[BUFFER]][%[[AHEAD]], %c0], read, locality<2>, data : memref<64x64xi8>
// AVX2-LABEL: func.func @few_pixels
// AVX2-NOT: memref.prefetch
func.func @few_pixels(%x: tensor<1x7x7x64xui8>) -> tensor<1x7x7x64xui8> {
  %w = arith.constant dense<1> : tensor<64x1x1x64xi8>
  %b = arith.constant dense<100> : tensor<64xi32>
  %acc = qnn.int.conv2d %x, %w, %b
       : (tensor<1x7x7x64xui8>, tensor<64x1x1x64xi8>, tensor<64xi32>)
      -> tensor<1x7x7x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -10>, output_zp = 3 : i64}
       : (tensor<1x7x7x64xi32>) -> tensor<1x7x7x64xui8>
  return %y : tensor<1x7x7x64xui8>
}

// -----

// 28x28 pixels reuse each weight byte 784 times: the stream of a panel is
// a small part of its time, and the prefetches would be cache hits.
// CHECK-LABEL: func.func @many_pixels
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @many_pixels(%x: tensor<1x28x28x64xui8>) -> tensor<1x28x28x64xui8> {
  %w = arith.constant dense<1> : tensor<64x1x1x64xi8>
  %b = arith.constant dense<100> : tensor<64xi32>
  %acc = qnn.int.conv2d %x, %w, %b
       : (tensor<1x28x28x64xui8>, tensor<64x1x1x64xi8>, tensor<64xi32>)
      -> tensor<1x28x28x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -10>, output_zp = 3 : i64}
       : (tensor<1x28x28x64xi32>) -> tensor<1x28x28x64xui8>
  return %y : tensor<1x28x28x64xui8>
}

// -----

// One batch row: each panel is one tile of 1 x 8 vectors, which no other
// tile of the panel follows to hide a prefetch's stream behind, and whose
// every weight is already a load: no prefetch (2 panels of 8 vectors).
// CHECK-LABEL: func.func @one_tile_per_panel
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @one_tile_per_panel(%x: tensor<1x64xui8>) -> tensor<1x256xi8> {
  %w = arith.constant dense<1> : tensor<256x64xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<1x64xui8>, tensor<256x64xi8>) -> tensor<1x256xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x256xi32>) -> tensor<1x256xi8>
  return %y : tensor<1x256xi8>
}
