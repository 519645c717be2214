// RUN: qopt %s --qopt-x86-lower-layers="isa=amx parallel=true" \
// RUN:   --remarks-filter=qopt-parallel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers="isa=amx parallel=true" --split-input-file \
// RUN:   | FileCheck %s --check-prefix=LOOP
// Without parallel=true the loops run on one thread: a padded input is
// copied once, before them.
// RUN: qopt %s --qopt-x86-lower-layers=isa=amx --split-input-file \
// RUN:   | FileCheck %s --check-prefix=SERIAL

// The AMX kernels compute a stride-1 convolution as one image row of input
// pixels. Its panels are two columns of 16 channels, 32 output bytes: two
// threads that took panels would write halves of the same cache lines (64
// channels: every line of the output, MobileNetV2's 1x1 14x14x384->64 ran
// slower on two threads than on one). They take halves of the row tiles
// instead, each over every panel; the second also the partial last tile.

// 196 pixels: 6 whole tiles of 32 rows, then 4 rows.
// CHECK: Remark="tiles shared out by halves of the row: 2 threads take 3 and 3 of 6 whole tiles of 32 rows (the second also the last 4), over every panel"
// LOOP-LABEL: func.func @pointwise
// LOOP:         scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// LOOP:           %[[SECOND:.*]] = arith.cmpi ne, %[[PART]], %c0
// LOOP:           %[[BEGIN:.*]] = arith.select %[[SECOND]], %c96, %c0
// LOOP:           scf.for %{{.*}} = %c0{{.*}} to %c4{{.*}} step %c2
// LOOP:             scf.for %{{.*}} = %[[BEGIN]] to %{{.*}} step %c32
// LOOP:             scf.if %[[SECOND]]
// LOOP:         } {qopt.parallel_tiles}
// LOOP-NOT:     qopt.parallel_tiles
// LOOP:         return
func.func @pointwise(%x: tensor<1x14x14x384xui8>) -> tensor<1x14x14x64xi8> {
  %w = arith.constant dense<1> : tensor<64x1x1x384xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x14x14x384xui8>, tensor<64x1x1x384xi8>) -> tensor<1x14x14x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x14x14x64xi32>) -> tensor<1x14x14x64xi8>
  return %y : tensor<1x14x14x64xi8>
}

// -----

// 49 pixels are one whole tile: threads take panels (16 of them, split at
// channel 256, a line boundary).
// CHECK-NOT: halves of the row
// LOOP-LABEL: func.func @one_tile
// LOOP:         scf.for %{{.*}} = %c0 to %c32 step %c2
// LOOP:         } {qopt.parallel_tiles}
func.func @one_tile(%x: tensor<1x7x7x512xui8>) -> tensor<1x7x7x512xi8> {
  %w = arith.constant dense<1> : tensor<512x1x1x512xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x512xui8>, tensor<512x1x1x512xi8>) -> tensor<1x7x7x512xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x512xi32>) -> tensor<1x7x7x512xi8>
  return %y : tensor<1x7x7x512xi8>
}

// -----

// Where the threads' panels meet at a line boundary and split the work more
// evenly, they keep taking panels: 8 panels of 32 bytes, the first thread's
// 4 end at byte 128, while the 3x3 layer's 222 rows of input pixels are 6
// tiles of 32 and 30 rows (96 and 126 for the threads).
// CHECK-NOT: halves of the row
// LOOP-LABEL: func.func @panels_meet_at_a_line
// LOOP:         scf.for %{{.*}} = %c0 to %c16 step %c2
// LOOP:         } {qopt.parallel_tiles}
func.func @panels_meet_at_a_line(%x: tensor<1x16x16x256xui8>) -> tensor<1x14x14x256xi8> {
  %w = arith.constant dense<1> : tensor<256x3x3x256xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x16x16x256xui8>, tensor<256x3x3x256xi8>) -> tensor<1x14x14x256xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x14x14x256xi32>) -> tensor<1x14x14x256xi8>
  return %y : tensor<1x14x14x256xi8>
}

// -----

// Panels that meet at a line boundary but split no more evenly than the
// tiles: 28 x 28 outputs are 838 rows of input pixels, 26 tiles of 32 and 6
// rows, 416 and 422 for the threads; 4 panels are 2 and 2.
// CHECK: Remark="tiles shared out by halves of the row: 2 threads take 13 and 13 of 26 whole tiles of 32 rows (the second also the last 6), over every panel"
func.func @even_tiles(%x: tensor<1x30x30x128xui8>) -> tensor<1x28x28x128xi8> {
  %w = arith.constant dense<1> : tensor<128x3x3x128xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x30x30x128xui8>, tensor<128x3x3x128xi8>) -> tensor<1x28x28x128xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x28x28x128xi32>) -> tensor<1x28x28x128xi8>
  return %y : tensor<1x28x28x128xi8>
}

// -----

