// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-propagate-quant-params
// RUN: not qopt %s --qopt-propagate-quant-params=scheme=sse 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qopt %s --qopt-propagate-quant-params=weight-type=int4 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: not qopt %s --qopt-propagate-quant-params=concat=average 2>&1 | FileCheck %s --check-prefix=CONCAT
// RUN: not qopt %s --qopt-propagate-quant-params=per-channel=yes 2>&1 | FileCheck %s --check-prefix=FLAG
// SCHEME: error: unknown quantization scheme 'sse'; expected gemmlowp, fbgemm, qnnpack or tflite
// TYPE: error: unknown storage type 'int4'; expected int8 or uint8
// CONCAT: error: unknown concat mode 'average'; expected unify or requantize
// FLAG: error: 'per-channel' must be true or false, got 'yes'

// What --qopt-propagate-quant-params rejects, each at the op that needs
// what is missing. A failing function is left unchanged.

// expected-note @below {{it is function argument #0}}
func.func @unmarked_argument(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'input' has no quantization parameters: mark it with a qnn.range holding the range observed in training or calibration}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %1 = qnn.range %0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

// A range that cannot be quantized says why. gemmlowp (the default here) takes
// uint8 narrow_range as [1, 255]; PyTorch's observers (fbgemm) need 0 in the
// storage range; TensorFlow's float32 bounds cannot hold 1e39.
// RUN: not qopt %s -split-input-file --qopt-propagate-quant-params=scheme=fbgemm 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FBGEMM
// RUN: not qopt %s -split-input-file --qopt-propagate-quant-params=scheme=tflite 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TFLITE
// FBGEMM: error: 'qnn.range' op range cannot be quantized: PyTorch's observers need a storage range that contains 0, and [1, 255] does not
// TFLITE: error: 'qnn.range' op range cannot be quantized: a bound is beyond the float32 range
func.func @unquantizable_ranges(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, narrow_range = true} : tensor<4xf32>
  %1 = qnn.add %0, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = qnn.range %1 {min = -1.0e39 : f64, max = 2.0 : f64} : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

func.func @unmarked_result(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  // expected-error @below {{result has no quantization parameters: mark it with a qnn.range}}
  %1 = qnn.fully_connected %0, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

func.func @variable_weights(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  // expected-error @below {{weights must be float constants to be quantized at compile time}}
  %1 = qnn.fully_connected %0, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %2 = qnn.range %1 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

func.func @nan_weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0x7FC00000], [0.0, 1.0]]> : tensor<2x2xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  // expected-error @below {{weights contain NaN or infinity}}
  %1 = qnn.fully_connected %0, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %2 = qnn.range %1 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

func.func @bias_overflow(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0e-3> : tensor<2x2xf32>
  %b = arith.constant dense<[1.0e6, 0.0]> : tensor<2xf32>
  %0 = qnn.range %x {min = -1.0e-3 : f64, max = 1.0e-3 : f64} : tensor<1x2xf32>
  // expected-error @below {{bias 1.000000e+06 of channel 0 does not fit in int32 at scale 3.075740e-11}}
  %1 = qnn.fully_connected %0, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = qnn.range %1 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

func.func @unfolded_batch_norm(%x: tensor<1x2xf32>, %v: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  // expected-error @below {{must be folded before quantization (run --qopt-fold-batch-norm first)}}
  %1 = qnn.batch_norm %0, %v, %v, %v, %v : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

// expected-note @below {{it is function argument #1}}
func.func @unmarked_add_operand(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.range %a {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  // expected-error @below {{'rhs' has no quantization parameters}}
  %1 = qnn.add %0, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = qnn.range %1 {min = 0.0 : f64, max = 2.0 : f64} : tensor<4xf32>
  return %2 : tensor<4xf32>
}


// -----

// A splat of 10^10 weights is a few bytes in the IR but 80 GB as doubles:
// refused before its values are read.
func.func @oversized_weights(%x: tensor<1x100000xf32>) -> tensor<1x100000xf32> {
  %w = arith.constant dense<0.25> : tensor<100000x100000xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x100000xf32>
  // expected-error @below {{weights of type 'tensor<100000x100000xf32>' have more than the 268435456 elements a constant quantized at compile time may have}}
  %1 = qnn.fully_connected %0, %w : (tensor<1x100000xf32>, tensor<100000x100000xf32>) -> tensor<1x100000xf32>
  %2 = qnn.range %1 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x100000xf32>
  return %2 : tensor<1x100000xf32>
}

// -----

func.func @per_channel_activation(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @below {{per-channel ranges ('axis') are only valid on the constant weights of a contraction}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, axis = 1 : i64, channel_min = array<f64: -1.0, 0.0>, channel_max = array<f64: 1.0, 1.0>} : tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @weights_range_wrong_axis(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x3xf32>
  // expected-error @below {{per-channel weight ranges must be along the output-channel axis 0 of the weights}}
  %1 = qnn.range %w {min = -1.0 : f64, max = 1.0 : f64, axis = 1 : i64, channel_min = array<f64: -1.0, 0.0, 0.0>, channel_max = array<f64: 1.0, 1.0, 1.0>} : tensor<2x3xf32>
  %2 = qnn.fully_connected %0, %1 : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %3 = qnn.range %2 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %3 : tensor<1x2xf32>
}
