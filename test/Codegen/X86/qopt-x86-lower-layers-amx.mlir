// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --canonicalize \
// RUN:   --split-input-file | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers="isa=amx tile-rows=16 tile-vectors=1" \
// RUN:   --canonicalize --split-input-file | FileCheck %s --check-prefix=TUNED
// RUN: not qopt %s --qopt-x86-lower-layers="isa=amx tile-rows=20" \
// RUN:   --split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: error: the AMX kernel tile must have a positive multiple of 16 rows and at least one vector
// The layers AMX leaves to the vpdpbusd kernels get a remark saying why.
// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --split-input-file \
// RUN:   -verify-diagnostics -o /dev/null

// 40 rows of u8 x s8 over 128 bytes into 20 channels: a tile of 32 rows (two
// blocks of 16) by two columns of 16 channels (the second partial), then a
// tile of the last 8 rows that starts 8 rows earlier (row 24, input byte
// 24 * 128) to be a whole block. Each step loads one input tile per block
// (rows 128 bytes apart) and one 16 x 64 tile of packed weights per column,
// and multiplies zero-extended input by signed weights (tdpbusd). Each
// accumulator tile goes through a stack buffer into 16 rows of the epilogue,
// which adds the bias.

// CHECK-LABEL: func.func @fc
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512dq", "+avx512vl", "+avx512vnni", "+amx-tile", "+amx-int8"]>
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C3072:.*]] = arith.constant 3072 : index
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<{{.*}}> : tensor<2x16xi32>
// CHECK-DAG: %[[WEIGHTS:.*]] = arith.constant dense<{{.*}}> : tensor<2x32x64xi8>
// CHECK: %[[INPUT:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<5120xi8> to memref<5120xi8, strided<[1], offset: ?>>
// CHECK: %[[PACKED:.*]] = bufferization.to_buffer %[[WEIGHTS]] read_only : tensor<2x32x64xi8> to memref<2x32x64xi8>
// CHECK-COUNT-4: amx.tile_zero : !amx.tile<16x16xi32>
// CHECK: scf.for
// CHECK: amx.tile_load %[[INPUT]][%{{.*}}], %[[C128]] : memref<5120xi8, strided<[1], offset: ?>> into !amx.tile<16x64xi8>
// CHECK: amx.tile_load %[[PACKED]][%c0, %{{.*}}, %c0] : memref<2x32x64xi8> into !amx.tile<16x64xi8>
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
// CHECK: memref.alloca_scope
// CHECK-NEXT: %[[STACK:.*]] = memref.alloca() : memref<16x16xi32>
// CHECK-NEXT: amx.tile_store %[[STACK]][%c0, %c0], %{{.*}} : memref<16x16xi32>, !amx.tile<16x16xi32>
// CHECK-COUNT-16: vector.load %[[STACK]]
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: tosa.apply_scale
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0] {in_bounds = [true]} : vector<16xi8>, tensor<40x20xi8>
// The partial column stores 4 channels.
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xi8> to vector<4xi8>
// The last tile: one block, from row 24.
// CHECK-COUNT-2: amx.tile_zero : !amx.tile<16x16xi32>
// CHECK: arith.addi %{{.*}}, %[[C3072]] : index
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c24, %c0] {in_bounds = [true]} : vector<16xi8>, tensor<40x20xi8>
// CHECK-NOT: qnn.int

// One block by one column per tile.
// TUNED-LABEL: func.func @fc
// TUNED: scf.for
// TUNED: amx.tile_zero : !amx.tile<16x16xi32>
// TUNED-NOT: amx.tile_zero
// TUNED: scf.for
func.func @fc(%x: tensor<40x128xui8>) -> tensor<40x20xui8> {
  %w = arith.constant dense<3> : tensor<20x128xi8>
  %b = arith.constant dense<-100> : tensor<20xi32>
  %acc = qnn.int.fully_connected %x, %w, %b
       : (tensor<40x128xui8>, tensor<20x128xi8>, tensor<20xi32>) -> tensor<40x20xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -3>, output_zp = 5 : i64}
       : (tensor<40x20xi32>) -> tensor<40x20xui8>
  return %y : tensor<40x20xui8>
}

