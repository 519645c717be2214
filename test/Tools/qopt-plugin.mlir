// Debian's mlir-opt, which knows nothing of qopt, loads qopt-plugin.so: as a
// dialect plugin it parses qnn IR and registers qopt's passes and pipelines,
// as a pass plugin it registers the passes and pipelines alone. Plugins load
// after mlir-opt has built its pass flags, so pipelines name the passes.

// REQUIRES: qopt-plugin
// RUN: mlir-opt --load-dialect-plugin=%qopt_plugin %s \
// RUN:   --pass-pipeline='builtin.module(func.func(qopt-expand-zero-points))' \
// RUN:   | FileCheck %s
// RUN: mlir-opt --load-dialect-plugin=%qopt_plugin \
// RUN:   --load-pass-plugin=%qopt_plugin %s \
// RUN:   --pass-pipeline='builtin.module(qopt-pipeline{target=x86-avx512vnni})' \
// RUN:   | FileCheck %s --check-prefix=LLVM

// Without the dialect plugin, mlir-opt does not know the dialect.
// RUN: not mlir-opt --load-pass-plugin=%qopt_plugin %s \
// RUN:   --pass-pipeline='builtin.module(func.func(qopt-expand-zero-points))' \
// RUN:   2>&1 | FileCheck %s --check-prefix=NO-DIALECT
// NO-DIALECT: error: Dialect `qnn' not found for custom op 'qnn.int.fully_connected'

// The input zero point is folded into the bias: [10 - 1 * 6, -20 - 1 * 15].
// CHECK-LABEL: func.func @fc
// CHECK:         arith.constant dense<[4, -35]> : tensor<2xi32>
// CHECK:         qnn.int.fully_connected %arg0, %{{.*}}, %{{.*}} : (tensor<1x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<1x2xi32>

// LLVM: llvm.func @fc
// LLVM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
func.func @fc(%x: tensor<1x3xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 1 : i64}
       : (tensor<1x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
         shift = array<i32: -1>, output_zp = 3 : i64}
       : (tensor<1x2xi32>) -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}
