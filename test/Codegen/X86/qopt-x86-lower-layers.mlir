// The kernels' structure on the tile of 6 rows x 4 vectors; the tile chosen
// per layer is qopt-x86-lower-layers-tiles.mlir's.
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4" \
// RUN:   --canonicalize --split-input-file | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers=isa=avx2 --canonicalize \
// RUN:   --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4" \
// RUN:   --qopt-x86-select-dot-products --split-input-file \
// RUN:   | FileCheck %s --check-prefix=DOT
// RUN: not qopt %s --qopt-x86-lower-layers="tile-rows=-2" --split-input-file \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// TILE: error: the kernel tile must have at least one vector and a positive multiple of 1 rows
// RUN: not qopt %s --qopt-x86-lower-layers="depthwise-tile-vectors=-1" \
// RUN:   --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DWTILE-ERROR
// DWTILE-ERROR: error: the depthwise kernel tile must have at least one pixel and one vector
// RUN: qopt %s --qopt-x86-lower-layers="depthwise-tile-rows=1" --canonicalize \
// RUN:   --split-input-file | FileCheck %s --check-prefix=DWTILE
// Every layer left to generic loops gets a remark saying why.
// RUN: qopt %s --qopt-x86-lower-layers --split-input-file -verify-diagnostics \
// RUN:   -o /dev/null

// A u8 x s8 fully connected layer: 18 output channels are two vectors of
// 16 lanes (the second partial, its packed weights zero past channel 17),
// 6 reduction steps one whole group of 4 and a partial one, 7 rows a tile of
// 6 and a partial tile of 1 (canonicalization unrolls the loops of one
// iteration). The weights are packed [vector * group, lane * 4 + step],
// group after group of a tile's vectors (panel-major); the accumulators start at the bias and are the iteration
// arguments of the reduction loop; the epilogue requantizes them as vectors,
// stating the range that the weights and bias bound them to (over any
// input, -100 to 6 x 255 x 3 - 100).

// CHECK-LABEL: func.func @fc
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512dq", "+avx512vl", "+avx512vnni"]>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<4x64xi8>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<2x16xi32>
// CHECK: arith.muli {{.*}} : vector<64xi32>
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// CHECK: tosa.apply_scale {{.*}} {qopt.value_range = array<i64: -100, 4490>, rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
// CHECK: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// CHECK: vector.transfer_write {{.*}} : vector<16xi8>, tensor<7x18xi8>
// CHECK: vector.extract_strided_slice {{.*}} {offsets = [0], sizes = [2], strides = [1]} : vector<16xi8> to vector<2xi8>
// CHECK: vector.transfer_write {{.*}} : vector<2xi8>, tensor<7x18xi8>
// CHECK-NOT: qnn.int
// CHECK: unrealized_conversion_cast {{.*}} : tensor<7x18xi8> to tensor<7x18xui8>

// AVX2-LABEL: func.func @fc
// AVX2-SAME: target_features = #llvm.target_features<["+avx2"]>
// AVX2: arith.constant dense<{{.*}}> : tensor<9x16xi16>
// AVX2: vector.multi_reduction <add>, {{.*}} [1] : vector<8x2xi32> to vector<8xi32>
func.func @fc(%x: tensor<7x6xui8>) -> tensor<7x18xui8> {
  %w = arith.constant dense<3> : tensor<18x6xi8>
  %b = arith.constant dense<-100> : tensor<18xi32>
  %acc = qnn.int.fully_connected %x, %w, %b
       : (tensor<7x6xui8>, tensor<18x6xi8>, tensor<18xi32>) -> tensor<7x18xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -3>, output_zp = 5 : i64}
       : (tensor<7x18xi32>) -> tensor<7x18xui8>
  return %y : tensor<7x18xui8>
}

// -----

