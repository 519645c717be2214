// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-rewrite-multipliers
// RUN: not qopt %s --qopt-rewrite-multipliers=rounding=nearest 2>&1 | FileCheck %s --check-prefix=ROUNDING
// ROUNDING: error: unknown rounding 'nearest'; expected double or single

// M = 1 * 1 / 2^-31 = 2^31 needs a shift beyond 30.
func.func @unencodable(%x: tensor<1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>> {
  %w = qnn.const dense<1> : tensor<1x1xi8> -> tensor<1x1x!quant.uniform<i8:f32, 1.0>>
  // expected-error @below {{has a real multiplier that cannot be encoded as (M0, shift): M must be below 2^30}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x1x!quant.uniform<i8:f32, 1.0>>, tensor<1x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>>
  return %0 : tensor<1x1x!quant.uniform<i8:f32, 4.656612873077393e-10>>
}
