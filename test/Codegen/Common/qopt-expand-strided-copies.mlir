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

// From 2^18 elements the outermost loop of more than one iteration (over
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
