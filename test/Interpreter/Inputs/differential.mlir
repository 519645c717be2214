// Quantized-level functions for the differential tests: every op kind the
// integer passes rewrite, with signed, unsigned, narrow and per-channel types,
// zero points everywhere, padding at the borders and fused activations.

!in = !quant.uniform<u8:f32, 0.031:131>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.011, 0.007, 0.0053}>
!b = !quant.uniform<i32:f32:0, {0.000341, 0.000217, 0.0001643}>
!act = !quant.uniform<u8:f32, 0.047:12>
!dw = !quant.uniform<u8:f32:3, {0.021:120, 0.019:130, 0.017:127}>
!dwb = !quant.uniform<i32:f32:0, {0.000987, 0.000893, 0.000799}>
!act2 = !quant.uniform<u8:f32, 0.09:100>
!sum = !quant.uniform<u8:f32, 0.11:70>
!pool = !quant.uniform<u8:f32, 0.05:90>
!narrow = !quant.uniform<i8<-127:127>:f32, 0.13:3>
!fcw = !quant.uniform<i8:f32, 0.02:-3>
!fcb = !quant.uniform<i32:f32, 0.001>
!logit = !quant.uniform<i8:f32, 0.06:-5>

func.func @network(%x: tensor<1x5x5x2x!in>) -> (tensor<1x3x!logit>, tensor<1x2x2x3x!narrow>) {
  %w = qnn.const dense<[[[[1, -2], [3, 4], [-5, 6]], [[7, -8], [9, 10], [-11, 12]], [[13, 14], [-15, 16], [17, -18]]],
                        [[[-19, 20], [21, -22], [23, 24]], [[-25, 26], [27, 28], [-29, 30]], [[31, -32], [33, 34], [-35, 36]]],
                        [[[37, 38], [-39, 40], [41, -42]], [[43, 44], [-45, 46], [47, 48]], [[-49, 50], [51, -52], [127, -127]]]]>
      : tensor<3x3x3x2xi8> -> tensor<3x3x3x2x!w>
  %b = qnn.const dense<[100, -200, 300]> : tensor<3xi32> -> tensor<3x!b>
  %c = qnn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x5x5x2x!in>, tensor<3x3x3x2x!w>, tensor<3x!b>) -> tensor<1x5x5x3x!act>
  %r = qnn.clamp %c {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x5x5x3x!act>
  %dww = qnn.const dense<[[[[1, 200, 30], [40, 250, 6]], [[70, 8, 90], [100, 11, 120]]]]>
      : tensor<1x2x2x3xui8> -> tensor<1x2x2x3x!dw>
  %dwb = qnn.const dense<[-50, 60, 70]> : tensor<3xi32> -> tensor<3x!dwb>
  %d = qnn.depthwise_conv2d %r, %dww, %dwb {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>}
       : (tensor<1x5x5x3x!act>, tensor<1x2x2x3x!dw>, tensor<3x!dwb>) -> tensor<1x3x3x3x!act2>
  %p = qnn.max_pool2d %r {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x5x5x3x!act>) -> tensor<1x3x3x3x!act>
  %s = qnn.add %d, %p : (tensor<1x3x3x3x!act2>, tensor<1x3x3x3x!act>) -> tensor<1x3x3x3x!sum>
  %m = qnn.mul %s, %d : (tensor<1x3x3x3x!sum>, tensor<1x3x3x3x!act2>) -> tensor<1x3x3x3x!sum>
  %a = qnn.avg_pool2d %m {kernel = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>}
       : (tensor<1x3x3x3x!sum>) -> tensor<1x2x2x3x!pool>
  %n = qnn.requantize %a : (tensor<1x2x2x3x!pool>) -> tensor<1x2x2x3x!narrow>
  %f = qnn.reshape %a : (tensor<1x2x2x3x!pool>) -> tensor<1x12x!pool>
  %fw = qnn.const dense<[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -128],
                         [127, 0, -127, 0, 64, 0, -64, 0, 32, 0, -32, 0]]> : tensor<3x12xi8> -> tensor<3x12x!fcw>
  %fb = qnn.const dense<[10, 20, -30]> : tensor<3xi32> -> tensor<3x!fcb>
  %l = qnn.fully_connected %f, %fw, %fb : (tensor<1x12x!pool>, tensor<3x12x!fcw>, tensor<3x!fcb>) -> tensor<1x3x!logit>
  return %l, %n : tensor<1x3x!logit>, tensor<1x2x2x3x!narrow>
}
