// qopt-run --jit passes compiled code the bytes of .npy data: a bf16
// argument or result, which the interpreter runs but .npy has no dtype for,
// is refused at the function before anything is compiled.

// RUN: qopt-run %s --function=argument --random-inputs=1 | FileCheck %s --check-prefix=INTERP
// RUN: not qopt-run %s --function=argument --random-inputs=1 --jit 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ARG
// RUN: not qopt-run %s --function=result --random-inputs=1 --jit 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RESULT

// INTERP: tensor<2xbf16>: [-0.73, -0.727]

// ARG: jit-unsupported-types.mlir:[[# @LINE + 1]]:1: error: argument #0 has type 'tensor<2xbf16>', which qopt-run --jit cannot pass to compiled code (it has no .npy dtype)
func.func @argument(%x: tensor<2xbf16>) -> tensor<2xbf16> {
  return %x : tensor<2xbf16>
}

// RESULT: jit-unsupported-types.mlir:[[# @LINE + 1]]:1: error: result #0 has type 'tensor<2xbf16>', which qopt-run --jit cannot pass to compiled code (it has no .npy dtype)
func.func @result(%x: tensor<2xf32>) -> tensor<2xbf16> {
  %0 = arith.constant dense<1.0> : tensor<2xbf16>
  return %0 : tensor<2xbf16>
}
