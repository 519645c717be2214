// The layer kernels of a --target and the triple code is generated for must
// be of one architecture: LLVM cannot select AArch64 kernels' instructions
// for x86-64 ("Cannot select") nor the reverse, and aborted. Triples are
// explicit here so that the test means the same on every host.

// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=aarch64-dotprod --mtriple=x86_64-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ARM-ON-X86
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=aarch64-i8mm --mtriple=x86_64-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ARM-ON-X86
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=x86-avx512vnni --mtriple=aarch64-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=X86-ON-ARM
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=x86-avx2 --mtriple=aarch64-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=X86-ON-ARM
// RUN: not qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=x86-avx512ifma --mtriple=aarch64-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=X86-ON-ARM
// AMX exists in 64-bit mode only; LLVM reported an unlocated "couldn't
// allocate output register" for i386 (the bundled model has AMX layers).
// RUN: not qopt-compile %qopt_src_root/examples/tiny_cnn/model.mlir -o %t.o \
// RUN:   --target=x86-amx --mtriple=i386-linux-gnu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=AMX-ON-I386
// Generic code and matching pairs compile, the AVX-512 kernels for i386 too.
// RUN: qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=x86-avx512vnni --mtriple=i386-linux-gnu
// RUN: qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=generic --mtriple=aarch64-linux-gnu
// RUN: qopt-compile %S/../../Integration/jit.mlir -o %t.o \
// RUN:   --target=aarch64-neon --mtriple=aarch64-linux-gnu

// ARM-ON-X86: error: target 'aarch64-{{dotprod|i8mm}}' generates AArch64 code, but the target triple is 'x86_64-linux-gnu'
// ARM-ON-X86-NOT: LLVM ERROR
// X86-ON-ARM: error: target 'x86-avx{{2|512vnni|512ifma}}' generates x86-64 code, but the target triple is 'aarch64-linux-gnu'
// X86-ON-ARM-NOT: LLVM ERROR
// AMX-ON-I386: model.mlir:{{[0-9]+}}:{{[0-9]+}}: error: target 'x86-amx' generates x86-64 code, but the target triple is 'i386-linux-gnu'
// AMX-ON-I386-NOT: couldn't allocate
