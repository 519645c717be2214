// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --canonicalize \
// RUN:   --split-input-file | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers="isa=amx tile-rows=16 tile-vectors=1" \
// RUN:   --canonicalize --split-input-file | FileCheck %s --check-prefix=TUNED
// The epilogue is in the IR once per column of a tile, not once per row:
// two columns, two tiles of @fc (a regression guard of the compile time).
// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --split-input-file \
// RUN:   2>/dev/null | FileCheck %s --check-prefix=EPILOGUES
// EPILOGUES-LABEL: func.func @fc
// EPILOGUES-COUNT-4: tosa.apply_scale
// EPILOGUES-NOT: tosa.apply_scale
// EPILOGUES-LABEL: func.func @conv
// RUN: not qopt %s --qopt-x86-lower-layers="isa=amx tile-rows=20" \
// RUN:   --split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: error: the AMX kernel tile must have a positive multiple of 16 rows and at least one vector
// A layer that AMX would suit but cannot take gets a remark saying why.
// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --split-input-file \
// RUN:   -verify-diagnostics -o /dev/null

// 40 rows of u8 x s8 over 128 bytes into 20 channels: a tile of 32 rows (two
// blocks of 16) by two columns of 16 channels (the second partial), then a
// tile of the last 8 rows that starts 8 rows earlier (row 24, input byte
// 24 * 128) to be a whole block. Each step loads one input tile per block
// (rows 128 bytes apart) and one 16 x 64 tile of packed weights per column,
// and multiplies zero-extended input by signed weights (tdpbusd). The
// accumulator tiles go to the function's stack buffer, column after column,
// and a loop over the rows runs the epilogue of each column, which states
// the range that the weights and bias bound the sums to (128 x 255 x 3 - 100
// at most) on the requantization: one epilogue per column in the IR, not one
// per row. The accumulator tiles start from the bias, a tile load of row
// stride 0 from the column's 16 channels, so the epilogue adds nothing.

