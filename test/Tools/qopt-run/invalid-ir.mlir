// A module that does not verify is rejected before anything runs.

// RUN: not qopt-run %s 2>&1 | FileCheck %s

func.func @invalid() -> tensor<1xi8> {
  %x = arith.constant dense<1> : tensor<1xi8>
  // CHECK: invalid-ir.mlir:[[# @LINE + 1]]:8: error: 'qnn.int.clamp' op 'min' (5) is greater than 'max' (3)
  %0 = qnn.int.clamp %x {min = 5 : i64, max = 3 : i64} : tensor<1xi8>
  return %0 : tensor<1xi8>
}
