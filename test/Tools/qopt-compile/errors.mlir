// qopt-compile rejects, with a located error, what the flat calling
// convention cannot pass, and names what it cannot find.

// RUN: not qopt-compile %s -o %t.o 2>&1 | FileCheck %s
// RUN: not qopt-compile %s --function missing -o %t.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --mtriple=nonesuch-unknown-linux --mlir-print-ir-before-all 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TRIPLE --implicit-check-not="IR Dump"

// A bad CPU or triple is reported before any pass runs (no IR dump).
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o --mcpu=bogus \
// RUN:   --mlir-print-ir-before-all 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPU --implicit-check-not="IR Dump"
// RUN: not qopt-compile %S/../../Integration/jit.mlir --mtriple=aarch64-linux-gnu \
// RUN:   --mcpu=znver4 -o %t.o 2>&1 | FileCheck %s --check-prefix=CPU-ARM
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o /dev/full 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FULL-OBJECT
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --header /dev/full 2>&1 | FileCheck %s --check-prefix=FULL-HEADER

// MISSING: errors.mlir:{{.*}}: error: no func.func @missing
// CPU: jit.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'bogus' is not a CPU of '{{.*}}'
// CPU-NOT: see current operation
// CPU-ARM: error: 'znver4' is not a CPU of 'aarch64-linux-gnu'
// FULL-OBJECT: qopt-compile: error: /dev/full: cannot write: No space left on device
// FULL-OBJECT-NOT: LLVM ERROR
// FULL-HEADER: qopt-compile: error: /dev/full: cannot write: No space left on device
// FULL-HEADER-NOT: LLVM ERROR
// TRIPLE: error: cannot generate code for 'nonesuch-unknown-linux'

// CHECK: errors.mlir:[[# @LINE + 1]]:1: error: argument #1 has type 'tensor<?xi8>', not a statically shaped tensor of 8- to 64-bit integers or floats that compiled code can take
func.func @dynamic(%x: tensor<4xi8>, %y: tensor<?xi8>) -> tensor<?xi8> {
  return %y : tensor<?xi8>
}
