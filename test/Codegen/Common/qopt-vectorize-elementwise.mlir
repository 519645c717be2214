// RUN: qopt %s --qopt-vectorize-elementwise --split-input-file | FileCheck %s
// RUN: qopt %s --qopt-vectorize-elementwise --split-input-file \
// RUN:   --remarks-filter=qopt-parallel-tiles -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// A vector of no lanes is a located error, not a division by zero:
// RUN: not qopt %s --qopt-vectorize-elementwise=lanes=0 --split-input-file 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LANES
// RUN: not qopt %s --qopt-vectorize-elementwise=lanes=-3 --split-input-file 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LANES-NEG
// LANES: qopt-vectorize-elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}: error: --qopt-vectorize-elementwise: 'lanes' must be at least 1, got 0
// LANES-NEG: qopt-vectorize-elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}: error: --qopt-vectorize-elementwise: 'lanes' must be at least 1, got -3

// An add of two 2 x 20 buffers (40 elements): two vectors of 16 lanes over
// the buffers viewed as one dimension, the constants as splats, then the
// last 8 elements one by one.

// CHECK-LABEL: func.func @add
// CHECK-DAG:     %[[A:.*]] = memref.collapse_shape %arg0 {{\[}}[0, 1]] : memref<2x20xi8> into memref<40xi8>
// CHECK-DAG:     %[[B:.*]] = memref.collapse_shape %arg1 {{\[}}[0, 1]] : memref<2x20xi8> into memref<40xi8>
// CHECK-DAG:     %[[C:.*]] = memref.collapse_shape %arg2 {{\[}}[0, 1]] : memref<2x20xi8> into memref<40xi8>
// CHECK:         scf.for %[[I:.*]] = %c0 to %c32 step %c16 {
// CHECK:           %[[X:.*]] = vector.transfer_read %[[A]][%[[I]]], %{{.*}} {in_bounds = [true]} : memref<40xi8>, vector<16xi8>
// CHECK:           %[[Y:.*]] = vector.transfer_read %[[B]][%[[I]]], %{{.*}} {in_bounds = [true]} : memref<40xi8>, vector<16xi8>
// CHECK:           %[[XE:.*]] = arith.extsi %[[X]] : vector<16xi8> to vector<16xi32>
// CHECK:           %[[YE:.*]] = arith.extsi %[[Y]] : vector<16xi8> to vector<16xi32>
// CHECK:           %[[M:.*]] = arith.constant dense<1316047957> : vector<16xi32>
// CHECK:           %[[N:.*]] = arith.constant dense<33> : vector<16xi8>
// CHECK:           %[[S:.*]] = tosa.apply_scale %[[YE]], %[[M]], %[[N]] {rounding_mode = DOUBLE_ROUND} : (vector<16xi32>, vector<16xi32>, vector<16xi8>) -> vector<16xi32>
// CHECK:           %[[SUM:.*]] = arith.addi %[[XE]], %[[S]] : vector<16xi32>
// CHECK:           %[[T:.*]] = arith.trunci %[[SUM]] : vector<16xi32> to vector<16xi8>
// CHECK:           vector.transfer_write %[[T]], %[[C]][%[[I]]] {in_bounds = [true]} : vector<16xi8>, memref<40xi8>
// CHECK:         }
// CHECK:         scf.for %[[J:.*]] = %c32{{.*}} to %c40 step %c1 {
// CHECK:           %[[XS:.*]] = memref.load %[[A]][%[[J]]] : memref<40xi8>
// CHECK:           %[[YS:.*]] = memref.load %[[B]][%[[J]]] : memref<40xi8>
// CHECK:           tosa.apply_scale %{{.*}}, %{{.*}}, %{{.*}} {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
// CHECK:           memref.store %{{.*}}, %[[C]][%[[J]]] : memref<40xi8>
// CHECK-NOT:     linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @add(%a: memref<2x20xi8>, %b: memref<2x20xi8>, %c: memref<2x20xi8>) {
  %m = arith.constant 1316047957 : i32
  %n = arith.constant 33 : i8
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<2x20xi8>, memref<2x20xi8>) outs(%c : memref<2x20xi8>) {
  ^bb0(%x: i8, %y: i8, %out: i8):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %s = tosa.apply_scale %ye, %m, %n {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %sum = arith.addi %xe, %s : i32
    %t = arith.trunci %sum : i32 to i8
    linalg.yield %t : i8
  }
  return
}

// -----

// A body reading its output, a map that is not the identity, a reduction:
// left alone.