// A 3x3 convolution reads its input in place: a loop over the 3 kernel rows
// (a row's 3 x 8 steps are adjacent in the input) around the loop over its
// 6 groups of 4, inside the loop
// over the 4 output rows (a tile never spans two: its pixels are at constant
// distances in the input), each one tile of 4 pixels. Too small to go on
// threads (18432 multiply-accumulates): no loop is marked.
// CHECK-LABEL: func.func @conv
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x6x6x8xi8> into tensor<288xi8>
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c4
// CHECK: scf.for {{.*}} = %c0 to %c3 step %c1
// CHECK: scf.for {{.*}} = %c0 to %c6 step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<288xi8>, vector<4xi8>
// CHECK-NOT: qopt.parallel_tiles
// CHECK: tensor.expand_shape {{.*}} : tensor<16x16xi8> into tensor<1x4x4x16xi8>
func.func @conv(%x: tensor<1x6x6x8xui8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<-2> : tensor<16x3x3x8xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x6x6x8xui8>, tensor<16x3x3x8xi8>) -> tensor<1x4x4x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -4>, clamp_min = 0 : i64}
       : (tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// -----

// Not covered, left for --qopt-convert-qnn-to-linalg: weights that are not
// constants, zero points left, s8 input on vpdpbusd, and an i32 result.
// CHECK-LABEL: func.func @not_covered
// CHECK-NOT: target_features
// CHECK-COUNT-4: qnn.int.fully_connected
func.func @not_covered(%x: tensor<2x8xui8>, %s: tensor<2x8xi8>,
                       %w: tensor<4x8xi8>) -> (tensor<2x4xi8>, tensor<2x4xi8>,
                                                tensor<2x4xi8>, tensor<2x4xi32>) {
  %cw = arith.constant dense<1> : tensor<4x8xi8>
  // expected-remark @below {{left to generic loops: its weights or bias are not constant}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // expected-remark @below {{left to generic loops: it has zero points (--qopt-expand-zero-points expands them when the weights are constant)}}
  %2 = qnn.int.fully_connected %x, %cw {input_zp = 3 : i64} : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %3 = qnn.int.rescale %2 {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // expected-remark @below {{left to generic loops: the target's instruction does not take signed input}}
  %4 = qnn.int.fully_connected %s, %cw : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %5 = qnn.int.rescale %4 {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // expected-remark @below {{left to generic loops: its result is not requantized by a single qnn.int.rescale}}
  %6 = qnn.int.fully_connected %x, %cw : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return %1, %3, %5, %6 : tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi32>
}

// -----

// From 2^20 multiply-accumulates on (64 x 64 x 256 here), two threads take
// halves of the row tiles: there is one panel of 4 vectors, so no panels to
// share out. The first takes 5 tiles of 6 rows, the second 5 and the last 4
// rows.
// CHECK-LABEL: func.func @large_fc
// CHECK: scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// CHECK:   scf.for {{.*}} step %c6
// CHECK:   scf.if
// CHECK: } {qopt.parallel_tiles}
func.func @large_fc(%x: tensor<64x256xui8>) -> tensor<64x64xi8> {
  %w = arith.constant dense<1> : tensor<64x256xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<64x256xui8>, tensor<64x256xi8>) -> tensor<64x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<64x64xi32>) -> tensor<64x64xi8>
  return %y : tensor<64x64xi8>
}

// -----

// A depthwise layer of 2^20 multiply-accumulates or more forks once: the
// marked loop runs over its 64 image rows by two-row tiles, and each pair of
// rows over the 4 panels of 1 vector of channels (64 channels), which are
// not marked.
// CHECK-LABEL: func.func @large_depthwise
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c1
// CHECK-NOT: qopt.parallel_tiles
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK-NOT: qopt.parallel_tiles
// CHECK: } {qopt.parallel_tiles}
// CHECK-NOT: qopt.parallel_tiles
func.func @large_depthwise(%x: tensor<1x66x66x64xui8>) -> tensor<1x64x64x64xi8> {
  %w = arith.constant dense<1> : tensor<1x3x3x64xi8>
  %acc = qnn.int.depthwise_conv2d %x, %w
       : (tensor<1x66x66x64xui8>, tensor<1x3x3x64xi8>) -> tensor<1x64x64x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x64x64x64xi32>) -> tensor<1x64x64x64xi8>
  return %y : tensor<1x64x64x64xi8>
}

// -----

// Depthwise layers are shared out from 2^17 multiply-accumulates (7 x 7
// pixels x 576 channels x 9 taps here, MobileNetV2's stride-2 layer at 14 x
// 14), an eighth of the contractions' threshold: an output costs a
// requantization per 9 taps.
// CHECK-LABEL: func.func @medium_depthwise
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK: } {qopt.parallel_tiles}
func.func @medium_depthwise(%x: tensor<1x9x9x576xui8>) -> tensor<1x7x7x576xi8> {
  %w = arith.constant dense<1> : tensor<1x3x3x576xi8>
  %acc = qnn.int.depthwise_conv2d %x, %w
       : (tensor<1x9x9x576xui8>, tensor<1x3x3x576xi8>) -> tensor<1x7x7x576xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x576xi32>) -> tensor<1x7x7x576xi8>
  return %y : tensor<1x7x7x576xi8>
}

