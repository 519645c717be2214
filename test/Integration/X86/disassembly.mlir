// The layer kernels compiled for x86 are made of the target's dot-product
// instruction on full-width registers, without --mattr (the functions carry
// their target features): vpdpbusd on zmm for x86-avx512vnni, vpmaddwd on
// ymm for x86-avx2. Objects for x86-64 are made on any host; nothing runs.

// RUN: qopt-compile %s --function fc_u8 --target=x86-avx512vnni \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.vnni.o
// RUN: llvm-objdump -d %t.vnni.o | FileCheck %s --check-prefix=VNNI
// VNNI-LABEL: <fc_u8>:
// VNNI: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: vpmulld

// RUN: qopt-compile %s --function fc_u8 --target=x86-avx2 \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.avx2.o
// RUN: llvm-objdump -d %t.avx2.o | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: <fc_u8>:
// AVX2: vpmaddwd {{.*}}%ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: zmm

// An s8-input convolution with an input zero point: qopt-compile takes it
// through --qopt-expand-zero-points with the target's input signedness (u8
// for vpdpbusd: the input shifted by 128, the correction in the bias).
// RUN: qopt-compile %s --function conv_s8 --target=x86-avx512vnni \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.conv.o
// RUN: llvm-objdump -d %t.conv.o | FileCheck %s --check-prefix=CONV
// CONV-LABEL: <conv_s8>:
// CONV: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}

// The pipelines: the dot products become the intrinsic after bufferization.
// RUN: qopt %s --qopt-lower-to-llvm=target=x86-avx512vnni \
// RUN:   | FileCheck %s --check-prefix=PIPELINE
// PIPELINE-LABEL: llvm.func @fc_u8
// PIPELINE-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512dq", "+avx512vl", "+avx512vnni"]>
// PIPELINE: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// RUN: qopt %s --qopt-pipeline=target=x86-avx2 \
// RUN:   | FileCheck %s --check-prefix=PIPELINE-AVX2
// PIPELINE-AVX2-LABEL: llvm.func @fc_u8
// PIPELINE-AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// PIPELINE-AVX2-LABEL: llvm.func @conv_s8
// PIPELINE-AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// RUN: qopt %s --qopt-lower-to-llvm | FileCheck %s --check-prefix=GENERIC
// GENERIC-NOT: llvm.call_intrinsic
// GENERIC-NOT: target_features
// RUN: not qopt %s --qopt-lower-to-llvm=target=bogus 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BOGUS
// BOGUS: for the --target option: Cannot find option named 'bogus'!
// RUN: not qopt %s --qopt-lower-to-llvm=target=x86-avx512ifm 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NEAR-MISS
// NEAR-MISS: for the --target option: Cannot find option named 'x86-avx512ifm'!
// RUN: qopt %s --qopt-lower-to-llvm=target=x86-avx512ifma \
// RUN:   | FileCheck %s --check-prefix=PIPELINE-IFMA
// PIPELINE-IFMA-LABEL: llvm.func @fc_u8
// PIPELINE-IFMA-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512dq", "+avx512vl", "+avx512vnni", "+avx512ifma", "+avx512vbmi"]>
// PIPELINE-IFMA: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"

func.func @fc_u8(%x: tensor<4x128xui8>) -> tensor<4x32xui8> {
  %w = arith.constant dense<-3> : tensor<32x128xi8>
  %b = arith.constant dense<[1, -2, 3, -4, 1, -2, 3, -4, 1, -2, 3, -4, 1, -2, 3, -4,
                             1, -2, 3, -4, 1, -2, 3, -4, 1, -2, 3, -4, 1, -2, 3, -4]> : tensor<32xi32>
  %acc = qnn.int.fully_connected %x, %w, %b
       : (tensor<4x128xui8>, tensor<32x128xi8>, tensor<32xi32>) -> tensor<4x32xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 7 : i64}
       : (tensor<4x32xi32>) -> tensor<4x32xui8>
  return %y : tensor<4x32xui8>
}