// CHECK-LABEL: func.func @not_elementwise
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT:     vector.transfer_read
#id = affine_map<(d0) -> (d0)>
#rev = affine_map<(d0) -> (-d0 + 15)>
#red = affine_map<(d0) -> ()>
func.func @not_elementwise(%a: memref<16xi32>, %b: memref<16xi32>, %s: memref<i32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<16xi32>) outs(%b : memref<16xi32>) {
  ^bb0(%x: i32, %out: i32):
    %y = arith.addi %x, %out : i32
    linalg.yield %y : i32
  }
  linalg.generic {indexing_maps = [#rev, #id], iterator_types = ["parallel"]}
      ins(%a : memref<16xi32>) outs(%b : memref<16xi32>) {
  ^bb0(%x: i32, %out: i32):
    linalg.yield %x : i32
  }
  linalg.generic {indexing_maps = [#id, #red], iterator_types = ["reduction"]}
      ins(%a : memref<16xi32>) outs(%s : memref<i32>) {
  ^bb0(%x: i32, %out: i32):
    %y = arith.addi %x, %out : i32
    linalg.yield %y : i32
  }
  return
}

// -----

// Threads share out the vector loop of an elementwise op with enough work:
// 4096 vectors of an add with a requantized operand, 20 ops each (the
// tosa.apply_scale counting as the 16 its selection takes), are 81920 ops,
// past the 2^16 that pays for forking threads (ResNet-18's residual adds
// are 1568 to 12544 vectors of 43 ops). A shift to u8 of as many elements,
// 5 ops a vector, is less work and stays on one thread; so do the last
// elements, after the vector loop (none here).

// CHECK-LABEL: func.func @shared_out
// CHECK:         scf.for %{{.*}} = %c0 to %c65536 step %c16 {
// CHECK:           tosa.apply_scale
// CHECK:         } {qopt.parallel_tiles}
// CHECK:         scf.for %{{.*}} = %c0{{.*}} to %c65536{{.*}} step %c16{{.*}} {
// CHECK:           arith.maxsi
// CHECK:         }
// CHECK-NOT:     qopt.parallel_tiles
// CHECK:         return
// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="elementwise loop of 4096 vectors of 16 lanes, 20 ops each: threads share out halves of its vectors"
// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="elementwise loop of 4096 vectors of 16 lanes, 5 ops each: one thread (less work than forking threads)"
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shared_out(%a: memref<256x256xi8>, %b: memref<256x256xi8>,
                      %c: memref<256x256xi8>, %d: memref<256x256xi8>) {
  %m = arith.constant 1316047957 : i32
  %n = arith.constant 33 : i8
  %zp = arith.constant 128 : i32
  %lo = arith.constant 0 : i32
  %hi = arith.constant 255 : i32
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<256x256xi8>, memref<256x256xi8>) outs(%c : memref<256x256xi8>) {
  ^bb0(%x: i8, %y: i8, %out: i8):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %s = tosa.apply_scale %ye, %m, %n {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
    %sum = arith.addi %xe, %s : i32
    %t = arith.trunci %sum : i32 to i8
    linalg.yield %t : i8
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<256x256xi8>) outs(%d : memref<256x256xi8>) {
  ^bb0(%x: i8, %out: i8):
    %xe = arith.extsi %x : i8 to i32
    %u = arith.addi %xe, %zp : i32
    %l = arith.maxsi %u, %lo : i32
    %h = arith.minsi %l, %hi : i32
    %t = arith.trunci %h : i32 to i8
    linalg.yield %t : i8
  }
  return
}

// -----

// An elementwise op inside a loop would fork threads at every iteration of
// that loop: its vector loop stays on one thread, however much work it has.

// CHECK-LABEL: func.func @in_a_loop
// CHECK:         scf.for
// CHECK:           scf.for %{{.*}} = %c0{{.*}} to %c65536 step %c16 {
// CHECK-NOT:     qopt.parallel_tiles
// CHECK:         return
// REMARK-NOT: elementwise loop of 4096
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @in_a_loop(%a: memref<256x256xi8>, %b: memref<256x256xi8>,
                     %c: memref<256x256xi8>) {
  %m = arith.constant 1316047957 : i32
  %n = arith.constant 33 : i8
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%a, %b : memref<256x256xi8>, memref<256x256xi8>) outs(%c : memref<256x256xi8>) {
    ^bb0(%x: i8, %y: i8, %out: i8):
      %xe = arith.extsi %x : i8 to i32
      %ye = arith.extsi %y : i8 to i32
      %s = tosa.apply_scale %ye, %m, %n {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
      %sum = arith.addi %xe, %s : i32
      %t = arith.trunci %sum : i32 to i8
      linalg.yield %t : i8
    }
  }
  return
}