// -----

// A depthwise convolution of s8 input, which vpdpbusd does not take: 20
// channels are a vector of 16 and a partial vector of 4, each accumulator the
// sum over the 9 taps (unrolled) of widened products.
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: vector.multi_reduction
// CHECK-COUNT-9: arith.muli {{.*}} : vector<16xi32>
// CHECK-COUNT-9: arith.muli {{.*}} : vector<4xi32>
// CHECK: vector.transfer_write {{.*}} : vector<4xi8>, tensor<9x20xi8>
func.func @depthwise(%x: tensor<1x5x5x20xi8>) -> tensor<1x3x3x20xi8> {
  %w = arith.constant dense<7> : tensor<1x3x3x20xi8>
  %acc = qnn.int.depthwise_conv2d %x, %w
       : (tensor<1x5x5x20xi8>, tensor<1x3x3x20xi8>) -> tensor<1x3x3x20xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -4>}
       : (tensor<1x3x3x20xi32>) -> tensor<1x3x3x20xi8>
  return %y : tensor<1x3x3x20xi8>
}

// -----

// A depthwise convolution of u8 input reads its padded input in place and
// takes vpdpbusd over tiles of two output rows: a group of 4 taps is a
// column of the four input rows of both, the input vectors of a group
// interleaved channel by channel (rows 0 and 1 concatenated, rows 2 and 3
// concatenated, then one shuffle of the two concatenations, a vpermt2b), and
// a grouped dot product per output row against weights packed [(row range *
// 2 + row of the tile) * window column, channel * 4 + input row], zero for
// the input row the output row does not read; the partial vector of 4
// channels, of no instruction's shape, takes widened products. No
// qnn.int.pad is left. The rows split into three ranges (row 0,
// rows 1 and 2, row 3), each with its weights and bias: in rows 0 and 3 the
// weights of the kernel row outside the image are zero and the bias holds
// their products with the pad value 9 (3 x 9 x 7 = 189). A row is one
// checked tile of 5 pixels, whose input columns outside the image (here
// columns -1 and 5, known once the one-tile loop folds) are the pad value.
// CHECK-LABEL: func.func @depthwise_padded
// CHECK-NOT: qnn.int.pad
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<18x128xi8>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<27x32xi32>
// CHECK-DAG: arith.constant dense<[189, {{.*}}, 189, 0, {{.*}}, 0, 189, {{.*}}]> : tensor<96xi32>
// CHECK-DAG: arith.constant dense<9> : vector<64xi32>
// CHECK: %[[ROWS01:.*]] = vector.shuffle %[[ROW0:.*]], %[[ROW1:.*]] [0, 1, {{.*}}, 31] : vector<16xi8>, vector<16xi8>
// CHECK: %[[ROWS23:.*]] = vector.shuffle %[[ROW2:.*]], %[[ROW3:.*]] [0, 1, {{.*}}, 31] : vector<16xi8>, vector<16xi8>
// CHECK: vector.shuffle %[[ROWS01]], %[[ROWS23]] [0, 16, 32, 48, 1, 17, 33, 49, {{.*}}, 15, 31, 47, 63] : vector<32xi8>, vector<32xi8>
// CHECK: vector.multi_reduction <add>, {{.*}} : vector<16x4xi32> to vector<16xi32>
// The 10 vectors of the two rows' pixels are narrowed by 4, 4 and 2
// (concatenated, clamped and truncated together), each stored by pixel.
// CHECK: vector.shuffle {{.*}} : vector<32xi32>, vector<32xi32>
// CHECK: arith.trunci {{.*}} : vector<64xi32> to vector<64xi8>
// CHECK-COUNT-4: vector.transfer_write {{.*}} : vector<16xi8>, tensor<20x20xi8>
// CHECK: arith.trunci {{.*}} : vector<64xi32> to vector<64xi8>
// CHECK: arith.trunci {{.*}} : vector<32xi32> to vector<32xi8>
// CHECK-NOT: vector.multi_reduction <add>, {{.*}} : vector<4x4xi32>
// CHECK: arith.muli {{.*}} : vector<4xi32>
// CHECK: vector.transfer_write {{.*}} : vector<4xi8>, tensor<20x20xi8>
// With tiles of one pixel, the interior columns 1 to 3 are a loop of
// unchecked tiles (the default tile, 5 pixels here, takes the whole row, in
// checked tiles).
// DWTILE-LABEL: func.func @depthwise_padded
// DWTILE: scf.for {{.*}} = %c1 to %c4 step %c1
// After instruction selection every group of 16 lanes is one vpdpbusd.
// DOT-LABEL: func.func @depthwise_padded
// DOT-NOT: vector.multi_reduction {{.*}} : vector<16x4xi32>
// DOT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// DOT-NOT: vector.multi_reduction {{.*}} : vector<16x4xi32>
func.func @depthwise_padded(%x: tensor<1x4x5x20xui8>) -> tensor<1x4x5x20xui8> {
  %w = arith.constant dense<7> : tensor<1x3x3x20xi8>
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 9 : i64}
     : (tensor<1x4x5x20xui8>) -> tensor<1x6x7x20xui8>
  %acc = qnn.int.depthwise_conv2d %p, %w
       : (tensor<1x6x7x20xui8>, tensor<1x3x3x20xi8>) -> tensor<1x4x5x20xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -4>}
       : (tensor<1x4x5x20xi32>) -> tensor<1x4x5x20xui8>
  return %y : tensor<1x4x5x20xui8>
}

