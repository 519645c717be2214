// A small network at the quantized level, written by hand with scales chosen
// so that every exported integer can be checked with a few lines of
// arithmetic (see ../qopt-export-json.test):
//   @net          conv2d with per-channel weights (one with a nonzero zero
//                 point) and a fused ReLU6, depthwise_conv2d without bias, an
//                 add of two tensors of different scales, avg_pool2d that
//                 changes the scale, and a fully connected layer with
//                 per-tensor weights;
//   @more_layers  mul by a constant, fused ReLU, requantize, max_pool2d, a
//                 clamp of its own, pad, avg_pool2d that keeps the scale, and
//                 concat.

!x  = !quant.uniform<i8:f32, 0.02:-3>
!w1 = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.004:2}>
!b1 = !quant.uniform<i32:f32:0, {2.0e-04, 8.0e-05}>
!c1 = !quant.uniform<i8:f32, 0.025:-128>
!w2 = !quant.uniform<i8<-127:127>:f32:3, {0.05, 0.02}>
!d2 = !quant.uniform<i8:f32, 0.1:5>
!y  = !quant.uniform<i8:f32, 0.03>
!s  = !quant.uniform<i8:f32, 0.15:-10>
!p  = !quant.uniform<i8:f32, 0.1:-10>
!w4 = !quant.uniform<i8<-127:127>:f32, 0.02>
!b4 = !quant.uniform<i32:f32, 2.0e-03>
!o  = !quant.uniform<i8:f32, 0.05:1>

func.func @net(%arg0: tensor<1x4x4x2xf32>, %arg1: tensor<1x3x3x2xf32>) -> tensor<1x3xf32> {
  %x = qnn.quantize %arg0 : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2x!x>
  %w1 = qnn.const dense<[[[[100, 110], [120, 127]], [[90, 80], [70, 60]]],
                         [[[-1, -2], [10, 20]], [[0, 5], [-7, 9]]]]>
        : tensor<2x2x2x2xi8> -> tensor<2x2x2x2x!w1>
  %b1 = qnn.const dense<[100, -50]> : tensor<2xi32> -> tensor<2x!b1>
  %c1 = qnn.conv2d %x, %w1, %b1 {padding = array<i64: 0, 1, 0, 1>}
        : (tensor<1x4x4x2x!x>, tensor<2x2x2x2x!w1>, tensor<2x!b1>) -> tensor<1x4x4x2x!c1> loc("conv1")
  %r1 = qnn.clamp %c1 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4x4x2x!c1>
  %w2 = qnn.const dense<[[[[10, -20], [30, 40]], [[-50, 60], [70, -80]]]]>
        : tensor<1x2x2x2xi8> -> tensor<1x2x2x2x!w2>
  %d2 = qnn.depthwise_conv2d %r1, %w2
        : (tensor<1x4x4x2x!c1>, tensor<1x2x2x2x!w2>) -> tensor<1x3x3x2x!d2>
  %y = qnn.quantize %arg1 : (tensor<1x3x3x2xf32>) -> tensor<1x3x3x2x!y>
  %s = qnn.add %d2, %y : (tensor<1x3x3x2x!d2>, tensor<1x3x3x2x!y>) -> tensor<1x3x3x2x!s>
  %p = qnn.avg_pool2d %s {kernel = array<i64: 3, 3>} : (tensor<1x3x3x2x!s>) -> tensor<1x1x1x2x!p>
  %f = qnn.reshape %p : (tensor<1x1x1x2x!p>) -> tensor<1x2x!p>
  %w4 = qnn.const dense<[[10, -20], [30, 40], [-50, 60]]> : tensor<3x2xi8> -> tensor<3x2x!w4>
  %b4 = qnn.const dense<[7, -8, 9]> : tensor<3xi32> -> tensor<3x!b4>
  %l = qnn.fully_connected %f, %w4, %b4 {qopt.name = "head"}
       : (tensor<1x2x!p>, tensor<3x2x!w4>, tensor<3x!b4>) -> tensor<1x3x!o>
  %out = qnn.dequantize %l : (tensor<1x3x!o>) -> tensor<1x3xf32>
  return %out : tensor<1x3xf32>
}

!a = !quant.uniform<u8:f32, 0.5:128>
!k = !quant.uniform<u8:f32, 0.25>
!m = !quant.uniform<u8:f32, 0.75:10>
!q = !quant.uniform<u8:f32, 1.25:20>

func.func @more_layers(%arg0: tensor<1x2x2x1xf32>) -> tensor<1x2x4x2xf32> {
  %a = qnn.quantize %arg0 : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1x!a> loc("block")
  %k = qnn.const dense<[[[[1], [2]], [[3], [4]]]]> : tensor<1x2x2x1xui8> -> tensor<1x2x2x1x!k>
  %m = qnn.mul %a, %k : (tensor<1x2x2x1x!a>, tensor<1x2x2x1x!k>) -> tensor<1x2x2x1x!m> loc("block")
  %r = qnn.clamp %m {min = 0.0 : f64, max = 0x7FF0000000000000 : f64} : tensor<1x2x2x1x!m>
  %q = qnn.requantize %r : (tensor<1x2x2x1x!m>) -> tensor<1x2x2x1x!q>
  %mp = qnn.max_pool2d %q {kernel = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>}
        : (tensor<1x2x2x1x!q>) -> tensor<1x2x2x1x!q>
  %c = qnn.clamp %mp {min = -1.0 : f64, max = 100.0 : f64} : tensor<1x2x2x1x!q>
  %pd = qnn.pad %c {padding = array<i64: 0, 0, 0, 0, 0, 2, 0, 0>, value = 2.5 : f64}
        : (tensor<1x2x2x1x!q>) -> tensor<1x2x4x1x!q>
  %ap = qnn.avg_pool2d %pd {kernel = array<i64: 1, 1>} : (tensor<1x2x4x1x!q>) -> tensor<1x2x4x1x!q>
  %cat = qnn.concat %ap, %pd {axis = 3 : i64}
         : (tensor<1x2x4x1x!q>, tensor<1x2x4x1x!q>) -> tensor<1x2x4x2x!q>
  %out = qnn.dequantize %cat : (tensor<1x2x4x2x!q>) -> tensor<1x2x4x2xf32>
  return %out : tensor<1x2x4x2xf32>
}
