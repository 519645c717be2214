// The scheme reaches --qopt-propagate-quant-params as an option value, never
// as pipeline text: a value that would close the pass's options and add a
// pass of its own is an unknown scheme, not a pipeline with a canonicalize
// (nor a pipeline that fails to parse and aborts).

// RUN: not qopt %s '--qopt-pipeline=scheme=tflite},canonicalize{' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s
// RUN: not qopt %s '--qopt-pipeline=scheme=a}b' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BRACE
// RUN: not qopt-run %s --jit '--scheme=tflite},canonicalize{' --random-inputs=1 2>&1 \
// RUN:   | FileCheck %s
// RUN: not qopt-compile %s '--scheme=tflite},canonicalize{' -o %t.o 2>&1 \
// RUN:   | FileCheck %s
// CHECK: qopt-pipeline-scheme.mlir:[[# @LINE + 3]]:1: error: unknown quantization scheme 'tflite},canonicalize{'; expected gemmlowp, fbgemm, qnnpack or tflite
// BRACE: error: unknown quantization scheme 'a}b'
// BRACE-NOT: LLVM ERROR
func.func @f(%x: tensor<2xi8>) -> tensor<2xi8> {
  return %x : tensor<2xi8>
}
