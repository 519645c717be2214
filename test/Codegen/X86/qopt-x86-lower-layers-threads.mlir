// RUN: qopt %s --qopt-x86-lower-layers --remarks-filter=qopt-parallel-tiles \
// RUN:   --split-input-file -o /dev/null 2>&1 | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers --split-input-file \
// RUN:   | FileCheck %s --check-prefix=LOOP

// How a convolution of at least 2^20 multiply-accumulates is shared out over
// threads: one marked loop per layer, whose static schedule gives each of two
// threads a contiguous half of its iterations. The analysis remark states
// the split and each thread's share of the work.

// 14 image rows: each thread takes 7 of them, in all 6 panels of 64 channels
// (MobileNetV2's 1x1 conv 14x14x64->384, which had a fork per panel).
// CHECK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="tiles shared out by halves of the image rows: 84 iterations of 6 panel(s) x 7 image row(s) per half; 2 threads take 42 and 42 iterations, 50.0% and 50.0% of the work"
// LOOP-LABEL: func.func @rows
// LOOP: scf.for %{{.*}} = %c0 to %c84 step %c1
// LOOP-NOT: qopt.parallel_tiles
// LOOP: } {qopt.parallel_tiles}
// LOOP-NOT: qopt.parallel_tiles
// LOOP: return
func.func @rows(%x: tensor<1x14x14x64xui8>) -> tensor<1x14x14x384xi8> {
  %w = arith.constant dense<1> : tensor<384x1x1x64xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x14x14x64xui8>, tensor<384x1x1x64xi8>) -> tensor<1x14x14x384xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x14x14x384xi32>) -> tensor<1x14x14x384xi8>
  return %y : tensor<1x14x14x384xi8>
}

// -----

// 7 image rows would give one thread 4 and the other 3 (1.75x at best):
// 15 panels of 7 rows are 105 iterations, 53 and 52.
// CHECK: Remark="tiles shared out by panels, then image rows: 105 iterations of 15 panel(s) x 7 image row(s); 2 threads take 53 and 52 iterations, 50.5% and 49.5% of the work"
func.func @panels(%x: tensor<1x7x7x160xui8>) -> tensor<1x7x7x960xi8> {
  %w = arith.constant dense<1> : tensor<960x1x1x160xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x160xui8>, tensor<960x1x1x160xi8>) -> tensor<1x7x7x960xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x960xi32>) -> tensor<1x7x7x960xi8>
  return %y : tensor<1x7x7x960xi8>
}

// -----

// 160 channels are panels of 4, 4 and 2 vectors: with the narrow one between
// the others a thread shares it; at the end, one thread would take 7 rows of
// a wide panel and 4 of the other (60.9% of the work).
// CHECK: Remark="tiles shared out by panels, then image rows: 21 iterations of 3 panel(s) x 7 image row(s); 2 threads take 11 and 10 iterations, 51.6% and 48.4% of the work"
// LOOP-LABEL: func.func @narrow_last_panel
// LOOP: scf.for %[[I:.*]] = %c0 to %c21 step %c1
// LOOP: %[[P:.*]] = arith.divui %{{.*}}, %c7
// LOOP: %[[LAST:.*]] = arith.cmpi eq, %[[P]], %c1
// LOOP: scf.if %[[LAST]]
// LOOP: } {qopt.parallel_tiles}
func.func @narrow_last_panel(%x: tensor<1x7x7x576xui8>) -> tensor<1x7x7x160xi8> {
  %w = arith.constant dense<1> : tensor<160x1x1x576xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x576xui8>, tensor<160x1x1x576xi8>) -> tensor<1x7x7x160xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x160xi32>) -> tensor<1x7x7x160xi8>
  return %y : tensor<1x7x7x160xi8>
}

// -----

// Below 2^20 multiply-accumulates the tiles stay on the calling thread: no
// remark, no marked loop.
// CHECK-NOT: Remark=
// LOOP-LABEL: func.func @small
// LOOP-NOT: qopt.parallel_tiles
func.func @small(%x: tensor<1x7x7x64xui8>) -> tensor<1x7x7x64xi8> {
  %w = arith.constant dense<1> : tensor<64x1x1x64xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x64xui8>, tensor<64x1x1x64xi8>) -> tensor<1x7x7x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x64xi32>) -> tensor<1x7x7x64xi8>
  return %y : tensor<1x7x7x64xi8>
}
