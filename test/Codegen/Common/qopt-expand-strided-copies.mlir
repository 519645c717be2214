// RUN: qopt %s --qopt-expand-strided-copies --split-input-file | FileCheck %s

// A copy into the interior of a padded NHWC buffer: each of its rows of
// W x C = 4 x 32 = 128 contiguous bytes is two vector copies of 64.

// CHECK-LABEL: func.func @padded_interior
// CHECK-NOT:     memref.copy
// CHECK-DAG:     %[[SRC:.*]] = memref.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : memref<1x4x4x32xi8> into memref<1x4x128xi8>
// CHECK-DAG:     %[[DST:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>> into memref<1x4x128xi8, strided<[1152, 192, 1], offset: 224>>
// CHECK:         scf.for %[[N:.*]] = %c0 to %c1 step %c1
// CHECK-NEXT:      scf.for %[[H:.*]] = %c0 to %c4 step %c1
// CHECK-NEXT:        scf.for %[[I:.*]] = %c0 to %c128 step %c64
// CHECK-NEXT:          %[[V:.*]] = vector.transfer_read %[[SRC]][%[[N]], %[[H]], %[[I]]], %{{.*}} {in_bounds = [true]} : memref<1x4x128xi8>, vector<64xi8>
// CHECK-NEXT:          vector.transfer_write %[[V]], %[[DST]][%[[N]], %[[H]], %[[I]]] {in_bounds = [true]}
// CHECK-NOT:     qopt.parallel_tiles
func.func @padded_interior(%src: memref<1x4x4x32xi8>, %dst: memref<1x6x6x32xi8>) {
  %sub = memref.subview %dst[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
       : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %src, %sub : memref<1x4x4x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return
}

// -----

// A strided innermost dimension has no contiguous block: linalg.copy.

// CHECK-LABEL: func.func @strided_innermost
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy
func.func @strided_innermost(%src: memref<8xi8>, %dst: memref<16xi8>) {
  %sub = memref.subview %dst[0] [8] [2] : memref<16xi8> to memref<8xi8, strided<[2]>>
  memref.copy %src, %sub : memref<8xi8> to memref<8xi8, strided<[2]>>
  return
}

// -----

// Between contiguous buffers the copy stays (it becomes memcpy).

// CHECK-LABEL: func.func @contiguous
// CHECK:         memref.copy
func.func @contiguous(%src: memref<4x32xi8>, %dst: memref<4x32xi8>) {
  memref.copy %src, %dst : memref<4x32xi8> to memref<4x32xi8>
  return
}

// -----

// From 2^16 elements the outermost loop of more than one iteration (over
// the 64 rows here) is marked for --qopt-parallelize-tiles.

// CHECK-LABEL: func.func @large
// CHECK:         scf.for {{.*}} = %c0 to %c1 step %c1
// CHECK-NEXT:      scf.for {{.*}} = %c0 to %c64 step %c1
// CHECK-NEXT:        scf.for {{.*}} = %c0 to %c4096 step %c64
// CHECK:               vector.transfer_write {{.*}}offset: 4288>>{{$}}
// CHECK-NEXT:        {{^ *\} *$}}
// CHECK-NEXT:      } {qopt.parallel_tiles}
// CHECK-NEXT:    {{^ *\} *$}}
// CHECK-NEXT:    return
func.func @large(%src: memref<1x64x64x64xi8>, %dst: memref<1x66x66x64xi8>) {
  %sub = memref.subview %dst[0, 1, 1, 0] [1, 64, 64, 64] [1, 1, 1, 1]
       : memref<1x66x66x64xi8> to memref<1x64x64x64xi8, strided<[278784, 4224, 64, 1], offset: 4288>>
  memref.copy %src, %sub : memref<1x64x64x64xi8> to memref<1x64x64x64xi8, strided<[278784, 4224, 64, 1], offset: 4288>>
  return
}

// -----

// Below 2^16 elements a copy stays on the calling thread: 1 x 60 x 60 x 16
// is 57600.

// CHECK-LABEL: func.func @below_parallel
// CHECK-NOT:     qopt.parallel_tiles
func.func @below_parallel(%src: memref<1x60x60x16xi8>, %dst: memref<1x62x62x16xi8>) {
  %sub = memref.subview %dst[0, 1, 1, 0] [1, 60, 60, 16] [1, 1, 1, 1]
       : memref<1x62x62x16xi8> to memref<1x60x60x16xi8, strided<[61504, 992, 16, 1], offset: 1008>>
  memref.copy %src, %sub : memref<1x60x60x16xi8> to memref<1x60x60x16xi8, strided<[61504, 992, 16, 1], offset: 1008>>
  return
}

// -----

// The padding value over a whole buffer, as bufferization writes it for a
// qnn.int.pad (linalg.map yielding a value from outside): splat vector
// stores over the contiguous buffer, 6 x 6 x 32 = 1152 bytes in 18 vectors
// of 64, not scalar loops.

// CHECK-LABEL: func.func @fill_map
// CHECK-SAME:    (%[[BUF:.*]]: memref<1x6x6x32xi8>, %[[VALUE:.*]]: i8)
// CHECK-NOT:     linalg.map
// CHECK:         %[[FLAT:.*]] = memref.collapse_shape %[[BUF]] {{\[}}[0, 1, 2, 3]] : memref<1x6x6x32xi8> into memref<1152xi8>
// CHECK:         scf.for %[[I:.*]] = %c0 to %c1152 step %c64 {
// CHECK-NEXT:      %[[SPLAT:.*]] = vector.broadcast %[[VALUE]] : i8 to vector<64xi8>
// CHECK-NEXT:      vector.transfer_write %[[SPLAT]], %[[FLAT]][%[[I]]] {in_bounds = [true]} : vector<64xi8>, memref<1152xi8>
// CHECK-NEXT:    }{{$}}
func.func @fill_map(%buf: memref<1x6x6x32xi8>, %value: i8) {
  linalg.map outs(%buf : memref<1x6x6x32xi8>)
    (%init: i8) {
      linalg.yield %value : i8
    }
  return
}

// -----

// linalg.fill alike, with a shorter vector for the rest (100 = 64 + 36); a
// constant's splats fold.

// CHECK-LABEL: func.func @fill
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[V64:.*]] = arith.constant dense<7> : vector<64xi8>
// CHECK-DAG:     %[[V36:.*]] = arith.constant dense<7> : vector<36xi8>
// CHECK:         scf.for %[[I:.*]] = %c0 to %c64 step %c64 {
// CHECK-NEXT:      vector.transfer_write %[[V64]], %arg0[%[[I]]] {in_bounds = [true]} : vector<64xi8>, memref<100xi8>
// CHECK-NEXT:    }
// CHECK-NEXT:    vector.transfer_write %[[V36]], %arg0[%c64] {in_bounds = [true]} : vector<36xi8>, memref<100xi8>
func.func @fill(%buf: memref<100xi8>) {
  %c7 = arith.constant 7 : i8
  linalg.fill ins(%c7 : i8) outs(%buf : memref<100xi8>)
  return
}

