// qopt-run's .npy inputs and outputs: the dtype of each argument and result
// is float32 for f32 tensors and the storage type for integer and quantized
// ones, and mismatches are reported before anything runs.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/a.npy '|u1' 2x2 0,1,254,255
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/b.npy '|i1' 2x2 -128,-1,0,127

// The default function is the first one of the file.
// RUN: qopt-run %s --input %t/a.npy --input %t/b.npy --output %t/sum.npy \
// RUN:   --output %t/first.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py print %t/sum.npy | FileCheck %s --check-prefix=SUM
// RUN: %python %qopt_src_root/test/Utils/npy.py print %t/first.npy | FileCheck %s --check-prefix=FIRST
// SUM: <i2 (2, 2) {{\[\[}}-128, 0], [254, 382]]
// FIRST: |u1 (2, 2) {{\[\[}}0, 1], [254, 255]]

// Quantized arguments and results hold storage values.
// RUN: qopt-run %s --function quantized --input %t/a.npy --output %t/q.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py print %t/q.npy | FileCheck %s --check-prefix=QUANTIZED
// QUANTIZED: |i1 (2, 2) {{\[\[}}-128, -127], [126, 127]]

// RUN: not qopt-run %s --input %t/a.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: qopt-run: error: @widen_and_add takes 2 arguments but 1 --input files were given
// RUN: not qopt-run %s --input %t/a.npy --input %t/b.npy --output %t/x.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OUTPUTS
// OUTPUTS: qopt-run: error: @widen_and_add returns 2 results but 1 --output files were given
// RUN: not qopt-run %s --input %t/b.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: qopt-run: error: {{.*}}b.npy: has dtype '|i1' but argument #0 needs '|u1' (tensor<2x2xui8>)
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/row.npy '|u1' 1x4 0,1,2,3
// RUN: not qopt-run %s --input %t/row.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: qopt-run: error: {{.*}}row.npy: has shape (1, 4) but argument #0 needs (2, 2) (tensor<2x2xui8>)
// RUN: not qopt-run %s --input %s --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=NOT-NPY
// NOT-NPY: qopt-run: error: {{.*}}npy-io.mlir: not a .npy file
// RUN: not qopt-run %s --input %t/missing.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: qopt-run: error: {{.*}}missing.npy: {{[Nn]}}o such file or directory
// RUN: not qopt-run %s --function nowhere 2>&1 | FileCheck %s --check-prefix=FUNCTION
// FUNCTION: npy-io.mlir:{{.*}}: error: no func.func @nowhere
// RUN: not qopt-run %s --input %t/a.npy --random-inputs=1 2>&1 | FileCheck %s --check-prefix=EXCLUSIVE
// EXCLUSIVE: qopt-run: error: --input and --random-inputs exclude each other


// a + b in i16, through TensorFlow Lite's add with both inputs at the output
// scale: input multipliers 1/2 after the left shift of 15, output multiplier
// 2^-14.
func.func @widen_and_add(%a: tensor<2x2xui8>, %b: tensor<2x2xi8>)
    -> (tensor<2x2xi16>, tensor<2x2xui8>) {
  %a16 = qnn.int.rescale %a {multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
         : (tensor<2x2xui8>) -> tensor<2x2xi16>
  %b16 = qnn.int.rescale %b {multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
         : (tensor<2x2xi8>) -> tensor<2x2xi16>
  %sum = qnn.int.add %a16, %b16 {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
           left_shift = 15 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
           rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32,
           output_multiplier = 1073741824 : i32, output_shift = -13 : i32}
         : (tensor<2x2xi16>, tensor<2x2xi16>) -> tensor<2x2xi16>
  return %sum, %a : tensor<2x2xi16>, tensor<2x2xui8>
}

// Zero point 128 to 0 at the same scale: q - 128.
func.func @quantized(%a: tensor<2x2x!quant.uniform<u8:f32, 1.0:128>>)
    -> tensor<2x2x!quant.uniform<i8:f32, 1.0>> {
  %0 = qnn.requantize %a : (tensor<2x2x!quant.uniform<u8:f32, 1.0:128>>)
       -> tensor<2x2x!quant.uniform<i8:f32, 1.0>>
  return %0 : tensor<2x2x!quant.uniform<i8:f32, 1.0>>
}

// A value the dtype can hold but the storage range cannot.
// RUN: not qopt-run %s --function narrow --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=NARROW
// NARROW: npy-io.mlir:[[# @LINE + 1]]:1: error: input #0 value -128 at [0, 0] is outside the range [-127, 127] of '!quant.uniform<i8<-127:127>:f32, 1.000000e+00>'
func.func @narrow(%x: tensor<2x2x!quant.uniform<i8<-127:127>:f32, 1.0>>)
    -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 1.0>> {
  return %x : tensor<2x2x!quant.uniform<i8<-127:127>:f32, 1.0>>
}

// numpy has no bf16; random inputs need no dtype, saving them does.
// RUN: not qopt-run %s --function bf16 --input %t/a.npy 2>&1 | FileCheck %s --check-prefix=NO-DTYPE
// NO-DTYPE: npy-io.mlir:[[# @LINE + 9]]:1: error: argument #0 of @bf16 (tensor<2xbf16>) has no .npy dtype
// RUN: qopt-run %s --function bf16 --random-inputs=1 | FileCheck %s --check-prefix=BF16
// BF16: tensor<2xbf16>: [{{.*}}, {{.*}}]
// RUN: not qopt-run %s --function bf16 --random-inputs=1 --save-inputs %t/bf16 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-SAVE
// NO-SAVE: npy-io.mlir:[[# @LINE + 4]]:1: error: argument #0 of @bf16 has no .npy dtype to save it with
// RUN: not qopt-run %s --function bf16 --random-inputs=1 --output %t/bf16.npy 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-OUTPUT
// NO-OUTPUT: npy-io.mlir:[[# @LINE + 1]]:1: error: result #0 of @bf16 has no .npy dtype to write it with
func.func @bf16(%x: tensor<2xbf16>) -> tensor<2xbf16> {
  return %x : tensor<2xbf16>
}

// RUN: not qopt-run %s --function dynamic --random-inputs=1 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: npy-io.mlir:[[# @LINE + 1]]:1: error: argument #0 of @dynamic (tensor<?xf32>) has a type the reference interpreter does not support
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}
