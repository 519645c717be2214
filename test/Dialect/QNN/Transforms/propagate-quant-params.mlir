// RUN: qopt %s -split-input-file --qopt-propagate-quant-params | FileCheck %s
// RUN: qopt %s -split-input-file --qopt-propagate-quant-params=scheme=fbgemm | FileCheck %s --check-prefix=FBGEMM
// RUN: qopt %s -split-input-file --qopt-propagate-quant-params=scheme=tflite | FileCheck %s --check-prefix=TFLITE
// RUN: qopt %s -split-input-file --qopt-propagate-quant-params=concat=requantize | FileCheck %s --check-prefix=REQUANTIZE
// RUN: qopt %s -split-input-file --qopt-propagate-quant-params="scheme=tflite weight-type=uint8 per-channel=false symmetric-weights=false narrow-range-weights=false" | FileCheck %s --check-prefix=OVERRIDE

// Scale and zero-point arithmetic itself is tested against PyTorch and
// reference implementations in unittests/Dialect/QNN/Utils/QuantParamsTest.cpp;
// here: which tensor gets which parameters, and what the pass inserts.

// Default scheme (gemmlowp): uint8 everywhere. [-1, 1] gives S = 2/255 and
// Z = round(127.5) = 128; the bias scale is S_in * S_w = (2/255)^2.
// CHECK-LABEL: func.func @fully_connected
// CHECK:      %[[X:.*]] = qnn.quantize %{{.*}} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT: %[[W:.*]] = qnn.const dense<{{\[}}[192, 96, 255, 128], [1, 224, 192, 160]]> : tensor<2x4xui8> -> tensor<2x4x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT: %[[B:.*]] = qnn.const dense<[1626, -3251]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32, 6.1514801999231058E-5>>
// CHECK-NEXT: %[[Y:.*]] = qnn.fully_connected %[[X]], %[[W]], %[[B]] {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.015686274509803921:128>>
// CHECK-NEXT: %[[R:.*]] = qnn.dequantize %[[Y]] : {{.*}} -> tensor<1x2xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-NOT:  qnn.range

// fbgemm: PyTorch's observers in float32 (zero point 127 for [-1, 1]),
// symmetric per-channel int8 weights with S = max|w| / 127.5.
// FBGEMM-LABEL: func.func @fully_connected
// FBGEMM:       qnn.quantize {{.*}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// FBGEMM-NEXT:  qnn.const dense<{{\[}}[64, -32, 127, 0], [-127, 96, 64, 32]]> : tensor<2x4xi8> -> tensor<2x4x!quant.uniform<i8:f32:0, {0.0078431377187371254,0.0078431377187371254}>>
// FBGEMM-NEXT:  qnn.const dense<[1626, -3251]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {6.1514809275077E-5,6.1514809275077E-5}>>

// tflite: int8 activations (Z = round(-0.5) = -1, half away from zero),
// narrow per-channel weights with S = max|w| / 127.
// TFLITE-LABEL: func.func @fully_connected
// TFLITE:       qnn.quantize {{.*}} -> tensor<1x4x!quant.uniform<i8:f32, 0.0078431377187371254:-1>>
// TFLITE-NEXT:  qnn.const dense<{{\[}}[64, -32, 127, 0], [-127, 95, 64, 32]]> : tensor<2x4xi8> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157186985015,0.0078740157186985015}>>
// TFLITE-NEXT:  qnn.const dense<[1619, -3238]> : tensor<2xi32>

