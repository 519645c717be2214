// qopt-run reads a .npy file's header first, then exactly the data its dtype
// and shape need, within --max-tensor-bytes: a device, a truncated or an
// oversized file is an error naming it, not an endless read or an
// out-of-memory abort. Pipes and devices are read up to one byte past the
// data, regular files are measured first.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %qopt_src_root/test/Utils/npy.py header %t/short.npy '|u1' 2x2
// RUN: echo -n abc >> %t/short.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py header %t/long.npy '|u1' 2x2
// RUN: echo -n abcde >> %t/long.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py header %t/huge.npy '|u1' 100000x100000x3

// RUN: not qopt-run %s --input /dev/zero 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: qopt-run: error: /dev/zero: not a .npy file

// RUN: not qopt-run %s --input %t/short.npy 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: qopt-run: error: {{.*}}short.npy: holds 3 data bytes but dtype '|u1' and shape (2, 2) need 4
// RUN: cat %t/short.npy | not qopt-run %s --input /dev/stdin 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHORT-PIPE
// SHORT-PIPE: qopt-run: error: /dev/stdin: holds 3 data bytes but dtype '|u1' and shape (2, 2) need 4

// RUN: not qopt-run %s --input %t/long.npy 2>&1 | FileCheck %s --check-prefix=LONG
// LONG: qopt-run: error: {{.*}}long.npy: holds 5 data bytes but dtype '|u1' and shape (2, 2) need 4
// RUN: cat %t/long.npy | not qopt-run %s --input /dev/stdin 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LONG-PIPE
// LONG-PIPE: qopt-run: error: /dev/stdin: holds more than 4 data bytes but dtype '|u1' and shape (2, 2) need 4

// The header's shape is checked against the limit before the data is read.
// RUN: not qopt-run %s --input %t/huge.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: qopt-run: error: {{.*}}huge.npy: dtype '|u1' and shape (100000, 100000, 3) need 30000000000 data bytes, more than the limit of 4294967296

// A key given twice is an error: numpy keeps the last 'shape', (2,), where
// the two were read as one shape (2, 2) that this file's 4 bytes fit.
// RUN: not qopt-run %s --input %S/Inputs/repeated-shape.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEATED
// REPEATED: qopt-run: error: {{.*}}repeated-shape.npy: malformed header: repeated key 'shape'

// Data that fits, from a file or a pipe, is read whole.
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/a.npy '|u1' 2x2 1,2,3,4
// RUN: cat %t/a.npy | qopt-run %s --input /dev/stdin | FileCheck %s --check-prefix=PIPE
// PIPE: tensor<2x2xui8>: {{\[\[}}1, 2], [3, 4]]
// An argument larger than the limit is refused before its file is read.
// RUN: not qopt-run %s --input %t/a.npy --max-tensor-bytes=31 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LIMIT
// LIMIT: npy-limits.mlir:[[# @LINE + 3]]:21: error: argument #0 of type 'tensor<2x2xui8>' would take 32 bytes, more than the interpreter's limit of 31 bytes (8 per element)
// LIMIT-NOT: a.npy

func.func @identity(%x: tensor<2x2xui8>) -> tensor<2x2xui8> {
  return %x : tensor<2x2xui8>
}