// On a qnn.int.pad, each half of the row tiles writes the padded image rows
// that its tiles read into a buffer of its own first, inside the marked
// loop: rows 0 to 15 of the 30 padded rows for the first thread, 13 to 29
// for the second (the rows of both: each thread writes its own, no thread
// reads what the other wrote).
// CHECK: Remark="tiles shared out by halves of the row: 2 threads take 13 and 13 of 26 whole tiles of 32 rows (the second also the last 6), over every panel"
// LOOP-LABEL: func.func @padded_rows
// LOOP-NOT:     qnn.int.pad
// LOOP:         scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// LOOP-NEXT:      %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<65280xi8>
// LOOP:           %[[FIRST:.*]] = arith.select %{{.*}}, %c13, %c0
// LOOP:           %[[END:.*]] = arith.select %{{.*}}, %c30, %c16
// LOOP:           scf.for %{{.*}} = %[[FIRST]] to %[[END]] step
// LOOP:             scf.if
// LOOP:           %[[SECOND:.*]] = arith.cmpi ne, %[[PART]], %c0
// LOOP:           scf.for %{{.*}} = %c0{{.*}} to %c8 step %c2
// LOOP:             amx.tile_load %[[PADDED]]
// LOOP:         } {qopt.parallel_tiles}
// LOOP-NOT:     qopt.parallel_tiles
// LOOP:         return
func.func @padded_rows(%x: tensor<1x28x28x128xui8>) -> tensor<1x28x28x128xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
         value = 0 : i64}
     : (tensor<1x28x28x128xui8>) -> tensor<1x30x30x128xui8>
  %w = arith.constant dense<1> : tensor<128x3x3x128xi8>
  %acc = qnn.int.conv2d %p, %w
       : (tensor<1x30x30x128xui8>, tensor<128x3x3x128xi8>) -> tensor<1x28x28x128xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x28x28x128xi32>) -> tensor<1x28x28x128xi8>
  return %y : tensor<1x28x28x128xi8>
}

// -----

// Where threads take panels (@panels_meet_at_a_line padded), a marked loop
// over panels would write the padded rows once per panel: a loop of two
// halves of the panels instead, each after a padded copy of its own of all
// 16 rows.
// CHECK: Remark="tiles shared out by halves of the panels, each after a prologue of its own: 2 threads take 4 and 4 of 8 panel(s)"
// SERIAL-LABEL: func.func @padded_panels
// SERIAL:         memref.alloc() {alignment = 64 : i64} : memref<65536xi8>
// SERIAL-NOT:     memref.alloc
// SERIAL:         scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c2
// SERIAL:         } {qopt.parallel_tiles}
// LOOP-LABEL: func.func @padded_panels
// LOOP:         scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// LOOP-NEXT:      %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<65536xi8>
// LOOP:           scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step
// LOOP:           %[[SECOND:.*]] = arith.cmpi ne, %[[PART]], %c0
// LOOP:           %[[BEGIN:.*]] = arith.select %[[SECOND]], %c8, %c0
// LOOP:           %[[END:.*]] = arith.select %[[SECOND]], %c16{{.*}}, %c8
// LOOP:           scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step %c2
// LOOP:             amx.tile_load %[[PADDED]]
// LOOP:         } {qopt.parallel_tiles}
// LOOP-NOT:     qopt.parallel_tiles
// LOOP:         return
func.func @padded_panels(%x: tensor<1x14x14x256xui8>) -> tensor<1x14x14x256xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
         value = 0 : i64}
     : (tensor<1x14x14x256xui8>) -> tensor<1x16x16x256xui8>
  %w = arith.constant dense<1> : tensor<256x3x3x256xi8>
  %acc = qnn.int.conv2d %p, %w
       : (tensor<1x16x16x256xui8>, tensor<256x3x3x256xi8>) -> tensor<1x14x14x256xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x14x14x256xi32>) -> tensor<1x14x14x256xi8>
  return %y : tensor<1x14x14x256xi8>
}

// -----

// A strided layer's split (halves of its image rows here) becomes the two
// threads' halves of its iterations, each after the padded rows it reads:
// the 7 output rows of a half read padded rows 0 to 14, 14 to 28 (from 12:
// a partial tile could start up to a block earlier).
// CHECK: Remark="tiles shared out by halves of the image rows: 112 iterations of 8 panel(s) x 7 image row(s) per half; 2 threads take 56 and 56 iterations, 50.0% and 50.0% of the work"
// LOOP-LABEL: func.func @padded_strided
// LOOP-NOT:     qnn.int.pad
// LOOP:         scf.for %[[PART:.*]] = %c0 to %c2 step %c1
// LOOP-NEXT:      %[[PADDED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<65280xi8>
// LOOP:           %[[FIRST:.*]] = arith.select %{{.*}}, %c12, %c0
// LOOP:           %[[END:.*]] = arith.select %{{.*}}, %c29, %c15
// LOOP:           scf.for %{{.*}} = %[[FIRST]] to %[[END]] step
// LOOP:           %[[BEGIN:.*]] = arith.muli %[[PART]], %c56
// LOOP:           %[[NEXT:.*]] = arith.addi %[[BEGIN]], %c56
// LOOP:           %[[LAST:.*]] = arith.minui %[[NEXT]], %c112
// LOOP:           scf.for %{{.*}} = %[[BEGIN]] to %[[LAST]] step
// LOOP:             amx.tile_load %[[PADDED]]
// LOOP:         } {qopt.parallel_tiles}
// LOOP-NOT:     qopt.parallel_tiles
// LOOP:         return
func.func @padded_strided(%x: tensor<1x28x28x128xui8>) -> tensor<1x14x14x256xi8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
         value = 0 : i64}
     : (tensor<1x28x28x128xui8>) -> tensor<1x30x30x128xui8>
  %w = arith.constant dense<1> : tensor<256x3x3x128xi8>
  %acc = qnn.int.conv2d %p, %w {strides = array<i64: 2, 2>}
       : (tensor<1x30x30x128xui8>, tensor<256x3x3x128xi8>) -> tensor<1x14x14x256xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x14x14x256xi32>) -> tensor<1x14x14x256xi8>
  return %y : tensor<1x14x14x256xi8>
}
