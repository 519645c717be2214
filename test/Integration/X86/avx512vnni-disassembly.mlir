// The u8 x s8 fully connected layer compiled for x86-avx512vnni is made of
// vpdpbusd on zmm registers: 2 per output of a 4 x 4 tile (128 reduction
// steps), without --mattr. An s8 x s8 layer stays on the generic path, with
// none. Objects for x86-64 are made on any host; nothing runs.

// RUN: qopt-compile %s --function fc_u8_s8 --target=x86-avx512vnni \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.vnni.o
// RUN: llvm-objdump -d %t.vnni.o | FileCheck %s --check-prefix=VNNI
// VNNI-LABEL: <fc_u8_s8>:
// VNNI-COUNT-32: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// VNNI-NOT: vpdpbusd

// RUN: qopt-compile %s --function fc_s8_s8 --target=x86-avx512vnni \
// RUN:   --mtriple=x86_64-linux-gnu -o %t.s8.o
// RUN: llvm-objdump -d %t.s8.o | FileCheck %s --check-prefix=S8
// S8-LABEL: <fc_s8_s8>:
// S8-NOT: vpdpbusd

// With constant weights, --qopt-expand-zero-points=unsigned-input moves an
// s8 input to u8 (x + 128, the correction folded into the bias), and the
// s8 x s8 layer gets the vpdpbusd of the u8 x s8 one.
// RUN: qopt %s --qopt-expand-zero-points=unsigned-input -o %t.shifted.mlir
// RUN: qopt-compile %t.shifted.mlir --function fc_s8_s8_const \
// RUN:   --target=x86-avx512vnni --mtriple=x86_64-linux-gnu -o %t.shifted.o
// RUN: llvm-objdump -d %t.shifted.o | FileCheck %s --check-prefix=SHIFTED
// SHIFTED-LABEL: <fc_s8_s8_const>:
// SHIFTED-COUNT-32: vpdpbusd {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// SHIFTED-NOT: vpdpbusd

// The same as the `target` option of the --qopt-lower-to-llvm pipeline, with
// its tile sizes: 2 x 2 x 64 tiles make loops around 4 vpdpbusd, the default
// (clamped to 4 x 4 x 128) unrolls all 32. The default target is generic.
// RUN: qopt %s --qopt-lower-to-llvm="target=x86-avx512vnni tile-m=2 tile-n=2 tile-k=64" \
// RUN:   | FileCheck %s --check-prefix=PIPELINE
// PIPELINE-LABEL: llvm.func @fc_u8_s8
// PIPELINE-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512vl", "+avx512vnni"]>
// PIPELINE-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// PIPELINE-NOT: llvm.call_intrinsic
// PIPELINE-LABEL: llvm.func @fc_s8_s8
// PIPELINE-NOT: llvm.call_intrinsic
// RUN: qopt %s --qopt-lower-to-llvm=target=x86-avx512vnni \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-LABEL: llvm.func @fc_u8_s8
// DEFAULT-COUNT-32: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// DEFAULT-NOT: llvm.call_intrinsic
// RUN: qopt %s --qopt-lower-to-llvm | FileCheck %s --check-prefix=GENERIC
// GENERIC-NOT: vpdpbusd
// GENERIC-NOT: target_features
// RUN: not qopt %s --qopt-lower-to-llvm=target=bogus 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BOGUS
// BOGUS: for the --target option: Cannot find option named 'bogus'!

func.func @fc_u8_s8(%x: tensor<4x128xui8>, %w: tensor<4x128xi8>) -> tensor<4x4xui8> {
  %b = arith.constant dense<[1, -2, 3, -4]> : tensor<4xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<4x128xui8>, tensor<4x128xi8>, tensor<4xi32>) -> tensor<4x4xi32>
  %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
         shift = array<i32: -9>, output_zp = 7 : i64}
       : (tensor<4x4xi32>) -> tensor<4x4xui8>
  return %y : tensor<4x4xui8>
}

func.func @fc_s8_s8(%x: tensor<4x128xi8>, %w: tensor<4x128xi8>) -> tensor<4x4xi32> {
  %acc = qnn.int.fully_connected %x, %w {input_zp = 0 : i64, weights_zp = array<i64: 0>}
       : (tensor<4x128xi8>, tensor<4x128xi8>) -> tensor<4x4xi32>
  return %acc : tensor<4x4xi32>
}

func.func @fc_s8_s8_const(%x: tensor<4x128xi8>) -> tensor<4x4xi32> {
  %w = arith.constant dense<-3> : tensor<4x128xi8>
  %acc = qnn.int.fully_connected %x, %w {input_zp = 5 : i64}
       : (tensor<4x128xi8>, tensor<4x128xi8>) -> tensor<4x4xi32>
  return %acc : tensor<4x4xi32>
}
