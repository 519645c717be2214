// Padded layers whose input zero point is 0 (a u8 ReLU output imported from
// PyTorch, a symmetric s8 activation) reach the layer kernels on every
// target: --qopt-expand-zero-points makes their padding an explicit pad even
// with nothing to fold, where it used to leave the `padding` attribute, which
// sent them to the generic loops ("left to generic loops: it pads its
// input").
// (The zero points expanded as each target's pipeline does: s8 moved to u8
// for vpdpbusd, u8 to s8 for sdot.)
// RUN: for run in x86-avx512vnni:=unsigned-input x86-avx2: aarch64-neon: \
// RUN:     aarch64-dotprod:=signed-input aarch64-i8mm:; do \
// RUN:   target=${run%%:*}; echo "target $target"; \
// RUN:   qopt %s --qopt-expand-zero-points${run#*:} \
// RUN:     --qopt-lower-to-llvm=target=$target -o /dev/null 2>&1 || exit 1; \
// RUN: done | FileCheck %s
// CHECK: target x86-avx512vnni
// CHECK-NOT: remark
// CHECK: target x86-avx2
// CHECK-NOT: remark
// CHECK: target aarch64-neon
// CHECK-NOT: remark
// CHECK: target aarch64-dotprod
// CHECK-NOT: remark
// CHECK: target aarch64-i8mm
// CHECK-NOT: remark

func.func @conv_u8(%x: tensor<1x8x8x16xui8>) -> tensor<1x8x8x16xui8> {
  %w = arith.constant dense<3> : tensor<16x3x3x16xi8>
  %b = arith.constant dense<5> : tensor<16xi32>
  %acc = qnn.int.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xui8>, tensor<16x3x3x16xi8>, tensor<16xi32>) -> tensor<1x8x8x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>, shift = array<i32: -8>, output_zp = 5 : i64} : (tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xui8>
  return %y : tensor<1x8x8x16xui8>
}

func.func @depthwise_s8(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> {
  %w = arith.constant dense<-2> : tensor<1x3x3x16xi8>
  %b = arith.constant dense<5> : tensor<16xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi8>, tensor<1x3x3x16xi8>, tensor<16xi32>) -> tensor<1x8x8x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>, shift = array<i32: -8>, output_zp = 5 : i64} : (tensor<1x8x8x16xi32>) -> tensor<1x8x8x16xi8>
  return %y : tensor<1x8x8x16xi8>
}