// CHECK-LABEL: func.func @fc
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512dq", "+avx512vl", "+avx512vnni", "+avx512ifma", "+avx512vbmi", "+amx-tile", "+amx-int8"]>
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C3072:.*]] = arith.constant 3072 : index
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<{{.*}}> : tensor<2x16xi32>
// CHECK-DAG: %[[WEIGHTS:.*]] = arith.constant dense<{{.*}}> : tensor<1x2x32x64xi8>
// CHECK: %[[SUMS:.*]] = memref.alloca() {qopt.amx_sums} : memref<64x16xi32>
// CHECK: %[[INPUT:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<5120xi8> to memref<5120xi8, strided<[1], offset: ?>>
// CHECK: %[[PACKED:.*]] = bufferization.to_buffer %[[WEIGHTS]] read_only : tensor<1x2x32x64xi8> to memref<1x2x32x64xi8>
// CHECK: %[[BIASES:.*]] = bufferization.to_buffer %[[BIAS]] read_only : tensor<2x16xi32> to memref<2x16xi32>
// CHECK-COUNT-2: amx.tile_load %[[BIASES]][%c0, %c0], %c0 : memref<2x16xi32> into !amx.tile<16x16xi32>
// CHECK-NEXT: amx.tile_load %[[BIASES]][%c1, %c0], %c0 : memref<2x16xi32> into !amx.tile<16x16xi32>
// CHECK: scf.for
// CHECK: amx.tile_load %[[INPUT]][%{{.*}}], %[[C128]] : memref<5120xi8, strided<[1], offset: ?>> into !amx.tile<16x64xi8>
// CHECK: amx.tile_load %[[PACKED]][%c0, %c0, %{{.*}}, %c0] : memref<1x2x32x64xi8> into !amx.tile<16x64xi8>
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
// CHECK: amx.tile_store %[[SUMS]][%c0, %c0], %[[ACC:.*]]#0 : memref<64x16xi32>, !amx.tile<16x16xi32>
// CHECK-NEXT: amx.tile_store %[[SUMS]][%c16, %c0], %[[ACC]]#2
// CHECK-NEXT: amx.tile_store %[[SUMS]][%c32, %c0], %[[ACC]]#1
// CHECK-NEXT: amx.tile_store %[[SUMS]][%c48, %c0], %[[ACC]]#3
// CHECK: scf.for %[[R:.*]] = %c0 to %c32 step %c1 iter_args
// CHECK-NEXT: %[[ROW:.*]] = vector.load %[[SUMS]][%[[R]], %c0] : memref<64x16xi32>, vector<16xi32>
// CHECK-NEXT: tosa.apply_scale %[[ROW]], {{.*}} {qopt.value_range = array<i64: -100, 97820>, rounding_mode = DOUBLE_ROUND}
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[R]], %c0] {in_bounds = [true]} : vector<16xi8>, tensor<40x20xi8>
// CHECK: %[[R32:.*]] = arith.addi %[[R]], %c32 : index
// CHECK-NEXT: vector.load %[[SUMS]][%[[R32]], %c0] : memref<64x16xi32>, vector<16xi32>
// The partial column stores 4 channels.
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xi8> to vector<4xi8>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[R]], %c16] {in_bounds = [true]} : vector<4xi8>, tensor<40x20xi8>
// CHECK-NEXT: scf.yield
// The last tile: one block, from row 24.
// CHECK-COUNT-2: amx.tile_load %[[BIASES]][%{{.*}}, %c0], %c0 : memref<2x16xi32> into !amx.tile<16x16xi32>
// CHECK: arith.addi %{{.*}}, %[[C3072]] : index
// CHECK: scf.for %[[R:.*]] = %c0 to %c16 step %c1 iter_args
// CHECK: %[[M:.*]] = arith.addi %[[R]], %c24 : index
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[M]], %c0] {in_bounds = [true]} : vector<16xi8>, tensor<40x20xi8>
// CHECK-NOT: qnn.int

// One block by one column per tile.
// TUNED-LABEL: func.func @fc
// TUNED: scf.for
// TUNED: amx.tile_load %{{.*}}, %c0 : memref<2x16xi32> into !amx.tile<16x16xi32>
// TUNED-NOT: into !amx.tile<16x16xi32>
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

// A 3x3 convolution reads its input in place: the 17 pixels of an output
// row as two tiles of one block of 9 (the second from pixel 8), pixels 2 x 64
// bytes apart (stride 2), each kernel row a run of 3 x 64 adjacent bytes (a
// loop of three 64-byte steps), kernel rows 35 x 64 bytes apart.

// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C2240:.*]] = arith.constant 2240 : index
// CHECK: scf.for %[[KROW:.*]] = %c0 to %c3 step %c1
// CHECK: arith.muli %[[KROW]], %[[C2240]] : index
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: amx.tile_load %{{.*}}[%{{.*}}], %[[C128]] : {{.*}} into !amx.tile<9x64xi8>
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<9x64xi8>
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

// Image rows of fewer than 16 pixels (7 here, at stride 2) take tiles of
// that many rows, one block per tile.

// CHECK-LABEL: func.func @small_image
// CHECK: amx.tile_load %{{.*}}[%c0, %c0], %c0 : memref<1x16xi32> into !amx.tile<7x16xi32>
// CHECK: amx.tile_load %{{.*}} into !amx.tile<7x64xi8>
// CHECK: amx.tile_muli %{{.*}} zext, %{{.*}}, %{{.*}} : !amx.tile<7x64xi8>, !amx.tile<16x64xi8>, !amx.tile<7x16xi32>
// CHECK: amx.tile_store %{{.*}}[%c0, %c0], %{{.*}} : memref<64x16xi32>, !amx.tile<7x16xi32>
// CHECK: scf.for %{{.*}} = %c0 to %c7 step %c1
func.func @small_image(%x: tensor<1x15x15x64xui8>) -> tensor<1x7x7x16xui8> {
  %w = arith.constant dense<3> : tensor<16x3x3x64xi8>
  %acc = qnn.int.conv2d %x, %w {strides = array<i64: 2, 2>}
       : (tensor<1x15x15x64xui8>, tensor<16x3x3x64xi8>) -> tensor<1x7x7x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x7x7x16xi32>) -> tensor<1x7x7x16xui8>
  return %y : tensor<1x7x7x16xui8>
}