// -----

// A large contiguous buffer has no outer loop: its vector loop is marked for
// --qopt-parallelize-tiles (58 x 58 x 64, ResNet-18's padded activation).

// CHECK-LABEL: func.func @fill_large
// CHECK:         scf.for {{.*}} = %c0 to %c215296 step %c64 {
// CHECK:         } {qopt.parallel_tiles}
func.func @fill_large(%buf: memref<1x58x58x64xi8>, %value: i8) {
  linalg.map outs(%buf : memref<1x58x58x64xi8>)
    (%init: i8) {
      linalg.yield %value : i8
    }
  return
}

// -----

// A map that yields its init element (or computes) is no fill: it stays.

// CHECK-LABEL: func.func @not_a_fill
// CHECK:         linalg.map
func.func @not_a_fill(%buf: memref<64xi8>) {
  linalg.map outs(%buf : memref<64xi8>)
    (%init: i8) {
      linalg.yield %init : i8
    }
  return
}

// -----

// The padding value, then the input into the interior (bufferization's
// qnn.int.pad): only the border is filled, slab by slab (the top and bottom
// rows of 6 x 32 bytes, the left and right columns of the 4 interior rows),
// before the copy of the interior.

// CHECK-LABEL: func.func @fill_border
// CHECK-SAME:    (%[[SRC:.*]]: memref<1x4x4x32xi8>, %[[VALUE:.*]]: i8)
// CHECK-NOT:     linalg
// CHECK:         %[[BUF:.*]] = memref.alloc() : memref<1x6x6x32xi8>
// CHECK-NEXT:    %[[TOP:.*]] = memref.subview %[[BUF]][0, 0, 0, 0] [1, 1, 6, 32] [1, 1, 1, 1]
// CHECK:           scf.for %{{.*}} = %c0 to %c192 step %c64 {
// CHECK-NEXT:        vector.broadcast %[[VALUE]] : i8 to vector<64xi8>
// CHECK:         %[[BOTTOM:.*]] = memref.subview %[[BUF]][0, 5, 0, 0] [1, 1, 6, 32] [1, 1, 1, 1]
// CHECK:           scf.for %{{.*}} = %c0 to %c192 step %c64 {
// CHECK:         %[[LEFT:.*]] = memref.subview %[[BUF]][0, 1, 0, 0] [1, 4, 1, 32] [1, 1, 1, 1]
// CHECK:           scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK-NEXT:        vector.broadcast %[[VALUE]] : i8 to vector<32xi8>
// CHECK:         %[[RIGHT:.*]] = memref.subview %[[BUF]][0, 1, 5, 0] [1, 4, 1, 32] [1, 1, 1, 1]
// CHECK:           scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK-NEXT:        vector.broadcast %[[VALUE]] : i8 to vector<32xi8>
// CHECK:         memref.subview %[[BUF]][0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
// CHECK:         vector.transfer_read %{{.*}} : memref<1x4x128xi8>, vector<64xi8>
// CHECK-NOT:     vector.broadcast
// CHECK:         return %[[BUF]]
func.func @fill_border(%src: memref<1x4x4x32xi8>, %value: i8) -> memref<1x6x6x32xi8> {
  %buf = memref.alloc() : memref<1x6x6x32xi8>
  linalg.map outs(%buf : memref<1x6x6x32xi8>)
    (%init: i8) {
      linalg.yield %value : i8
    }
  %sub = memref.subview %buf[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
       : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %src, %sub : memref<1x4x4x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return %buf : memref<1x6x6x32xi8>
}

// -----

// A copy from the buffer itself reads the interior, a read between the
// fill and the copy sees it, and a buffer the function is given may alias
// the copy's source: each keeps the fill of the whole buffer.

// CHECK-LABEL: func.func @fill_whole_copy_from_itself
// CHECK:         scf.for %{{.*}} = %c0 to %c1152 step %c64 {
// CHECK-NEXT:      vector.broadcast
// CHECK-LABEL: func.func @fill_whole_read_between
// CHECK:         scf.for %{{.*}} = %c0 to %c1152 step %c64 {
// CHECK-NEXT:      vector.broadcast
// CHECK-LABEL: func.func @fill_whole_argument
// CHECK:         scf.for %{{.*}} = %c0 to %c1152 step %c64 {
// CHECK-NEXT:      vector.broadcast
func.func @fill_whole_copy_from_itself(%value: i8) -> memref<1x6x6x32xi8> {
  %buf = memref.alloc() : memref<1x6x6x32xi8>
  linalg.fill ins(%value : i8) outs(%buf : memref<1x6x6x32xi8>)
  %from = memref.subview %buf[0, 0, 0, 0] [1, 4, 4, 32] [1, 1, 1, 1]
        : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1]>>
  %sub = memref.subview %buf[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
       : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %from, %sub : memref<1x4x4x32xi8, strided<[1152, 192, 32, 1]>> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return %buf : memref<1x6x6x32xi8>
}

func.func @fill_whole_read_between(%src: memref<1x4x4x32xi8>, %value: i8) -> (memref<1x6x6x32xi8>, i8) {
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %buf = memref.alloc() : memref<1x6x6x32xi8>
  linalg.fill ins(%value : i8) outs(%buf : memref<1x6x6x32xi8>)
  %x = memref.load %buf[%c0, %c2, %c2, %c0] : memref<1x6x6x32xi8>
  %sub = memref.subview %buf[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
       : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %src, %sub : memref<1x4x4x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return %buf, %x : memref<1x6x6x32xi8>, i8
}

func.func @fill_whole_argument(%src: memref<1x4x4x32xi8>, %buf: memref<1x6x6x32xi8>, %value: i8) {
  linalg.fill ins(%value : i8) outs(%buf : memref<1x6x6x32xi8>)
  %sub = memref.subview %buf[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1]
       : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %src, %sub : memref<1x4x4x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return
}
