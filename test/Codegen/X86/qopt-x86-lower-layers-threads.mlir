// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4" \
// RUN:   --remarks-filter=qopt-parallel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4" \
// RUN:   --split-input-file | FileCheck %s --check-prefix=LOOP
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4 parallel=true" \
// RUN:   --canonicalize --split-input-file | FileCheck %s --check-prefix=PAR

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

// A fully connected layer of one batch row (MobileNetV2's FC 1280->1000),
// in tiles of 1 x 4: the threads share out its 16 panels as a convolution's
// of one image row, the last one (3 vectors) where their shares meet, in
// one marked loop; a marked loop of the 15 whole panels left the last one
// to one thread after it.
// CHECK: Remark="tiles shared out by panels, then image rows: 16 iterations of 16 panel(s) x 1 image row(s); 2 threads take 8 and 8 iterations, 50.7% and 49.3% of the work"
// PAR-LABEL: func.func @fc_one_row
// PAR:         scf.for %{{.*}} = %c0 to %c16 step %c1
// PAR:           scf.if
// PAR:         } {qopt.parallel_tiles}
// PAR-NOT:     qopt.parallel_tiles
// PAR:         return
func.func @fc_one_row(%x: tensor<1x1280xui8>) -> tensor<1x1000xi8> {
  %w = arith.constant dense<1> : tensor<1000x1280xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<1x1280xui8>, tensor<1000x1280xi8>) -> tensor<1x1000xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x1000xi32>) -> tensor<1x1000xi8>
  return %y : tensor<1x1000xi8>
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

// -----

// On a qnn.int.pad, when the marked loop will run on threads, each half of
// the image rows writes the padded image rows that its tiles read into a
// buffer of its own first, inside the marked loop: rows 0 to 15 of the 30
// padded rows for the first thread, 14 to 29 for the second (the rows of
// both: each thread writes its own, no thread reads what the other wrote).
// Its tiles read that buffer, at their offsets in the padded input less the
// buffer's (16 x 30 x 128 bytes for the second).
// CHECK: Remark="tiles shared out by halves of the image rows: 56 iterations of 2 panel(s) x 14 image row(s) per half; 2 threads take 28 and 28 iterations, 50.0% and 50.0% of the work"
// PAR-LABEL: func.func @padded_rows
// PAR-NOT:     qnn.int.pad
// PAR:         scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// PAR-NEXT:      %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<61440xi8>
// PAR:           %[[FIRST:.*]] = arith.select %{{.*}}, %c14, %c0
// PAR:           %[[END:.*]] = arith.select %{{.*}}, %c30, %c16
// PAR:           scf.for %{{.*}} = %[[FIRST]] to %[[END]] step %c1 {
// PAR:             scf.if
// PAR:           %[[BASE:.*]] = arith.select %{{.*}}, %c53760, %c0
// PAR:           scf.for
// PAR:             arith.subi %{{.*}}, %[[BASE]]
// PAR:             vector.transfer_read %[[PADDED]]
// PAR:         } {qopt.parallel_tiles}
// PAR-NOT:     qopt.parallel_tiles
// PAR:         return
// Without parallel=true, one copy of all 30 rows comes before the marked
// loop.
// LOOP-LABEL: func.func @padded_rows
// LOOP:         memref.alloc() {alignment = 64 : i64} : memref<115200xi8>
// LOOP:         scf.for
// LOOP-NOT:     memref.alloc
// LOOP:         } {qopt.parallel_tiles}
func.func @padded_rows(%x: tensor<1x28x28x128xui8>) -> tensor<1x28x28x128xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
         value = 3 : i64}
     : (tensor<1x28x28x128xui8>) -> tensor<1x30x30x128xui8>
  %w = arith.constant dense<1> : tensor<128x3x3x128xi8>
  %acc = qnn.int.conv2d %p, %w
       : (tensor<1x30x30x128xui8>, tensor<128x3x3x128xi8>) -> tensor<1x28x28x128xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x28x28x128xi32>) -> tensor<1x28x28x128xi8>
  return %y : tensor<1x28x28x128xi8>
}