// Options override the scheme.
// OVERRIDE-LABEL: func.func @fully_connected
// OVERRIDE:       qnn.quantize {{.*}} -> tensor<1x4x!quant.uniform<i8:f32, 0.0078431377187371254:-1>>
// OVERRIDE-NEXT:  qnn.const dense<{{\[}}[191, 95, 254, 127], [0, 223, 191, 159]]> : tensor<2x4xui8> -> tensor<2x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
func.func @fully_connected(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[0.5, -0.25, 1.0, 0.0], [-1.0, 0.75, 0.5, 0.25]]> : tensor<2x4xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4xf32>
  %1 = qnn.fully_connected %0, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = qnn.range %1 {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

// The clamp's input feeds nothing else: the conv quantizes to the range
// after the clamp ([0, 0.5], not [-0.5, 0.5]) and the clamp keeps that type.
// CHECK-LABEL: func.func @conv_relu6_fused
// CHECK:       qnn.const dense<{{\[\[\[\[}}255]]], {{\[\[\[}}0]]]]> : tensor<2x1x1x1xui8> -> tensor<2x1x1x1x!quant.uniform<u8:f32, 0.0029411764705882353:85>>
// CHECK:       qnn.conv2d {{.*}} -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0019607843137254902>>
// CHECK-NEXT:  qnn.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0019607843137254902>>
// CHECK-NEXT:  qnn.dequantize
func.func @conv_relu6_fused(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[0.5]]], [[[-0.25]]]]> : tensor<2x1x1x1xf32>
  %0 = qnn.range %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<1x4x4x1xf32>
  %1 = qnn.conv2d %0, %w : (tensor<1x4x4x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %2 = qnn.range %1 {min = -0.5 : f64, max = 0.5 : f64} : tensor<1x4x4x2xf32>
  %3 = qnn.clamp %2 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4x4x2xf32>
  %4 = qnn.range %3 {min = 0.0 : f64, max = 0.5 : f64} : tensor<1x4x4x2xf32>
  return %4 : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @per_channel_weights
// CHECK:       qnn.conv2d {{.*}} tensor<2x1x1x2x!quant.uniform<u8:f32, 0.0058823529411764705:170>>, tensor<2x!quant.uniform<i32:f32, 9.2272202998846601E-5>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.031372549019607843:128>>

// One scale per output channel (axis 0 of OHWI), and the bias follows it.
// FBGEMM-LABEL: func.func @per_channel_weights
// FBGEMM:       qnn.quantize {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.015686275437474251:64>>
// FBGEMM-NEXT:  qnn.const dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.0078431377187371254,0.0019607844296842813}>>
// FBGEMM-NEXT:  qnn.const dense<[8128, -32512]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {1.23029618550154E-4,3.07574046375385E-5}>>
func.func @per_channel_weights(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 3.0 : f64} : tensor<1x2x2x2xf32>
  %1 = qnn.conv2d %0, %w, %b : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %2 = qnn.range %1 {min = -4.0 : f64, max = 4.0 : f64} : tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
}

// -----

