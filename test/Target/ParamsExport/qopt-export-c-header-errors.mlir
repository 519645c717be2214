// RUN: qopt-translate --qopt-export-c-header %s -split-input-file -verify-diagnostics

// What only the C header cannot hold; the JSON export of the same input
// succeeds. The parameters are no longer tied to ops at this point, so the
// errors are at the module.

// @f_g's layer h and @f's layer g_h would both be f_g_h_*.
// expected-error @below {{two parameters map to the C identifier 'F_G_H_KIND'; rename a layer (qopt.name) or a function}}
module {
  func.func @f_g(%x: tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
    %0 = qnn.quantize %x : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> loc("h")
    return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
  }
  func.func @f(%x: tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
    %0 = qnn.quantize %x : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> loc("g_h")
    return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
  }
}

// -----

// Shapes are int32_t tables.
// expected-error @below {{value 3000000000 of 'big_arguments_0_shape' does not fit in int32_t}}
module {
  func.func @big(%x: tensor<3000000000xf32>) -> tensor<3000000000xf32> {
    return %x : tensor<3000000000xf32>
  }
}
