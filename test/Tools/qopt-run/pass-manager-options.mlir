// qopt-run --jit takes MLIR's pass-manager options, as qopt does. They apply
// to both pass managers of the compilation: to the integer level, then to the
// LLVM dialect.

// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-run %s --jit --random-inputs=1 --mlir-timing 2> %t/timing \
// RUN:   | FileCheck %s
// RUN: FileCheck %s --check-prefix=TIMING < %t/timing
// TIMING:      Execution time report
// TIMING:      ExpandZeroPointsPass
// TIMING:      ConvertQNNToLinalgPass
// TIMING:      FinalizeMemRefToLLVMConversionPass
// TIMING:      Total

// RUN: qopt-run %s --jit --random-inputs=1 \
// RUN:   --mlir-print-ir-after=qopt-expand-zero-points 2> %t/ir | FileCheck %s
// RUN: FileCheck %s --check-prefix=IR < %t/ir
// The input zero point is folded into the bias: [10 - 1 * 6, -20 - 1 * 9].
// IR:      IR Dump After ExpandZeroPointsPass (qopt-expand-zero-points)
// IR:      arith.constant dense<[4, -29]> : tensor<2xi32>
// IR:      qnn.int.fully_connected {{.*}} {weights_zp = array<i64: 0, 2>}
// IR-NOT:  IR Dump

// The options change what is reported, not what is computed: the result is
// the interpreter's.
// RUN: qopt-run %s --random-inputs=1 | FileCheck %s
// CHECK: tensor<1x2xi32>: {{\[}}[-42, -123]]

// A failing pass writes a reproducer that qopt replays.
// RUN: not qopt-run %S/../Inputs/unmarked-input.mlir --jit --random-inputs=1 \
// RUN:   --mlir-pass-pipeline-crash-reproducer=%t/repro.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPRO
// REPRO: error: 'qnn.fully_connected' op 'input' has no quantization parameters
// REPRO: note: Pipeline failed while executing [`PropagateQuantParamsPass` on 'func.func' operation: @unmarked]: reproducer generated at
// RUN: not qopt %t/repro.mlir --run-reproducer 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPLAY
// REPLAY: repro.mlir:{{.*}} error: 'qnn.fully_connected' op 'input' has no quantization parameters

func.func @fc(%x: tensor<1x3xi8>) -> tensor<1x2xi32> {
  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 1 : i64,
           weights_zp = array<i64: 0, 2>}
       : (tensor<1x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  return %acc : tensor<1x2xi32>
}
