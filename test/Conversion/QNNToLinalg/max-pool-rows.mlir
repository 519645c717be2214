// RUN: qopt %s --qopt-convert-qnn-to-linalg --split-input-file | FileCheck %s
// RUN: qopt %s --qopt-convert-qnn-to-linalg --split-input-file \
// RUN:   --remarks-filter=qopt-parallel-tiles -o /dev/null 2> %t.remarks
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

// A max pool's regions of at least 2^18 window positions reduce their output
// rows in a loop that --qopt-parallelize-tiles shares out, each row from its
// own window of input rows; the border regions, smaller, stay one reduction.

// CHECK-LABEL: func.func @max_pool_rows
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 1, 1, 64]
// CHECK: linalg.generic
// CHECK-NOT: scf.for
// CHECK: %[[INNER:.*]] = tensor.extract_slice %{{.*}}[0, 1, 1, 0] [1, 31, 31, 64]
// CHECK: %[[C31:.*]] = arith.constant 31 : index
// CHECK: %[[LOOP:.*]] = scf.for %[[Y:.*]] = %{{.*}} to %[[C31]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[INNER]])
// CHECK:   %[[C2:.*]] = arith.constant 2 : index
// CHECK:   %[[Y2:.*]] = arith.muli %[[Y]], %[[C2]]
// CHECK:   %[[C1:.*]] = arith.constant 1 : index
// CHECK:   %[[TOP:.*]] = arith.addi %[[Y2]], %[[C1]]
// CHECK:   %[[ROWS:.*]] = tensor.extract_slice %arg0[0, %[[TOP]], 0, 0] [1, 3, 64, 64]
// CHECK:   %[[ROW:.*]] = tensor.extract_slice %[[ACC]][0, %[[Y]], 0, 0] [1, 1, 31, 64]
// CHECK:   %[[MAX:.*]] = linalg.generic {{.*}} ins(%[[ROWS]], %{{.*}} : tensor<1x3x64x64xi8>, tensor<3x3xi8>) outs(%[[ROW]] : tensor<1x1x31x64xi8>)
// CHECK:   %[[NEXT:.*]] = tensor.insert_slice %[[MAX]] into %[[ACC]][0, %[[Y]], 0, 0] [1, 1, 31, 64]
// CHECK:   scf.yield %[[NEXT]]
// CHECK: } {qopt.parallel_tiles}
// CHECK: tensor.insert_slice %[[LOOP]] into %{{.*}}[0, 1, 1, 0] [1, 31, 31, 64]
func.func @max_pool_rows(%x: tensor<1x64x64x64xi8>) -> tensor<1x32x32x64xi8> {
  %y = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x64x64x64xi8>) -> tensor<1x32x32x64xi8>
  return %y : tensor<1x32x32x64xi8>
}

// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="window reduction of 64 outputs of 2x2 taps: one thread (less work than forking threads, or in a loop)"
// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="window reduction of 1984 outputs of 2x3 taps: one thread (less work than forking threads, or in a loop)"
// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="window reduction of 1984 outputs of 3x2 taps: one thread (less work than forking threads, or in a loop)"
// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="window reduction of 61504 outputs of 3x3 taps: threads share out blocks of its output rows"

// -----

// The same pool in a loop stays one reduction per region: a region of
// threads would be forked once per iteration.

// CHECK-LABEL: func.func @max_pool_in_loop
// CHECK: scf.for
// CHECK-NOT: qopt.parallel_tiles
// CHECK: return
func.func @max_pool_in_loop(%x: tensor<1x64x64x64xi8>, %n: index) -> tensor<1x32x32x64xi8> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = tensor.empty() : tensor<1x32x32x64xi8>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init) -> tensor<1x32x32x64xi8> {
    %y = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
           padding = array<i64: 1, 1, 1, 1>}
         : (tensor<1x64x64x64xi8>) -> tensor<1x32x32x64xi8>
    scf.yield %y : tensor<1x32x32x64xi8>
  }
  return %r : tensor<1x32x32x64xi8>
}

// REMARK: remark: [Analysis] ThreadSplit | Category:qopt-parallel-tiles | Remark="window reduction of 61504 outputs of 3x3 taps: one thread (less work than forking threads, or in a loop)"
