// A result qopt-run cannot write (a full disk) is an error naming the file,
// not "LLVM ERROR: IO failure on output stream".

// RUN: not qopt-run %s --random-inputs=1 --output /dev/full 2>&1 | FileCheck %s
// CHECK: qopt-run: error: /dev/full: cannot write: No space left on device
// CHECK-NOT: LLVM ERROR

func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
