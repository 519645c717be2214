// A tensor larger than the interpreter may allocate (qopt-run
// --max-tensor-bytes, default 4 GiB at 8 bytes per element) is an error at
// the op or argument that would create it, before anything is allocated.
// These aborted with std::length_error or ran out of memory.

// RUN: not qopt-run %s --function pad --random-inputs=1 2>&1 | FileCheck %s --check-prefix=PAD
// RUN: not qopt-run %s --function splat 2>&1 | FileCheck %s --check-prefix=SPLAT
// RUN: not qopt-run %s --function huge_input --random-inputs=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANDOM
// The argument is checked before its file is opened.
// RUN: not qopt-run %s --function huge_input --input /dev/zero 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANDOM
// RUN: not qopt-run %s --function small --random-inputs=1 --max-tensor-bytes=63 \
// RUN:   2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: qopt-run %s --function small --random-inputs=1 --max-tensor-bytes=64 \
// RUN:   | FileCheck %s --check-prefix=SMALL-OK
// RUN: not qopt-run %s --function small_result --random-inputs=1 \
// RUN:   --max-tensor-bytes=100 2>&1 | FileCheck %s --check-prefix=RESULT
// An empty tensor takes nothing, whatever its other dimensions.
// RUN: qopt-run %s --function empty --random-inputs=1 | FileCheck %s --check-prefix=EMPTY

// 2^62 elements: 2^65 bytes, which does not fit in 64 bits.
func.func @pad(%x: tensor<2xf32>) -> tensor<4611686018427387904xf32> {
  // PAD: limits.mlir:[[# @LINE + 1]]:8: error: 'qnn.pad' op result of type 'tensor<4611686018427387904xf32>' would take more than 2^63 bytes, more than the interpreter's limit of 4294967296 bytes (8 per element)
  %0 = qnn.pad %x {padding = array<i64: 0, 4611686018427387902>}
       : (tensor<2xf32>) -> tensor<4611686018427387904xf32>
  return %0 : tensor<4611686018427387904xf32>
}

func.func @splat() -> tensor<100000x100000xf32> {
  // SPLAT: limits.mlir:[[# @LINE + 1]]:8: error: 'arith.constant' op result of type 'tensor<100000x100000xf32>' would take 80000000000 bytes, more than the interpreter's limit of 4294967296 bytes (8 per element)
  %0 = arith.constant dense<0.25> : tensor<100000x100000xf32>
  return %0 : tensor<100000x100000xf32>
}

// RANDOM: limits.mlir:[[# @LINE + 1]]:23: error: argument #0 of type 'tensor<1x100000x100000x3xi8>' would take 240000000000 bytes, more than the interpreter's limit of 4294967296 bytes (8 per element)
func.func @huge_input(%x: tensor<1x100000x100000x3xi8>) -> tensor<1x100000x100000x3xi8> {
  return %x : tensor<1x100000x100000x3xi8>
}

// SMALL: limits.mlir:[[# @LINE + 1]]:36: error: argument #1 of type 'tensor<8xi8>' would take 64 bytes, more than the interpreter's limit of 63 bytes (8 per element)
func.func @small(%x: tensor<1xi8>, %y: tensor<8xi8>) -> tensor<8xi8> {
  return %y : tensor<8xi8>
}
// SMALL-OK: tensor<8xi8>: [

func.func @small_result(%x: tensor<2xi8>) -> tensor<16xi8> {
  // RESULT: limits.mlir:[[# @LINE + 1]]:8: error: 'arith.constant' op result of type 'tensor<16xi8>' would take 128 bytes, more than the interpreter's limit of 100 bytes (8 per element)
  %0 = arith.constant dense<1> : tensor<16xi8>
  return %0 : tensor<16xi8>
}

// EMPTY: tensor<4611686018427387904x4x0xf32>: []
func.func @empty(%x: tensor<4611686018427387904x4x0xf32>)
    -> tensor<4611686018427387904x4x0xf32> {
  return %x : tensor<4611686018427387904x4x0xf32>
}