// Image rows of 28 pixels at stride 2 are two blocks of 14, one tile per
// image row: the second block's pixels start 14 x 2 x 64 = 1792 bytes after
// the first's.

// CHECK-LABEL: func.func @strided_rows
// CHECK: %[[SECOND:.*]] = arith.addi %[[FIRST:.*]], %c1792 : index
// CHECK-COUNT-2: amx.tile_load %{{.*}}[%c0, %c0], %c0 : memref<1x16xi32> into !amx.tile<14x16xi32>
// CHECK: %[[AT1:.*]] = arith.addi %[[FIRST]], %[[STEP:.*]] : index
// CHECK-NEXT: amx.tile_load %{{.*}}[%[[AT1]]], %c128 : {{.*}} into !amx.tile<14x64xi8>
// CHECK-NEXT: %[[AT2:.*]] = arith.addi %[[SECOND]], %[[STEP]] : index
// CHECK-NEXT: amx.tile_load %{{.*}}[%[[AT2]]], %c128 : {{.*}} into !amx.tile<14x64xi8>
// CHECK-COUNT-2: amx.tile_muli {{.*}} : !amx.tile<14x64xi8>, !amx.tile<16x64xi8>, !amx.tile<14x16xi32>
// CHECK-NOT: into !amx.tile<14x16xi32>
func.func @strided_rows(%x: tensor<1x5x57x64xui8>) -> tensor<1x2x28x16xui8> {
  %w = arith.constant dense<3> : tensor<16x3x3x64xi8>
  %acc = qnn.int.conv2d %x, %w {strides = array<i64: 2, 2>}
       : (tensor<1x5x57x64xui8>, tensor<16x3x3x64xi8>) -> tensor<1x2x28x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x2x28x16xi32>) -> tensor<1x2x28x16xui8>
  return %y : tensor<1x2x28x16xui8>
}

// At stride 1, a row per input pixel, all one image row, 64 bytes apart:
// the 12 x 12 pixels up to the last output pixel, (9, 9), are 9 * 12 + 10
// = 118 rows, in tiles of 32 (the last from row 86). Row m is output pixel
// (m / 12, m % 12), the output's row (m / 12) * 10 + m % 12, if m % 12 < 10
// (of one image, every row up to the last output pixel is in an output
// row); the others (the last two columns) store no lane.

