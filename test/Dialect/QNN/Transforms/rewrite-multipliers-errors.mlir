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

// -----

// qnnpack's add (numerics pytorch-qnnpack) refuses an input whose scale is
// 2^8 times the output's.
module attributes {qnn.numerics = "pytorch-qnnpack"} {
  func.func @qnnpack_add_ratio(%a: tensor<4x!quant.uniform<u8:f32, 256.0:3>>, %b: tensor<4x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:3>> {
    // expected-error @below {{has scales that PyTorch qnnpack's addition does not support: each input scale divided by the output scale must be in [2^-14, 2^8), and the larger at least 2^-10}}
    %0 = qnn.add %a, %b : (tensor<4x!quant.uniform<u8:f32, 256.0:3>>, tensor<4x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:3>>
    return %0 : tensor<4x!quant.uniform<u8:f32, 1.0:3>>
  }
}

// -----

// 16-bit values weighted as qnnpack weighs 8-bit ones: 32768 * 2^21 twice.
module attributes {qnn.numerics = "pytorch-qnnpack"} {
  func.func @qnnpack_add_16_bit(%a: tensor<4x!quant.uniform<i16:f32, 1.0>>) -> tensor<4x!quant.uniform<i16:f32, 1.0>> {
    // expected-error @below {{has a qnnpack weighted sum that reaches -137438953472 and overflows int32 (qnnpack adds 8-bit values)}}
    %0 = qnn.add %a, %a : (tensor<4x!quant.uniform<i16:f32, 1.0>>, tensor<4x!quant.uniform<i16:f32, 1.0>>) -> tensor<4x!quant.uniform<i16:f32, 1.0>>
    return %0 : tensor<4x!quant.uniform<i16:f32, 1.0>>
  }
}