// -----

// A convolution on a qnn.int.pad of its height and width reads a padded
// copy of its own, which the kernel writes before its tiles (one thread's
// code: one copy): the 6 padded image rows of 7 x 20 bytes into a new
// buffer, each row either the pad value (9), the pad's input row (read in
// place, 64 bytes at a time, then the rest) and the pad value again, or all
// pad value. The tiles read the buffer; no qnn.int.pad is left.
// CHECK-LABEL: func.func @conv_padded
// CHECK-NOT: qnn.int.pad
// CHECK-DAG: %[[NINES:.*]] = arith.constant dense<9> : vector<20xi8>
// CHECK-DAG: %[[ROW_NINES:.*]] = arith.constant dense<9> : vector<64xi8>
// CHECK: %[[INPUT:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<400xi8>
// CHECK: %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<840xi8>
// CHECK: scf.for %[[Y:.*]] = %c0 to %c6 step %c1 {
// CHECK:   %[[TO:.*]] = arith.muli %[[Y]], %c140
// CHECK:   %[[ROW:.*]] = arith.subi %{{.*}}, %c1
// CHECK:   %[[INSIDE:.*]] = arith.cmpi ult, %[[ROW]], %c4
// CHECK:   scf.if %[[INSIDE]] {
// CHECK:     vector.transfer_write %[[NINES]], %[[PADDED]][%[[TO]]]
// CHECK:     %[[FIRST:.*]] = vector.transfer_read %[[INPUT]]{{.*}} vector<64xi8>
// CHECK:     vector.transfer_write %[[FIRST]], %[[PADDED]]
// CHECK:     %[[REST:.*]] = vector.transfer_read %[[INPUT]]{{.*}} vector<36xi8>
// CHECK:     vector.transfer_write %[[REST]], %[[PADDED]]
// CHECK:     vector.transfer_write %[[NINES]], %[[PADDED]]
// CHECK:   } else {
// CHECK:     scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK:       vector.transfer_write %[[ROW_NINES]], %[[PADDED]]
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: %[[INPUT]]
// CHECK: vector.transfer_read %[[PADDED]][%{{.*}}], %{{.*}} {in_bounds = [true]} : memref<840xi8>, vector<4xi8>
// CHECK-NOT: qnn.int.pad
// CHECK: return
func.func @conv_padded(%x: tensor<1x4x5x20xui8>) -> tensor<1x4x5x8xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 9 : i64}
     : (tensor<1x4x5x20xui8>) -> tensor<1x6x7x20xui8>
  %w = arith.constant dense<1> : tensor<8x3x3x20xi8>
  %acc = qnn.int.conv2d %p, %w
       : (tensor<1x6x7x20xui8>, tensor<8x3x3x20xi8>) -> tensor<1x4x5x8xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x4x5x8xi32>) -> tensor<1x4x5x8xi8>
  return %y : tensor<1x4x5x8xi8>
}

// -----