// -----

// A 3x3 convolution reads its input in place: 16 pixels of an output row
// 2 x 64 bytes apart (stride 2), each kernel row a run of 3 x 64 adjacent
// bytes (a loop of three 64-byte steps), kernel rows 35 x 64 bytes apart.

// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C2240:.*]] = arith.constant 2240 : index
// CHECK: scf.for %[[KROW:.*]] = %c0 to %c3 step %c1
// CHECK: arith.muli %[[KROW]], %[[C2240]] : index
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: amx.tile_load %{{.*}}[%{{.*}}], %[[C128]]
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<16x64xi8>
func.func @conv(%x: tensor<1x7x35x64xui8>) -> tensor<1x3x17x16xi8> {
  %w = arith.constant dense<1> : tensor<16x3x3x64xi8>
  %acc = qnn.int.conv2d %x, %w {strides = array<i64: 2, 2>}
       : (tensor<1x7x35x64xui8>, tensor<16x3x3x64xi8>) -> tensor<1x3x17x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x3x17x16xi32>) -> tensor<1x3x17x16xi8>
  return %y : tensor<1x3x17x16xi8>
}

// -----

// Image rows of fewer than 16 pixels (7 here) take tiles of that many rows,
// one block per tile; a 1x1 convolution of stride 1 is one image row of all
// its pixels (49), tiles of two blocks of 16 rows and a last one of 16 that
// starts at pixel 33.

// CHECK-LABEL: func.func @small_image
// CHECK: amx.tile_zero : !amx.tile<7x16xi32>
// CHECK: amx.tile_load %{{.*}} into !amx.tile<7x64xi8>
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<7x64xi8>, !amx.tile<16x64xi8>, !amx.tile<7x16xi32>
// CHECK: memref.alloca() : memref<7x16xi32>
func.func @small_image(%x: tensor<1x9x9x64xui8>) -> tensor<1x7x7x16xui8> {
  %w = arith.constant dense<3> : tensor<16x3x3x64xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x9x9x64xui8>, tensor<16x3x3x64xi8>) -> tensor<1x7x7x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x7x7x16xi32>) -> tensor<1x7x7x16xui8>
  return %y : tensor<1x7x7x16xui8>
}

// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: !amx.tile<7x
// CHECK: amx.tile_zero : !amx.tile<16x16xi32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c33, %c0] {in_bounds = [true]} : vector<16xi8>, tensor<49x16xi8>
func.func @pointwise(%x: tensor<1x7x7x64xui8>) -> tensor<1x7x7x16xui8> {
  %w = arith.constant dense<3> : tensor<16x1x1x64xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x64xui8>, tensor<16x1x1x64xi8>) -> tensor<1x7x7x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x7x7x16xi32>) -> tensor<1x7x7x16xui8>
  return %y : tensor<1x7x7x16xui8>
}

// -----

// Runs that are not whole 64-byte steps, and fully connected layers of
// fewer than 16 rows, take the vpdpbusd kernels.

// CHECK-LABEL: func.func @short_runs
// CHECK-NOT: amx.
// CHECK: vector.multi_reduction
func.func @short_runs(%x: tensor<32x200xui8>) -> tensor<32x16xui8> {
  %w = arith.constant dense<3> : tensor<16x200xi8>
  // expected-remark @below {{not on AMX tiles: its runs of adjacent input bytes (kernel width x depth) are not a multiple of 64 bytes}}
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<32x200xui8>, tensor<16x200xi8>) -> tensor<32x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<32x16xi32>) -> tensor<32x16xui8>
  return %y : tensor<32x16xui8>
}

// CHECK-LABEL: func.func @few_rows
// CHECK-NOT: amx.
// CHECK: vector.multi_reduction
func.func @few_rows(%x: tensor<8x64xui8>) -> tensor<8x16xui8> {
  %w = arith.constant dense<3> : tensor<16x64xi8>
  // expected-remark @below {{not on AMX tiles: it has fewer than 16 rows}}
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<8x64xui8>, tensor<16x64xi8>) -> tensor<8x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<8x16xi32>) -> tensor<8x16xui8>
  return %y : tensor<8x16xui8>
}
