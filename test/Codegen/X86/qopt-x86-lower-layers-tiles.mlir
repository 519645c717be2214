// RUN: qopt %s --qopt-x86-lower-layers --remarks-filter=qopt-kernel-tiles \
// RUN:   --split-input-file -o /dev/null 2>&1 | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers --canonicalize --split-input-file \
// RUN:   | FileCheck %s --check-prefix=LOOP
// RUN: qopt %s --qopt-x86-lower-layers=tile-rows=6 \
// RUN:   --remarks-filter=qopt-kernel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s --check-prefix=ROWS
// RUN: qopt %s --qopt-x86-lower-layers=tile-rows=9223372036854775807 \
// RUN:   --remarks-filter=qopt-kernel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: qopt %s --qopt-x86-lower-layers="tile-rows=6 tile-vectors=4" \
// RUN:   --remarks-filter=qopt-kernel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s --check-prefix=PINNED --allow-empty
// RUN: qopt %s --qopt-x86-lower-layers=isa=avx2 \
// RUN:   --remarks-filter=qopt-kernel-tiles --split-input-file -o /dev/null \
// RUN:   2>&1 | FileCheck %s --check-prefix=PINNED --allow-empty

// isa=avx512vnni chooses each contraction's tile (rows x vectors of 16
// channels) from its shape, where no option pins it: the fewest dot
// products per reduction step over an image row's tiles and the panels, a
// tile of fewer than 8 accumulators counting as 8 (vpdpbusd's latency),
// then the fewest loads; at most 2 vectors (8 for a tile of one row, whose
// weight vectors no other row reuses) and 16 accumulators. The remark
// states the tile; tiles pinned by both options, and avx2's, get none.
// PINNED-NOT: remark

// A 7-pixel row is one tile of 7 (6 x 4 made a tile of 6 and one of 1):
// 10 vectors are 5 panels of 2, 5 x 14 dot products and 5 x (7 + 2) loads.
// CHECK: remark: [Analysis] KernelTile | Category:qopt-kernel-tiles | Remark="register tile of 7 rows x 2 vector(s): 70 dot products and 45 loads per reduction step of an image row of 7 rows and 10 vector(s)"
// Pinned to 6 rows, 2 vectors still issue the fewest: 5 x (12 + 8).
// ROWS: Remark="register tile of 6 rows x 2 vector(s): 100 dot products and 55 loads per reduction step of an image row of 7 rows and 10 vector(s)"
// Rows beyond the model's accumulators, up to the largest int64_t, leave
// it the narrowest tile.
// WIDE: Remark="register tile of 9223372036854775807 rows x 1 vector(s): 80 dot products and 80 loads per reduction step of an image row of 7 rows and 10 vector(s)"
// LOOP-LABEL: func.func @thin_rows
// LOOP-COUNT-14: vector.multi_reduction <add>
// LOOP-NOT: vector.multi_reduction
// LOOP: return
func.func @thin_rows(%x: tensor<1x7x7x960xui8>) -> tensor<1x7x7x160xi8> {
  %w = arith.constant dense<1> : tensor<160x1x1x960xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x7x7x960xui8>, tensor<160x1x1x960xi8>) -> tensor<1x7x7x160xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x7x7x160xi32>) -> tensor<1x7x7x160xi8>
  return %y : tensor<1x7x7x160xi8>
}

// -----

// One vector of channels: 16 rows keep 16 accumulators, 7 tiles of a
// 112-pixel row (a tile of 6 had 6, waiting on the latency).
// CHECK: Remark="register tile of 16 rows x 1 vector(s): 112 dot products and 119 loads per reduction step of an image row of 112 rows and 1 vector(s)"
// LOOP-LABEL: func.func @one_vector
// LOOP: scf.for %{{.*}} = %c0 to %c112 step %c16
func.func @one_vector(%x: tensor<1x112x112x32xui8>) -> tensor<1x112x112x16xi8> {
  %w = arith.constant dense<1> : tensor<16x1x1x32xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x112x112x32xui8>, tensor<16x1x1x32xi8>) -> tensor<1x112x112x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x112x112x16xi32>) -> tensor<1x112x112x16xi8>
  return %y : tensor<1x112x112x16xi8>
}