func.func @conv_s8(%x: tensor<1x8x8x16xi8>) -> tensor<1x6x6x16xi8> {
  %w = arith.constant dense<5> : tensor<16x3x3x16xi8>
  %acc = qnn.int.conv2d %x, %w {input_zp = -3 : i64}
       : (tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8>) -> tensor<1x6x6x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = -7 : i64}
       : (tensor<1x6x6x16xi32>) -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// A depthwise layer for the targets with AVX-512 IFMA (x86-avx512ifma,
// x86-amx) starts its accumulators at the bias plus 2^19 and requantizes
// them by vpmadd52luq, its input columns interleaved by VBMI's vpermt2b;
// x86-avx512vnni (Cascade Lake) has neither.
// RUN: qopt-compile %s --function dw_u8 --target=x86-amx \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.dw-amx.o
// RUN: llvm-objdump -d %t.dw-amx.o | FileCheck %s --check-prefix=DW-IFMA
// RUN: qopt-compile %s --function dw_u8 --target=x86-avx512ifma \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.dw-ifma.o
// RUN: llvm-objdump -d %t.dw-ifma.o | FileCheck %s --check-prefix=DW-IFMA
// DW-IFMA-LABEL: <dw_u8>:
// DW-IFMA-DAG: vpermt2b
// DW-IFMA-DAG: vpdpbusd
// DW-IFMA-DAG: vpmadd52luq
// RUN: qopt-compile %s --function dw_u8 --target=x86-avx512vnni \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.dw-vnni.o
// RUN: llvm-objdump -d %t.dw-vnni.o | FileCheck %s --check-prefix=DW-VNNI
// DW-VNNI-LABEL: <dw_u8>:
// DW-VNNI: vpdpbusd
// DW-VNNI-NOT: vpmadd52luq
// DW-VNNI-NOT: vpermt2b
// Nor with IFMA does a stride-2 layer of whole blocks of 64 channels: its
// tiles of 4 vectors have no registers left for the offset epilogue's
// per-row terms (14x14x576/2 on Zen 5: 132 GOP/s with the offset, 158
// without).
// RUN: qopt-compile %s --function dw_blocks --target=x86-avx512ifma \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.dw-blocks.o
// RUN: llvm-objdump -d %t.dw-blocks.o | FileCheck %s --check-prefix=DW-BLOCKS
// DW-BLOCKS-LABEL: <dw_blocks>:
// DW-BLOCKS: vpdpbusd
// DW-BLOCKS-NOT: vpmadd52luq
// DW-BLOCKS: {{^[0-9a-f]+ <}}
// The object holds every function of the file: fc_u8, whose accumulators
// stay in [-2^19, 2^19), takes the offset epilogue with IFMA too.
// RUN: llvm-objdump -d %t.dw-blocks.o | FileCheck %s --check-prefix=FC-IFMA
// FC-IFMA-LABEL: <fc_u8>:
// FC-IFMA: vpdpbusd
// FC-IFMA: vpmadd52luq
// FC-IFMA: {{^[0-9a-f]+ <}}
func.func @dw_u8(%x: tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8> {
  %w = arith.constant dense<3> : tensor<1x3x3x16xi8>
  %b = arith.constant dense<100> : tensor<16xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b
           {input_zp = 131 : i64, filter_zp = array<i64: 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
       : (tensor<1x8x8x16xui8>, tensor<1x3x3x16xi8>, tensor<16xi32>) -> tensor<1x4x4x16xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1518391600>, shift = array<i32: -8>, output_zp = 120 : i64}
     : (tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xui8>
  return %y : tensor<1x4x4x16xui8>
}

func.func @dw_blocks(%x: tensor<1x8x8x64xui8>) -> tensor<1x4x4x64xui8> {
  %w = arith.constant dense<3> : tensor<1x3x3x64xi8>
  %b = arith.constant dense<100> : tensor<64xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b
           {input_zp = 131 : i64, filter_zp = array<i64: 0>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
       : (tensor<1x8x8x64xui8>, tensor<1x3x3x64xi8>, tensor<64xi32>) -> tensor<1x4x4x64xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1518391600>, shift = array<i32: -8>, output_zp = 120 : i64}
     : (tensor<1x4x4x64xi32>) -> tensor<1x4x4x64xui8>
  return %y : tensor<1x4x4x64xui8>
}