// CHECK-LABEL: func.func @small_image_stride_1
// CHECK-NOT: !amx.tile<10x
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[C10:.*]] = arith.constant 10 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.for %{{.*}} = %c0 to %c96 step %c32
// CHECK: amx.tile_load %{{.*}}[%c0, %c0], %c0 : memref<1x16xi32> into !amx.tile<16x16xi32>
// CHECK: amx.tile_load %{{.*}}[%{{.*}}], %c64 : memref<9216xi8, strided<[1], offset: ?>> into !amx.tile<16x64xi8>
// CHECK: scf.for %[[R:.*]] = %c0 to %c32 step %c1
// CHECK: %[[M:.*]] = arith.addi %{{.*}}, %[[R]] : index
// CHECK: %[[Y:.*]] = arith.divui %[[M]], %[[C12]] : index
// CHECK: %[[X:.*]] = arith.remui %[[M]], %[[C12]] : index
// CHECK: %[[PIXEL:.*]] = arith.cmpi ult, %[[X]], %[[C10]] : index
// CHECK: %[[Y10:.*]] = arith.muli %[[Y]], %[[C10]] : index
// CHECK: %[[OUT:.*]] = arith.addi %[[Y10]], %[[X]] : index
// CHECK: %[[LANES:.*]] = arith.select %[[PIXEL]], %[[C16]], %c0 : index
// CHECK: %[[MASK:.*]] = vector.create_mask %[[LANES]] : vector<16xi1>
// CHECK: %[[ROW:.*]] = arith.select %[[PIXEL]], %[[OUT]], %c0 : index
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[ROW]], %c0], %[[MASK]] {in_bounds = [true]} : vector<16xi8>, tensor<100x16xi8>
func.func @small_image_stride_1(%x: tensor<1x12x12x64xui8>) -> tensor<1x10x10x16xui8> {
  %w = arith.constant dense<3> : tensor<16x3x3x64xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x12x12x64xui8>, tensor<16x3x3x64xi8>) -> tensor<1x10x10x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x10x10x16xi32>) -> tensor<1x10x10x16xui8>
  return %y : tensor<1x10x10x16xui8>
}

// A 1x1 convolution of stride 1: every row is an output pixel (49), tiles
// of two blocks of 16 rows and a last one of two blocks too, for the last
// 17 rows: it starts at pixel 17.

// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: !amx.tile<7x
// CHECK: amx.tile_load %{{.*}}[%c0, %c0], %c0 : memref<1x16xi32> into !amx.tile<16x16xi32>
// CHECK: amx.tile_store
// CHECK: scf.for
// CHECK: amx.tile_store
// CHECK: scf.for %[[R:.*]] = %c0 to %c32 step %c1
// CHECK: %[[M:.*]] = arith.addi %[[R]], %c17 : index
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%[[M]], %c0] {in_bounds = [true]} : vector<16xi8>, tensor<49x16xi8>
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

// Runs that are not whole 64-byte steps (200 bytes: four steps, the last
// reading 56 bytes past the run) against weights that are zero there. Of
// 48 rows, the last (47) would read past the input's 9600 bytes (up to
// 47 * 200 + 256): the tile of rows 32 to 47 reads backward, 56 bytes
// before each run, against the second copy of the weights, whose zeros come
// first (from input byte 32 * 200 - 56); the tile of rows 0 to 31 reads
// forward.

// CHECK-LABEL: func.func @short_runs
// CHECK-DAG: %[[C6344:.*]] = arith.constant 6344 : index
// CHECK-DAG: %[[WEIGHTS:.*]] = arith.constant dense<{{.*}}> : tensor<2x1x64x64xi8>
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK: amx.tile_load %{{.*}}[%c0, %c0, %{{.*}}, %c0] : memref<2x1x64x64xi8> into !amx.tile<16x64xi8>
// CHECK: arith.addi %{{.*}}, %[[C6344]] : index
// CHECK: amx.tile_load %{{.*}}[%c1, %c0, %{{.*}}, %c0] : memref<2x1x64x64xi8> into !amx.tile<16x64xi8>
func.func @short_runs(%x: tensor<48x200xui8>) -> tensor<48x16xui8> {
  %w = arith.constant dense<3> : tensor<16x200xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<48x200xui8>, tensor<16x200xi8>) -> tensor<48x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<48x16xi32>) -> tensor<48x16xui8>
  return %y : tensor<48x16xui8>
}

// -----

// The vpdpbusd kernels, without a remark, where they are expected to be
// faster: reductions of fewer than 16 bytes (a 1x1 convolution of 12
// channels) and fully connected layers of fewer than 16 rows.

// CHECK-LABEL: func.func @short_reduction
// CHECK-NOT: amx.
// CHECK: vector.multi_reduction
func.func @short_reduction(%x: tensor<1x8x8x12xui8>) -> tensor<1x8x8x16xui8> {
  %w = arith.constant dense<3> : tensor<16x1x1x12xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x8x8x12xui8>, tensor<16x1x1x12xi8>) -> tensor<1x8x8x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xui8>
  return %y : tensor<1x8x8x16xui8>
}