// max_pool2d, pad (real 0 is the zero point), avg_pool2d and reshape keep
// their input's type; the marker at the end asks for another scale, hence
// one requantize.
// CHECK-LABEL: func.func @data_movement
// CHECK:       qnn.max_pool2d {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT:  qnn.pad {{.*}} -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT:  qnn.avg_pool2d {{.*}} -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT:  qnn.reshape {{.*}} -> tensor<1x32x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT:  qnn.reshape {{.*}} -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// CHECK-NEXT:  qnn.requantize {{.*}} -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.015686274509803921:128>>
// CHECK-NEXT:  qnn.dequantize
func.func @data_movement(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x2xf32>
  %1 = qnn.max_pool2d %0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = qnn.pad %1 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>} : (tensor<1x2x2x2xf32>) -> tensor<1x4x4x2xf32>
  %3 = qnn.avg_pool2d %2 {kernel = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %4 = qnn.reshape %3 : (tensor<1x4x4x2xf32>) -> tensor<1x32xf32>
  %5 = qnn.reshape %4 : (tensor<1x32xf32>) -> tensor<1x4x4x2xf32>
  %6 = qnn.range %5 {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x4x4x2xf32>
  return %6 : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @add_keeps_operand_scales
// CHECK:       qnn.add %{{.*}}, %{{.*}} : (tensor<4x!quant.uniform<u8:f32, 0.0039215686274509803>>, tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.019607843137254902:102>>
// CHECK-NOT:   qnn.requantize
func.func @add_keeps_operand_scales(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qnn.range %a {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  %1 = qnn.range %b {min = -2.0 : f64, max = 2.0 : f64} : tensor<4xf32>
  %2 = qnn.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = qnn.range %2 {min = -2.0 : f64, max = 3.0 : f64} : tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// unify: both producers take the concat's type; the argument cannot, and is
// requantized.
// CHECK-LABEL: func.func @concat
// CHECK:       %[[A:.*]] = qnn.fully_connected {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.031372549019607843:128>>
// CHECK:       %[[B:.*]] = qnn.fully_connected {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.031372549019607843:128>>
// CHECK-NEXT:  %[[C:.*]] = qnn.requantize %{{.*}} : (tensor<1x2x!quant.uniform<u8:f32, 0.031372549019607843>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.031372549019607843:128>>
// CHECK-NEXT:  qnn.concat %[[A]], %[[B]], %[[C]] {axis = 1 : i64} {{.*}} -> tensor<1x6x!quant.uniform<u8:f32, 0.031372549019607843:128>>

// requantize: every input keeps its marker and is requantized.
// REQUANTIZE-LABEL: func.func @concat
// REQUANTIZE:       qnn.fully_connected {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.0078431372549019607:128>>
// REQUANTIZE:       qnn.fully_connected {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.023529411764705882:128>>
// REQUANTIZE-COUNT-3: qnn.requantize {{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 0.031372549019607843:128>>
// REQUANTIZE-NEXT:  qnn.concat
func.func @concat(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> tensor<1x6xf32> {
  %w = arith.constant dense<[[1.0, 0.5], [0.25, -1.0]]> : tensor<2x2xf32>
  %0 = qnn.range %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  %1 = qnn.fully_connected %0, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %2 = qnn.range %1 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  %3 = qnn.fully_connected %0, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %4 = qnn.range %3 {min = -3.0 : f64, max = 3.0 : f64} : tensor<1x2xf32>
  %5 = qnn.range %y {min = 0.0 : f64, max = 8.0 : f64} : tensor<1x2xf32>
  %6 = qnn.concat %2, %4, %5 {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x6xf32>
  %7 = qnn.range %6 {min = -4.0 : f64, max = 4.0 : f64} : tensor<1x6xf32>
  return %7 : tensor<1x6xf32>
}

// -----

// The fully connected result also feeds a reshape, so the clamp cannot be
// fused: it computes in the producer's type and its marker is honoured by a
// requantize.
// CHECK-LABEL: func.func @unfused_clamp
// CHECK:       %[[FC:.*]] = qnn.fully_connected {{.*}} -> tensor<1x4x!quant.uniform<u8:f32, 0.015686274509803921:128>>
// CHECK-NEXT:  %[[CL:.*]] = qnn.clamp %[[FC]] {{.*}} : tensor<1x4x!quant.uniform<u8:f32, 0.015686274509803921:128>>
// CHECK-NEXT:  qnn.requantize %[[CL]] {{.*}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0078431372549019607>>
// CHECK:       qnn.reshape %[[FC]]
func.func @unfused_clamp(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %w = arith.constant dense<[[1.0, 0.5, 0.25, 0.0], [1.0, 0.5, 0.25, 0.0], [1.0, 0.5, 0.25, 0.0], [1.0, 0.5, 0.25, 0.0]]> : tensor<4x4xf32>
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  %1 = qnn.reshape %0 : (tensor<4xf32>) -> tensor<1x4xf32>
  %2 = qnn.fully_connected %1, %w : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  %3 = qnn.range %2 {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x4xf32>
  %4 = qnn.clamp %3 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4xf32>
  %5 = qnn.range %4 {min = 0.0 : f64, max = 2.0 : f64} : tensor<1x4xf32>
  %6 = qnn.reshape %5 : (tensor<1x4xf32>) -> tensor<4xf32>
  %7 = qnn.reshape %3 : (tensor<1x4xf32>) -> tensor<4xf32>
  return %6, %7 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A degenerate range (all zeros seen in calibration) is not a division by
// zero: any positive scale represents 0 exactly; gemmlowp/TensorFlow get 1.0
// with Z = qmin, PyTorch its float32-epsilon scale.
// CHECK-LABEL: func.func @degenerate_range
// CHECK:       qnn.quantize {{.*}} -> tensor<4x!quant.uniform<u8:f32, 1.000000e+00>>
// FBGEMM-LABEL: func.func @degenerate_range
// FBGEMM:       qnn.quantize {{.*}} -> tensor<4x!quant.uniform<u8:f32, 1.1920928955078125E-7>>
func.func @degenerate_range(%x: tensor<4xf32>) -> tensor<2x2xf32> {
  %0 = qnn.range %x {min = 0.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  %1 = qnn.reshape %0 : (tensor<4xf32>) -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// Integer-level IR (the shared data-movement and pooling ops on integer
// tensors) is past the pass's level: it is left as it is, so that a
// pipeline from any level can run the pass.
// CHECK-LABEL: func.func @integer_level
// CHECK-NEXT:    %[[P:.*]] = qnn.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>} : (tensor<1x2x2x3xi8>) -> tensor<1x1x1x3xi8>
// CHECK-NEXT:    %[[R:.*]] = qnn.reshape %[[P]] : (tensor<1x1x1x3xi8>) -> tensor<1x3xi8>
// CHECK-NEXT:    return %[[R]]
func.func @integer_level(%x: tensor<1x2x2x3xi8>) -> tensor<1x3xi8> {
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x2x2x3xi8>) -> tensor<1x1x1x3xi8>
  %1 = qnn.reshape %0 : (tensor<1x1x1x3xi8>) -> tensor<1x3xi8>
  return %1 : tensor<1x3xi8>
}

// -----

// A declaration has nothing to quantize and is left as it is (the pass used
// to insert into the first block of its empty body, found by qopt-fuzz).
// CHECK-LABEL: func.func private @declaration(tensor<2xf32>) -> tensor<2xf32>
// CHECK-LABEL: func.func @calls_declaration
// CHECK-NEXT:    call @declaration
func.func private @declaration(tensor<2xf32>) -> tensor<2xf32>
func.func @calls_declaration(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @declaration(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
