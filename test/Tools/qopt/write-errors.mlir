// Output qopt cannot write (a full disk) is an error naming the file, not
// "LLVM ERROR: IO failure on output stream".

// RUN: not qopt %s -o /dev/full 2>&1 | FileCheck %s
// RUN: not qopt %s 2>&1 > /dev/full | FileCheck %s --check-prefix=STDOUT
// CHECK: qopt: error: /dev/full: cannot write: No space left on device
// CHECK-NOT: LLVM ERROR
// STDOUT: qopt: error: <stdout>: cannot write: No space left on device
// STDOUT-NOT: LLVM ERROR

func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