// CHECK-LABEL: func.func @few_rows
// CHECK-NOT: amx.
// CHECK: vector.multi_reduction
func.func @few_rows(%x: tensor<8x64xui8>) -> tensor<8x16xui8> {
  %w = arith.constant dense<3> : tensor<16x64xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<8x64xui8>, tensor<16x64xi8>) -> tensor<8x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<8x16xi32>) -> tensor<8x16xui8>
  return %y : tensor<8x16xui8>
}

// -----

// Runs of 40 bytes over an input too small to read them in whole steps
// either way: 16 rows of 40 bytes, whose only tile would read past the end
// forward and before the start backward.

func.func @tiny_input(%x: tensor<16x40xui8>) -> tensor<16x16xui8> {
  %w = arith.constant dense<3> : tensor<16x40xi8>
  // expected-remark @below {{not on AMX tiles: its input is too small to read its runs of adjacent input bytes (kernel width x depth) in whole 64-byte steps}}
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<16x40xui8>, tensor<16x40xi8>) -> tensor<16x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<16x16xi32>) -> tensor<16x16xui8>
  return %y : tensor<16x16xui8>
}

// -----

// Two whole columns of a row (channels 0-15 and 16-31) are 32 adjacent
// output bytes: the epilogue requantizes each, narrows them together and
// writes the 32 bytes at once (x86 packs them,
// qopt-x86-select-requantization.mlir).

// CHECK-LABEL: func.func @column_pair
// CHECK: scf.for %[[R:.*]] = %c0 to %c32 step %c1
// CHECK: tosa.apply_scale
// CHECK: tosa.apply_scale
// CHECK: %[[PAIR:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31] : vector<16xi32>, vector<16xi32>
// CHECK: arith.maxsi %[[PAIR]], %{{.*}} : vector<32xi32>
// CHECK: %[[BYTES:.*]] = arith.trunci %{{.*}} : vector<32xi32> to vector<32xi8>
// CHECK: vector.transfer_write %[[BYTES]], %{{.*}}[%{{.*}}, %c0] {in_bounds = [true]} : vector<32xi8>, tensor<32x32xi8>
// CHECK-NOT: vector.transfer_write
// CHECK: scf.yield
func.func @column_pair(%x: tensor<32x64xui8>) -> tensor<32x32xui8> {
  %w = arith.constant dense<3> : tensor<32x64xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<32x64xui8>, tensor<32x64xi8>) -> tensor<32x32xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -9>}
       : (tensor<32x32xi32>) -> tensor<32x32xui8>
  return %y : tensor<32x32xui8>
}

// -----

// A layer of stride 1 on a qnn.int.pad of its height and width reads a
// padded copy of its own, which the kernel writes before its tiles: the 7
// padded image rows of 12 x 64 bytes into a new buffer, each row either
// all pad value (7) or the pad value, the pad's input row (read in place,
// 64 bytes at a time) and the pad value again. The tiles read the buffer;
// no qnn.int.pad is left.