// -----

// 24 channels, a whole and a partial vector: 8 x 2 and 7 x 2 issue the same
// dot products for a 56-pixel row, 8 x 2 one load fewer per tile (7 x 10
// against 8 x 9); 16 x 1 would broadcast each input group twice.
// CHECK: Remark="register tile of 8 rows x 2 vector(s): 112 dot products and 70 loads per reduction step of an image row of 56 rows and 2 vector(s)"
func.func @partial_vector(%x: tensor<1x56x56x96xui8>) -> tensor<1x56x56x24xi8> {
  %w = arith.constant dense<1> : tensor<24x1x1x96xi8>
  %acc = qnn.int.conv2d %x, %w
       : (tensor<1x56x56x96xui8>, tensor<24x1x1x96xi8>) -> tensor<1x56x56x24xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x56x56x24xi32>) -> tensor<1x56x56x24xi8>
  return %y : tensor<1x56x56x24xi8>
}

// -----

// A fully connected layer's batch rows are its one image row: 4 rows of one
// vector wait on the latency whatever the tile.
// CHECK: Remark="register tile of 4 rows x 1 vector(s): 8 dot products and 5 loads per reduction step of an image row of 4 rows and 1 vector(s)"
func.func @fc(%x: tensor<4x64xui8>) -> tensor<4x16xi8> {
  %w = arith.constant dense<1> : tensor<16x64xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<4x64xui8>, tensor<16x64xi8>) -> tensor<4x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<4x16xi32>) -> tensor<4x16xi8>
  return %y : tensor<4x16xi8>
}

// -----

// One batch row: a tile of 1 x 8 keeps 8 dot products in flight, each
// weight vector read once from memory (2 panels of 8 vectors: 2 x 8 dot
// products, 2 x (1 + 8) loads). Tiles of 1 x 2 (at most 2 vectors) waited
// on vpdpbusd's latency: ResNet-18's FC 512->1000 ran 1.5x slower on Zen 5.
// CHECK: Remark="register tile of 1 rows x 8 vector(s): 16 dot products and 18 loads per reduction step of an image row of 1 rows and 16 vector(s)"
// LOOP-LABEL: func.func @fc_one_row
// LOOP: scf.for %{{.*}} = %c0 to %c16 step %c8
// LOOP: scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args({{(%[^,]*, ){7}%[^,]*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
func.func @fc_one_row(%x: tensor<1x256xui8>) -> tensor<1x256xi8> {
  %w = arith.constant dense<1> : tensor<256x256xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<1x256xui8>, tensor<256x256xi8>) -> tensor<1x256xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x256xi32>) -> tensor<1x256xi8>
  return %y : tensor<1x256xi8>
}

// -----

// The packed weights are panel-major, so that a reduction step of a tile
// reads its weight vectors from consecutive cache lines: here a panel of 2
// vectors by 2 groups of 4 steps (weights[c][k] = k) is the first group of
// both vectors, then the second.
// CHECK: Remark="register tile of 1 rows x 2 vector(s)
// LOOP-LABEL: func.func @fc_panel_major
// LOOP: arith.constant dense<"0x{{(00010203){32}(04050607){31}0405060}}7"> : tensor<4x64xi8>
func.func @fc_panel_major(%x: tensor<1x8xui8>) -> tensor<1x32xi8> {
  %w = arith.constant dense<[
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7],
    [0, 1, 2, 3, 4, 5, 6, 7]]> : tensor<32x8xi8>
  %acc = qnn.int.fully_connected %x, %w
       : (tensor<1x8xui8>, tensor<32x8xi8>) -> tensor<1x32xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -8>}
       : (tensor<1x32xi32>) -> tensor<1x32xi8>
  return %y : tensor<1x32xi8>
}
