// RUN: qopt %s --qopt-vectorize-elementwise --split-input-file | FileCheck %s
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
