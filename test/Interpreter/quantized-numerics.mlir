// The quantized level computes in the module's numerics (`qnn.numerics`),
// as --qopt-rewrite-multipliers does by default: under pytorch-qnnpack,
// inputs are quantized as nearbyint(r * (1 / S)) (ties to even), average
// pools round the mean of q - Z half to even, contractions requantize in
// float32 and additions weigh their inputs with one rounding
// (qnn.int.weighted_add); under tflite (or without the attribute) as
// TensorFlow Lite.

// Ties by hand: 0.25 / 0.5 = 0.5 rounds to 0 (even) or 1 (away from zero),
// 0.75 / 0.5 = 1.5 to 2 either way;
// the pool's window [1, 1, 2, 2] with Z = 1 averages 0.5 above Z, which
// gives Z + 0 = 1 (even), where TFLite's mean of storage values 1.5 gives 2.
// RUN: qopt-run %s --function=ties | FileCheck %s --check-prefix=QNNPACK
// RUN: sed 's/"pytorch-qnnpack"/"tflite"/' %s | qopt-run - --function=ties \
// RUN:   | FileCheck %s --check-prefix=TFLITE
// QNNPACK: tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>: [0, 2]
// QNNPACK-NEXT: tensor<1x1x1x1x!quant.uniform<u8:f32, 5.000000e-01:1>>: {{\[\[\[\[}}1]]]]
// TFLITE: tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>: [1, 2]
// TFLITE-NEXT: tensor<1x1x1x1x!quant.uniform<u8:f32, 5.000000e-01:1>>: {{\[\[\[\[}}2]]]]

// A small network equals its integer form under either numerics, on random
// inputs (the values compared, not the types), and the two numerics do not
// give the same integers:
// RUN: qopt-run %s --function=network --random-inputs=3 | sed 's/.*>: //' > %t.quantized
// RUN: qopt %s --qopt-rewrite-multipliers | qopt-run - --function=network \
// RUN:   --random-inputs=3 | sed 's/.*>: //' > %t.integer
// RUN: diff %t.quantized %t.integer
// RUN: sed 's/"pytorch-qnnpack"/"tflite"/' %s > %t.tflite.mlir
// RUN: qopt-run %t.tflite.mlir --function=network --random-inputs=3 | sed 's/.*>: //' > %t.tflite.quantized
// RUN: qopt %t.tflite.mlir --qopt-rewrite-multipliers | qopt-run - \
// RUN:   --function=network --random-inputs=3 | sed 's/.*>: //' > %t.tflite.integer
// RUN: diff %t.tflite.quantized %t.tflite.integer
// RUN: not diff %t.quantized %t.tflite.quantized
// Compiled code computes the same, and a tool's --numerics becomes the
// module's, which --check-numerics then holds the passes to:
// RUN: qopt-run %s --function=network --random-inputs=3 --jit --check-numerics \
// RUN:   | sed 's/.*>: //' | diff - %t.quantized
// RUN: qopt-run %s --function=network --random-inputs=3 --jit --check-numerics \
// RUN:   --numerics=tflite | sed 's/.*>: //' | diff - %t.tflite.quantized
//
// So --qopt-check-numerics finds every pass exact under the module's
// numerics; a pipeline told to compute in other numerics than the module's
// changes results at the multiplier rewrite, and the check says so:
// RUN: qopt %s --qopt-check-numerics=seeds=3 --qopt-pipeline=target=x86-avx512vnni \
// RUN:   -o /dev/null 2>&1 | count 0
// RUN: not qopt %s --qopt-check-numerics=seeds=3 --qopt-pipeline=numerics=tflite \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=OVERRIDE
// OVERRIDE: error: --qopt-check-numerics: pass 'qopt-rewrite-multipliers' changed the result of

module attributes {qnn.numerics = "pytorch-qnnpack"} {

func.func @ties() -> (tensor<2x!quant.uniform<i8:f32, 0.5>>,
                      tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:1>>) {
  %x = arith.constant dense<[0.25, 0.75]> : tensor<2xf32>
  %q = qnn.quantize %x : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %p = qnn.const dense<[[[[1], [1]], [[2], [2]]]]> : tensor<1x2x2x1xi8>
       -> tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:1>>
  %a = qnn.avg_pool2d %p {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
       : (tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:1>>)
       -> tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:1>>
  return %q, %a : tensor<2x!quant.uniform<i8:f32, 0.5>>,
                  tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:1>>
}

func.func @network(%x: tensor<1x6x6x3xf32>) -> (tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>, tensor<1x3x3x4xf32>) {
  %q = qnn.quantize %x : (tensor<1x6x6x3xf32>) -> tensor<1x6x6x3x!quant.uniform<u8:f32, 0.0078431377:128>>
  %w = qnn.const dense<[[[[-45,115,-89],[-26,39,-115],[-109,83,10]],[[-103,-34,22],[-113,105,2],[-73,-118,-105]],[[-16,-20,-110],[-66,-104,14],[-19,-112,84]]],[[[17,-96,115],[-70,34,33],[22,115,-112]],[[20,22,-26],[-115,122,-71],[-116,15,92]],[[-93,-53,-20],[-91,11,-97],[19,-49,16]]],[[[81,47,-81],[-101,21,19],[36,-79,-32]],[[-103,13,55],[-111,17,-112],[31,-75,0]],[[47,9,-18],[71,-47,-8],[22,109,-11]]],[[[-35,-51,-64],[76,-81,51],[72,-65,-107]],[[20,-51,7],[-1,97,-40],[59,-13,-54]],[[28,123,-109],[-97,4,-20],[-85,66,-40]]]]> : tensor<4x3x3x3xi8>
       -> tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.0031, 0.0047, 0.0023, 0.0061}>>
  %b = qnn.const dense<[-1755, 1005, 454, -2679]> : tensor<4xi32>
       -> tensor<4x!quant.uniform<i32:f32:0, {2.431372687e-05, 3.686274719e-05, 1.803921671e-05, 4.784313997e-05}>>
  %c = qnn.conv2d %q, %w, %b {padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x6x6x3x!quant.uniform<u8:f32, 0.0078431377:128>>,
          tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.0031, 0.0047, 0.0023, 0.0061}>>,
          tensor<4x!quant.uniform<i32:f32:0, {2.431372687e-05, 3.686274719e-05, 1.803921671e-05, 4.784313997e-05}>>)
       -> tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>
  %c2 = qnn.requantize %c : (tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>)
       -> tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0052:128>>
  %s = qnn.add %c, %c2 : (tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>,
                          tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0052:128>>)
       -> tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>
  %a = qnn.avg_pool2d %s {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
       : (tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>)
       -> tensor<1x3x3x4x!quant.uniform<u8:f32, 0.0071:131>>
  %r = qnn.requantize %a : (tensor<1x3x3x4x!quant.uniform<u8:f32, 0.0071:131>>)
       -> tensor<1x3x3x4x!quant.uniform<u8:f32, 0.0033:120>>
  %d = qnn.dequantize %r : (tensor<1x3x3x4x!quant.uniform<u8:f32, 0.0033:120>>) -> tensor<1x3x3x4xf32>
  return %c, %d : tensor<1x6x6x4x!quant.uniform<u8:f32, 0.0071:131>>, tensor<1x3x3x4xf32>
}

}
