// What the interpreter cannot evaluate, and integer arithmetic that TensorFlow
// Lite's kernels would get wrong, are errors located at the op.

// RUN: not qopt-run %s --function unsupported_op 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OP
// RUN: not qopt-run %s --function accumulator_overflow 2>&1 | FileCheck %s --check-prefix=ACCUMULATOR
// RUN: not qopt-run %s --function left_shift_overflow 2>&1 | FileCheck %s --check-prefix=LEFT-SHIFT
// RUN: not qopt-run %s --function zero_point_overflow 2>&1 | FileCheck %s --check-prefix=ZERO-POINT
// RUN: not qopt-run %s --function unencodable_multiplier 2>&1 | FileCheck %s --check-prefix=MULTIPLIER
// RUN: not qopt-run %s --function wide_mul 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not qopt-run %s --function storage_cast_range 2>&1 | FileCheck %s --check-prefix=SCAST
// RUN: not qopt-run %s --function unsupported_result 2>&1 | FileCheck %s --check-prefix=RESULT

func.func @unsupported_op() -> tensor<2xf32> {
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // UNKNOWN-OP: errors.mlir:[[# @LINE + 1]]:8: error: 'arith.addf' op is not supported by the reference interpreter
  %0 = arith.addf %x, %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// 1 * 1 + (2^31 - 1) leaves int32.
func.func @accumulator_overflow() -> tensor<1x1xi32> {
  %input = arith.constant dense<1> : tensor<1x1xi8>
  %weights = arith.constant dense<1> : tensor<1x1xi8>
  %bias = arith.constant dense<2147483647> : tensor<1xi32>
  // ACCUMULATOR: errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.int.fully_connected' op accumulator 2147483648 at [0, 0] does not fit in int32
  %0 = qnn.int.fully_connected %input, %weights, %bias
       : (tensor<1x1xi8>, tensor<1x1xi8>, tensor<1xi32>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// M = 2 (2^30, shift 1) shifts 2^30 left to 2^31 before the high multiply.
func.func @left_shift_overflow() -> tensor<2xi8> {
  %x = arith.constant dense<[1, 1073741824]> : tensor<2xi32>
  // LEFT-SHIFT: errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.int.rescale' op input minus zero point 1073741824 at [1] shifted left by 1 (the multiplier's exponent) does not fit in int32
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
       : (tensor<2xi32>) -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// (2^31 - 1) * M with M = (2^31 - 1) / 2^31 rounds to 2^31 - 2; adding 127
// leaves int32 before the clamp.
func.func @zero_point_overflow() -> tensor<1xi8> {
  %x = arith.constant dense<2147483647> : tensor<1xi32>
  // ZERO-POINT: errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.int.rescale' op rescaled value 2147483646 at [0] plus the output zero point 127 does not fit in int32
  %0 = qnn.int.rescale %x {multiplier = array<i32: 2147483647>, shift = array<i32: 0>,
         output_zp = 127 : i64}
       : (tensor<1xi32>) -> tensor<1xi8>
  return %0 : tensor<1xi8>
}

// S_in / S_out = 1e10 is above 2^30.
func.func @unencodable_multiplier() -> tensor<1x!quant.uniform<i8:f32, 1.0e-10>> {
  %q = qnn.const dense<[1]> : tensor<1xi8> -> tensor<1x!quant.uniform<i8:f32, 1.0>>
  // MULTIPLIER: errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.requantize' op has a real multiplier that cannot be encoded as (M0, shift): M must be below 2^30
  %0 = qnn.requantize %q : (tensor<1x!quant.uniform<i8:f32, 1.0>>)
       -> tensor<1x!quant.uniform<i8:f32, 1.0e-10>>
  return %0 : tensor<1x!quant.uniform<i8:f32, 1.0e-10>>
}

func.func @wide_mul() -> tensor<1x!quant.uniform<i32:f32, 1.0>> {
  %q = qnn.const dense<[1]> : tensor<1xi32> -> tensor<1x!quant.uniform<i32:f32, 1.0>>
  // WIDE: errors.mlir:[[# @LINE + 1]]:8: error: 'qnn.mul' op has an operand of type '!quant.uniform<i32:f32, 1.000000e+00>' whose storage is wider than 16 bits
  %0 = qnn.mul %q, %q : (tensor<1x!quant.uniform<i32:f32, 1.0>>, tensor<1x!quant.uniform<i32:f32, 1.0>>)
       -> tensor<1x!quant.uniform<i32:f32, 1.0>>
  return %0 : tensor<1x!quant.uniform<i32:f32, 1.0>>
}

// -128 is outside the narrow storage range.
func.func @storage_cast_range() -> tensor<2x!quant.uniform<i8<-127:127>:f32, 1.0>> {
  %x = arith.constant dense<[5, -128]> : tensor<2xi8>
  // SCAST: errors.mlir:[[# @LINE + 1]]:8: error: 'quant.scast' op storage value -128 at [1] is outside the storage range [-127, 127] of '!quant.uniform<i8<-127:127>:f32, 1.000000e+00>'
  %0 = quant.scast %x : tensor<2xi8> to tensor<2x!quant.uniform<i8<-127:127>:f32, 1.0>>
  return %0 : tensor<2x!quant.uniform<i8<-127:127>:f32, 1.0>>
}

func.func @unsupported_result() -> tensor<2xi1> {
  // RESULT: errors.mlir:[[# @LINE + 1]]:8: error: 'arith.constant' op has result type 'tensor<2xi1>', which the reference interpreter does not support
  %0 = arith.constant dense<[true, false]> : tensor<2xi1>
  return %0 : tensor<2xi1>
}

