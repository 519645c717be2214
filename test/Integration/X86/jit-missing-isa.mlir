// UNSUPPORTED: amx
// REQUIRES: host-avx512ifma
// qopt-run --jit runs the code here: a target whose instructions this x86
// machine lacks is an error at the module, where the first AMX instruction
// killed the process (SIGILL).

// RUN: not qopt-run %qopt_src_root/examples/tiny_cnn/model.mlir --random-inputs=1 \
// RUN:   --jit --target=x86-amx 2>&1 | FileCheck %s
// CHECK: model.mlir:{{[0-9]+}}:{{[0-9]+}}: error: --jit: this machine lacks instructions that target 'x86-amx' uses (qopt-compile --target=x86-amx compiles it for another machine)
// CHECK-NOT: Stack dump
