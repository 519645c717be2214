// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-rewrite-multipliers
// RUN: not qopt %s --qopt-rewrite-multipliers=rounding=nearest 2>&1 | FileCheck %s --check-prefix=ROUNDING
// ROUNDING: error: unknown rounding 'nearest'; expected double, single or float32

// M = 1 * 1 / 2^-31 = 2^31 needs a shift beyond 30.
func.func @unencodable(%x: tensor<1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>> {
  %w = qnn.const dense<1> : tensor<1x1xi8> -> tensor<1x1x!quant.uniform<i8:f32, 1.0>>
  // expected-error @below {{has a real multiplier that cannot be encoded as (M0, shift): M must be below 2^30}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x1x!quant.uniform<i8:f32, 1.0>>, tensor<1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>>
  return %0 : tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>>
}

// -----

// M = 2^29 is encodable (M0 = 2^30, shift 30), but i8 values shifted left by
// 30 leave int32: the qnn.int.rescale would not verify.
func.func @requantize_left_shift(%x: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 1.862645149230957e-09>> {
  // expected-error @below {{has a real multiplier whose left shift by 30 overflows int32: the values it scales reach 127, and 127 * 2^30 does not fit in int32}}
  %0 = qnn.requantize %x : (tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 1.862645149230957e-09>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 1.862645149230957e-09>>
}

// -----

// M = 1 * 1 / 2^-16 = 2^16 (shift 17) times products up to 128 * 128 = 2^14.
func.func @mul_left_shift(%a: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 1.52587890625e-05>> {
  // expected-error @below {{has a real multiplier whose left shift by 17 overflows int32: the values it scales reach 16384, and 16384 * 2^17 does not fit in int32}}
  %0 = qnn.mul %a, %a : (tensor<4x!quant.uniform<i8:f32, 1.0>>, tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 1.52587890625e-05>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 1.52587890625e-05>>
}