// CHECK-LABEL: func.func @padded_in_kernel
// CHECK-NOT: qnn.int.pad
// CHECK-DAG: %[[SEVENS:.*]] = arith.constant dense<7> : vector<64xi8>
// CHECK-DAG: %[[INPUT:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<3200xi8> to memref<3200xi8, strided<[1], offset: ?>>
// CHECK: %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<5376xi8>
// CHECK: scf.for %[[Y:.*]] = %c0 to %c7 step %c1
// CHECK:   %[[TO:.*]] = arith.muli %[[Y]], %c768
// CHECK:   %[[ROW:.*]] = arith.subi %{{.*}}, %c1
// CHECK:   %[[INSIDE:.*]] = arith.cmpi ult, %[[ROW]], %c5
// CHECK:   scf.if %[[INSIDE]]
// CHECK:     vector.transfer_write %[[SEVENS]], %[[PADDED]][%[[TO]]]
// CHECK:     scf.for %{{.*}} = %c0 to %c640 step %c64
// CHECK:       %[[BYTES:.*]] = vector.transfer_read %[[INPUT]]
// CHECK:       vector.transfer_write %[[BYTES]], %[[PADDED]]
// CHECK:     vector.transfer_write %[[SEVENS]], %[[PADDED]]
// CHECK:   } else {
// CHECK:     scf.for %{{.*}} = %c0 to %c768 step %c64
// CHECK:       vector.transfer_write %[[SEVENS]], %[[PADDED]]
// CHECK: amx.tile_load %[[PADDED]][%{{.*}}], %c64 : memref<5376xi8> into !amx.tile<16x64xi8>
// CHECK-NOT: qnn.int.pad
// CHECK: return
func.func @padded_in_kernel(%x: tensor<1x5x10x64xui8>) -> tensor<1x5x10x32xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
         value = 7 : i64}
     : (tensor<1x5x10x64xui8>) -> tensor<1x7x12x64xui8>
  %w = arith.constant dense<1> : tensor<32x3x3x64xi8>
  %acc = qnn.int.conv2d %p, %w
       : (tensor<1x7x12x64xui8>, tensor<32x3x3x64xi8>) -> tensor<1x5x10x32xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x5x10x32xi32>) -> tensor<1x5x10x32xi8>
  return %y : tensor<1x5x10x32xi8>
}

// -----

// A first convolution (3 channels, 3x3, stride 2) reads its kernel rows
// interleaved: a copy of the input holds, per output row, each pixel's 3
// bytes of the 3 input rows it reads (9 bytes), so that a window is one run
// of 27 bytes, one 64-byte step (packed weights of 16 groups; a tile row
// every 2 x 9 bytes), not 3. The qnn.int.pad is folded into the copy (the
// pad value 131 is the byte -125): the left pixel is padding alone, the
// loop takes whole vectors of 7 pixels (63 bytes) from 3 masked reads of
// 21 bytes by two byte shuffles, and the last vector starts from the pad
// value, which its one padding pixel keeps. The output rows whose kernel
// rows are all in the input (1 to 3) test no row; the others read nothing
// (no mask lane) for a padding row.

