// qopt-run --jit hands compiled code the bytes of each tensor in its own
// element type, bf16 included (which .npy files cannot hold, so only
// printed results are possible): compiled code and the interpreter agree.

// RUN: qopt-run %s --function=argument --random-inputs=1 | FileCheck %s --check-prefix=ARG
// RUN: qopt-run %s --function=argument --random-inputs=1 --jit | FileCheck %s --check-prefix=ARG
// RUN: qopt-run %s --function=result --random-inputs=1 | FileCheck %s --check-prefix=RESULT
// RUN: qopt-run %s --function=result --random-inputs=1 --jit | FileCheck %s --check-prefix=RESULT
// RUN: not qopt-run %s --function=result --random-inputs=1 --jit --output=%t.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPY

// ARG: tensor<2xbf16>: [-0.73, -0.727]
func.func @argument(%x: tensor<2xbf16>) -> tensor<2xbf16> {
  return %x : tensor<2xbf16>
}

// RESULT: tensor<2xbf16>: [1.5, -2.25]
// NPY: jit-bf16.mlir:[[# @LINE + 1]]:1: error: result #0 of @result has no .npy dtype to write it with
func.func @result(%x: tensor<2xf32>) -> tensor<2xbf16> {
  %0 = arith.constant dense<[1.5, -2.25]> : tensor<2xbf16>
  return %0 : tensor<2xbf16>
}
