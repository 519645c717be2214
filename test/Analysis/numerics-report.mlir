// The numerics report of a network small enough to work out by hand; the
// numbers in the comments are checked by Inputs/check_tiny_report.py, which
// derives them again from the model without qopt.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/x.npy '<f4' 1x4 -1,-0.203125,0.1015625,0.9921875
// RUN: qopt-run %s --input %t/x.npy --report=%t/report
// RUN: %python %S/Inputs/check_tiny_report.py %t/report/report.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=MD < %t/report/report.md
// RUN: FileCheck %s --check-prefix=HTML < %t/report/index.html
// RUN: %python -c "import sys, xml.dom.minidom as m; [m.parse(f) for f in sys.argv[1:]]" %t/report/sqnr.svg %t/report/saturation.svg %t/report/error-histogram.svg
//
// Input x = [-1, -0.203125, 0.1015625, 0.9921875]: range [-1, 127/128]
// gives S = 1/128, Z = 0 (TFLite scheme, i8), and x = [-128, -26, 13, 127]
// / 128 quantizes exactly: the input layer has no error (SQNR "exact").
//
// Weights: the identity, per-channel symmetric: S_w = float32(1/127)
// = 0.007874015718698502, q_w = 127 on the diagonal. Output: range
// [-7/8, 7/8 * 127/128] gives S = 7/1024, Z = 0.
// M = (1/128) * S_w / (7/1024) = 0.008998875107084001
//   = 0.5759280068533761 * 2^-6, so (M0, shift) = (1236795977, -6)
// (round(0.5759280068533761 * 2^31)), which encodes M * (1 - 1.155e-10).
//
// Accumulators 127 q = [-16256, -3302, 1651, 16129]: the largest |acc| is
// 16256, which is the static bound 128 * 127. Times M: [-146.29, -29.71,
// 14.86, 145.14], rounded [-146, -30, 15, 145] and clamped to [-128, 127]:
// -1 saturates low and 127/128 high (x / S rounds to -146 and 145).
// Dequantized [-0.875, -0.205078125, 0.1025390625, 0.8681640625] against the
// float result x: errors [0.125, -0.001953125, 0.0009765625, -0.1240234375],
// in LSBs [128/7, -2/7, 1/7, -127/7]: max 18.29, mean 9.214. SQNR =
// 10 log10(sum x^2 / sum e^2) = 18.1726 dB, and the same alone (the input
// has no error).

func.func @tiny(%in: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %x = qnn.range %in {min = -1.0 : f64, max = 0.9921875 : f64} : tensor<1x4xf32>
  %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %y = qnn.fully_connected %x, %w : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  %r = qnn.range %y {min = -0.875 : f64, max = 0.8681640625 : f64} : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// CHECK: layers 2
// CHECK-NEXT: rank 1: qnn.fully_connected {{.*}}numerics-report.mlir:{{[0-9]+}}:8 scale 0.0068359375 zp 0
// CHECK-NEXT: sqnr 18.1726 alone 18.1726 max_lsb 18.2857 mean_lsb 9.21429
// CHECK-NEXT: saturation low 1 high 1 of 4
// CHECK-NEXT: multiplier output 0: M 0.008998875107 M0 1236795977 shift -6 rel -1.2e-10
// CHECK-NEXT: multiplier output 1: M 0.008998875107 M0 1236795977 shift -6 rel -1.2e-10
// CHECK-NEXT: multiplier output 2: M 0.008998875107 M0 1236795977 shift -6 rel -1.2e-10
// CHECK-NEXT: multiplier output 3: M 0.008998875107 M0 1236795977 shift -6 rel -1.2e-10
// CHECK-NEXT: accumulator 16256 of 16256
// CHECK-NEXT: rank 2: argument #0 {{.*}}numerics-report.mlir:{{[0-9]+}}:{{[0-9]+}} scale 0.0078125 zp 0
// CHECK-NEXT: sqnr exact alone exact max_lsb 0 mean_lsb 0
// CHECK-NEXT: saturation low 0 high 0 of 4
// CHECK-NEXT: all by-hand values agree

// MD: | 1 | fully_connected (qnn.int.rescale) | {{.*}}numerics-report.mlir:{{[0-9]+}}:8 | 18.2 | 18.2 | 18.29 | 9.214 | 25.00% | 25.00% | 1.2E-10 | 16256 / 16256 (100.0% of the bound) | 0.00683594 | 0 |  |
// MD: | 2 | argument #0 (qnn.int.quantize) | {{.*}} | exact | exact | 0.00 | 0.000 | 0.00% | 0.00% |  |  | 0.0078125 | 0 |  |

// HTML: <img src="sqnr.svg"
// HTML: <img src="saturation.svg"
// HTML: <img src="error-histogram.svg"
