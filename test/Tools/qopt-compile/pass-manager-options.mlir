// qopt-compile takes MLIR's pass-manager options, as qopt does. They apply to
// both pass managers of the compilation: to the integer level, then to the
// LLVM dialect.

// RUN: rm -rf %t && mkdir -p %t
// RUN: qopt-compile %s -o %t/fc.o --mlir-timing 2> %t/timing
// RUN: FileCheck %s --check-prefix=TIMING < %t/timing
// TIMING:      Execution time report
// TIMING:      ExpandZeroPointsPass
// TIMING:      ConvertQNNToLinalgPass
// TIMING:      FinalizeMemRefToLLVMConversionPass
// TIMING:      Total

// RUN: qopt-compile %s -o %t/fc.o --mlir-print-ir-after-all \
// RUN:   --mlir-disable-threading 2> %t/ir
// RUN: FileCheck %s --check-prefix=IR < %t/ir
// IR:      IR Dump After ExpandZeroPointsPass (qopt-expand-zero-points)
// IR:      qnn.int.fully_connected
// IR:      IR Dump After ConvertQNNToLinalgPass (qopt-convert-qnn-to-linalg)
// IR:      IR Dump After ReconcileUnrealizedCastsPass (reconcile-unrealized-casts)
// IR:      llvm.func @fc
// RUN: test -s %t/fc.o

// The passes are verified one by one only with --verify-each (the lowered
// module is, once, either way); the object is the same.
// RUN: qopt-compile %s -o %t/verified.o --verify-each
// RUN: cmp %t/fc.o %t/verified.o

// A failing pass writes a reproducer that qopt replays.
// RUN: not qopt-compile %S/../Inputs/unmarked-input.mlir -o %t/unmarked.o \
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
