// Output qopt-translate cannot write (a full disk) is an error naming the
// file, not "LLVM ERROR: IO failure on output stream".

// RUN: not qopt-translate --qopt-export-json %s -o /dev/full 2>&1 | FileCheck %s
// RUN: not qopt-translate --qopt-export-c-header %s 2>&1 > /dev/full \
// RUN:   | FileCheck %s --check-prefix=STDOUT
// CHECK: qopt-translate: error: /dev/full: cannot write: No space left on device
// CHECK-NOT: LLVM ERROR
// STDOUT: qopt-translate: error: <stdout>: cannot write: No space left on device
// STDOUT-NOT: LLVM ERROR

// The exports print JSON or C, which no translation reads after them.
// RUN: not qopt-translate --qopt-export-json --qopt-export-c-header %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TWO
// TWO: qopt-translate: error: expected one translation, got 2

func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
