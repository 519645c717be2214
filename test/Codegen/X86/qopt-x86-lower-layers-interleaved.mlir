// RUN: qopt %s --qopt-x86-lower-layers=isa=avx512ifma --canonicalize \
// RUN:   | FileCheck %s
// RUN: qopt %s --qopt-x86-lower-layers=isa=avx512vnni --canonicalize \
// RUN:   | FileCheck %s --check-prefix=VNNI

// A first convolution (3 channels, 3x3, stride 2) on vpdpbusd with VBMI's
// byte shuffles reads its kernel rows interleaved, as the AMX kernel does
// (qopt-x86-lower-layers-amx.mlir): a copy of the input, the qnn.int.pad
// folded into it, holds per output row each pixel's 3 bytes of the 3 input
// rows it reads, so that a window is one run of 27 bytes, 7 groups of 4
// (packed weights [7, 64]) instead of 3 runs of 3 groups (9 bytes: 2
// whole groups and one of a byte each). The tile's rows are 2 pixels (18
// bytes) apart in the copy; the 6 whole groups are a loop, the 3 bytes of
// the last are read alone.

// CHECK-LABEL: func.func @first_layer
// CHECK-NOT: qnn.int.pad
// CHECK-DAG: %[[WEIGHTS:.*]] = arith.constant dense<"0x{{.*}}"> : tensor<7x64xi8>
// CHECK: %[[COPY:.*]] = scf.for %{{.*}} = %c0 to %c5 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<990xi8>) {
// CHECK: vector.shuffle
// CHECK: vector.transfer_write {{.*}} : vector<64xi8>, tensor<990xi8>
// CHECK: scf.for %{{.*}} = %c0 to %c50 step %c10
// CHECK: %[[ROW0:.*]] = arith.muli %{{.*}}, %c9 : index
// CHECK: %[[ROW1:.*]] = arith.addi %[[ROW0]], %c18 : index
// CHECK: scf.for %[[GROUP:.*]] = %c0 to %c6 step %c1
// CHECK: %[[STEP:.*]] = arith.muli %[[GROUP]], %c4 : index
// CHECK: %[[AT:.*]] = arith.addi %[[ROW0]], %[[STEP]] : index
// CHECK: vector.transfer_read %[[COPY]][%[[AT]]], %{{.*}} : tensor<990xi8>, vector<4xi8>
// CHECK: %[[AT1:.*]] = arith.addi %[[ROW1]], %[[STEP]] : index
// CHECK: vector.transfer_read %[[COPY]][%[[AT1]]], %{{.*}} : tensor<990xi8>, vector<4xi8>
// CHECK: vector.transfer_read %[[WEIGHTS]][%[[GROUP]], %c0]
// CHECK: vector.multi_reduction <add>
// CHECK: scf.yield
// CHECK: %[[LAST:.*]] = arith.addi %[[ROW0]], %c24 : index
// CHECK: vector.transfer_read %[[COPY]][%[[LAST]]], %{{.*}} : tensor<990xi8>, vector<3xi8>
// CHECK: vector.transfer_read %[[WEIGHTS]][%c6, %c0]
// CHECK: tosa.apply_scale

// Without VBMI (Cascade Lake) the layer reads a padded copy of its input,
// its 3 kernel rows one run each.
// VNNI-LABEL: func.func @first_layer
// VNNI-NOT: qnn.int.pad
// VNNI-NOT: vector.shuffle
// VNNI: arith.constant dense<"0x{{.*}}"> : tensor<9x64xi8>
// VNNI: scf.for %{{.*}} = %c0 to %c3 step %c1
// VNNI: tosa.apply_scale
func.func @first_layer(%x: tensor<1x9x20x3xui8>) -> tensor<1x5x10x16xui8> {
  %p = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>,
                       value = 131 : i64}
     : (tensor<1x9x20x3xui8>) -> tensor<1x11x22x3xui8>
  %w = arith.constant dense<1> : tensor<16x3x3x3xi8>
  %b = arith.constant dense<100> : tensor<16xi32>
  %acc = qnn.int.conv2d %p, %w, %b {strides = array<i64: 2, 2>}
       : (tensor<1x11x22x3xui8>, tensor<16x3x3x3xi8>, tensor<16xi32>)
      -> tensor<1x5x10x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -10>, output_zp = 3 : i64}
       : (tensor<1x5x10x16xi32>) -> tensor<1x5x10x16xui8>
  return %y : tensor<1x5x10x16xui8>
}