// CHECK-LABEL: func.func @first_layer
// CHECK-NOT: qnn.int.pad
// CHECK-DAG: %[[NOLANES:.*]] = arith.constant dense<false> : vector<64xi1>
// CHECK-DAG: %[[WEIGHTS:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<2x1x16x64xi8>
// CHECK-DAG: %[[PAD:.*]] = arith.constant dense<-125> : vector<64xi8>
// CHECK-DAG: %[[PADBYTE:.*]] = arith.constant -125 : i8
// CHECK: %[[INPUT:.*]] = tensor.collapse_shape %{{.*}} : tensor<1x9x20x3xi8> into tensor<540xi8>
// CHECK: %[[COPY:.*]] = scf.for %[[ROW:.*]] = %c0 to %c5 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<990xi8>) {
// CHECK: %[[OH:.*]] = arith.remui %[[ROW]], %c5 : index
// CHECK: %[[FROM:.*]] = arith.cmpi uge, %[[OH]], %c1 : index
// CHECK: %[[TO:.*]] = arith.cmpi ult, %[[OH]], %c4 : index
// CHECK: %[[INNER:.*]] = arith.andi %[[FROM]], %[[TO]] : i1
// CHECK: scf.if %[[INNER]] -> (tensor<990xi8>) {
// CHECK: %[[LEFT:.*]] = vector.constant_mask [9] : vector<64xi1>
// CHECK: vector.transfer_write %[[PAD]], %{{.*}}[%{{.*}}], %[[LEFT]] {in_bounds = [true]} : vector<64xi8>, tensor<990xi8>
// CHECK: scf.for %{{.*}} = %c1 to %c15 step %c7
// CHECK: %[[READ:.*]] = vector.constant_mask [21] : vector<64xi1>
// CHECK: %[[ROW0:.*]] = vector.transfer_read %[[INPUT]][%{{.*}}], %[[PADBYTE]], %[[READ]] {in_bounds = [true]} : tensor<540xi8>, vector<64xi8>
// CHECK: %[[ROW1:.*]] = vector.transfer_read %[[INPUT]][%{{.*}}], %[[PADBYTE]], %[[READ]]
// CHECK: %[[ROWS01:.*]] = vector.shuffle %[[ROW0]], %[[ROW1]] [0, 1, 2, 64, 65, 66, -1, -1, -1, 3, 4, 5, 67, 68, 69, -1, -1, -1,
// CHECK: %[[ROW2:.*]] = vector.transfer_read %[[INPUT]][%{{.*}}], %[[PADBYTE]], %[[READ]]
// CHECK: %[[ROWS:.*]] = vector.shuffle %[[ROWS01]], %[[ROW2]] [0, 1, 2, 3, 4, 5, 64, 65, 66, 9, 10, 11, 12, 13, 14, 67, 68, 69,
// CHECK: %[[WRITE:.*]] = vector.constant_mask [63] : vector<64xi1>
// CHECK: vector.transfer_write %[[ROWS]], %{{.*}}[%{{.*}}], %[[WRITE]] {in_bounds = [true]} : vector<64xi8>, tensor<990xi8>
// CHECK: vector.constant_mask [18] : vector<64xi1>
// CHECK: vector.shuffle %[[PAD]], %{{.*}} [64, 65, 66, 3, 4, 5, 6, 7, 8, 67, 68, 69,
// CHECK: } else {
// CHECK: %[[VALID:.*]] = arith.cmpi ult, %{{.*}}, %c9 : index
// CHECK: scf.for %{{.*}} = %c1 to %c15 step %c7
// CHECK: %[[ALL:.*]] = vector.constant_mask [21] : vector<64xi1>
// CHECK: %[[MASK:.*]] = arith.select %[[VALID]], %[[ALL]], %[[NOLANES]] : vector<64xi1>
// CHECK: vector.transfer_read %[[INPUT]][%{{.*}}], %[[PADBYTE]], %[[MASK]]
// CHECK: bufferization.to_buffer %[[COPY]] read_only : tensor<990xi8>
// CHECK: bufferization.to_buffer %[[WEIGHTS]] read_only : tensor<2x1x16x64xi8>
// CHECK: scf.for %{{.*}} = %c0 to %c50 step %c10
// CHECK: amx.tile_load %{{.*}}[%{{.*}}], %c18 : memref<990xi8, strided<[1], offset: ?>> into !amx.tile<10x64xi8>
// CHECK-NEXT: amx.tile_load
// CHECK-NEXT: amx.tile_muli
// CHECK-NOT: amx.tile_muli
// CHECK: amx.tile_store
func.func @first_layer(%x: tensor<1x9x20x3xui8>) -> tensor<1x5x10x16xui8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
                       value = 131 : i64}
     : (tensor<1x9x20x3xui8>) -> tensor<1x11x22x3xui8>
  %w = arith.constant dense<1> : tensor<16x3x3x3xi8>
  %b = arith.constant dense<100> : tensor<16xi32>
  %acc = qnn.int.conv2d %p, %w, %b {strides = array<i64: 2, 2>}
       : (tensor<1x11x22x3xui8>, tensor<16x3x3x3xi8>, tensor<16xi32>)
      -> tensor<1x5x10x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -10>, output_zp = 3 : i64}
       : (tensor<1x5x10x16xi32>) -> tensor<1x5x10x16xui8>
  return %y : tensor<1x5x10x16xui8>
}
