// --report runs the function once per numArguments --input files; a function
// without arguments runs once, with --random-inputs or without files. It
// divided by its zero arguments (SIGFPE) or, with --random-inputs, looped
// without end.

// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-run %s --random-inputs=1 --report=%t/random
// RUN: FileCheck %s --check-prefix=REPORT < %t/random/report.md
// RUN: qopt-run %s --report=%t/none
// RUN: FileCheck %s --check-prefix=REPORT < %t/none/report.md
// REPORT: # Numerics of @constant
// REPORT: scheme tflite, numerics tflite, 1 input(s)

// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/x.npy '<f4' 1x4 0,0,0,0
// RUN: not qopt-run %s --input %t/x.npy --report=%t/files 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FILES
// FILES: qopt-run: error: --report: @constant takes 0 arguments per run but 1 --input files were given

func.func @constant() -> tensor<1x4xf32> {
  %c = arith.constant dense<[[-1.0, -0.203125, 0.1015625, 0.9921875]]> : tensor<1x4xf32>
  %r = qnn.range %c {min = -1.0 : f64, max = 0.9921875 : f64} : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
