// An addition PyTorch qnnpack refuses (S_lhs / S_out = 1000 is beyond
// 2^8) is the same located error in the interpreter's quantized level as in
// --qopt-rewrite-multipliers, under the module's pytorch-qnnpack numerics.
// RUN: not qopt-run %s 2>&1 | FileCheck %s
// RUN: not qopt %s --qopt-rewrite-multipliers -o /dev/null 2>&1 | FileCheck %s

module attributes {qnn.numerics = "pytorch-qnnpack"} {
func.func @refused() -> tensor<2x!quant.uniform<u8:f32, 1.0:128>> {
  %a = qnn.const dense<[1, 2]> : tensor<2xi8>
       -> tensor<2x!quant.uniform<u8:f32, 1000.0:128>>
  %b = qnn.const dense<[3, 4]> : tensor<2xi8>
       -> tensor<2x!quant.uniform<u8:f32, 1.0:128>>
  // CHECK: quantized-numerics-errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.add' op has scales that PyTorch qnnpack's addition does not support
  %s = qnn.add %a, %b : (tensor<2x!quant.uniform<u8:f32, 1000.0:128>>,
                         tensor<2x!quant.uniform<u8:f32, 1.0:128>>)
       -> tensor<2x!quant.uniform<u8:f32, 1.0:128>>
  return %s : tensor<2x!quant.uniform<u8:f32, 1.0:128>>
}
}