// A stride-2 depthwise layer (one output row per tile) of 64 channels: a
// block of 4 vectors, whose input rows (3 here, the fourth element a copy of
// the third) are read whole and interleaved by in-lane unpacks of bytes then
// of 16-bit pairs. Vector k of a block holds channels
// 16l + 4k .. 16l + 4k + 3 in its 128-bit lane l: the bias (here the
// channel's number) is packed in that order, and each pixel's 4 vectors,
// narrowed together, are put back in the channels' order by a byte shuffle
// before they are stored. With 80 channels (not whole blocks, whose reads
// would cross cache lines) the vectors are interleaved as before, by one
// shuffle of two concatenations each.
// CHECK-LABEL: func.func @depthwise_blocks
// CHECK: arith.constant dense<[0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51, 4, 5, 6, 7, 20, {{.*}}, 44, 45, 46, 47, 60, 61, 62, 63]> : tensor<64xi32>
// CHECK: %[[R0:.*]] = vector.transfer_read {{.*}} : tensor<1600xi8>, vector<64xi8>
// CHECK: %[[R1:.*]] = vector.transfer_read {{.*}} : tensor<1600xi8>, vector<64xi8>
// CHECK: %[[R2:.*]] = vector.transfer_read {{.*}} : tensor<1600xi8>, vector<64xi8>
// CHECK: %[[L01:.*]] = vector.shuffle %[[R0]], %[[R1]] [0, 64, 1, 65, 2, 66, {{.*}}, 55, 119] : vector<64xi8>, vector<64xi8>
// CHECK: %[[H01:.*]] = vector.shuffle %[[R0]], %[[R1]] [8, 72, 9, 73, {{.*}}, 63, 127] : vector<64xi8>, vector<64xi8>
// CHECK: %[[L22:.*]] = vector.shuffle %[[R2]], %[[R2]] [0, 64, 1, 65, {{.*}}]
// CHECK: %[[H22:.*]] = vector.shuffle %[[R2]], %[[R2]] [8, 72, 9, 73, {{.*}}]
// CHECK: vector.shuffle %[[L01]], %[[L22]] [0, 1, 64, 65, 2, 3, 66, 67, {{.*}}, 54, 55, 118, 119] : vector<64xi8>, vector<64xi8>
// CHECK: vector.shuffle %[[L01]], %[[L22]] [8, 9, 72, 73, {{.*}}, 62, 63, 126, 127] : vector<64xi8>, vector<64xi8>
// CHECK: vector.shuffle %[[H01]], %[[H22]] [0, 1, 64, 65, {{.*}}]
// CHECK: vector.shuffle %[[H01]], %[[H22]] [8, 9, 72, 73, {{.*}}]
// CHECK: %[[N:.*]] = arith.trunci {{.*}} : vector<64xi32> to vector<64xi8>
// CHECK: %[[P:.*]] = vector.shuffle %[[N]], %[[N]] [0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51, 4, 5, 6, 7, {{.*}}, 44, 45, 46, 47, 60, 61, 62, 63] : vector<64xi8>, vector<64xi8>
// CHECK: vector.transfer_write %[[P]], {{.*}} : vector<64xi8>, tensor<4x64xi8>
// CHECK-LABEL: func.func @depthwise_no_blocks
// CHECK-NOT: vector<64xi8>, vector<64xi8>
// CHECK: vector.shuffle {{.*}} [0, 16, 32, 48, 1, 17, 33, 49, {{.*}}] : vector<32xi8>, vector<32xi8>
// CHECK-NOT: vector<64xi8>, vector<64xi8>
// CHECK: return
func.func @depthwise_blocks(%x: tensor<1x5x5x64xui8>) -> tensor<1x2x2x64xui8> {
  %w = arith.constant dense<1> : tensor<1x3x3x64xi8>
  %b = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]> : tensor<64xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b {strides = array<i64: 2, 2>}
       : (tensor<1x5x5x64xui8>, tensor<1x3x3x64xi8>, tensor<64xi32>) -> tensor<1x2x2x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -4>}
       : (tensor<1x2x2x64xi32>) -> tensor<1x2x2x64xui8>
  return %y : tensor<1x2x2x64xui8>
}
func.func @depthwise_no_blocks(%x: tensor<1x5x5x80xui8>) -> tensor<1x2x2x80xui8> {
  %w = arith.constant dense<1> : tensor<1x3x3x80xi8>
  %b = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79]> : tensor<80xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b {strides = array<i64: 2, 2>}
       : (tensor<1x5x5x80xui8>, tensor<1x3x3x80xi8>, tensor<80xi32>) -> tensor<1x2x2x80xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -4>}
       : (tensor<1x2x2x80xi32>) -> tensor<1x2x2x80xui8>
  return %y : tensor<1x2x2x80xui8>
}
