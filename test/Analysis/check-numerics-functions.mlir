// --qopt-check-numerics on a module whose functions take different
// arguments: inputs@F=... gives function @F its own .npy files, in place of
// the inputs= list the other functions share.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/square.npy '<i2' 2x2 1,2,3,4
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/row.npy '<i2' 1x4 5,6,7,8
//
// RUN: qopt %s --qopt-check-numerics=inputs@square=%t/square.npy,inputs@row=%t/row.npy --canonicalize -o /dev/null 2>&1 | count 0
// RUN: qopt %s --qopt-check-numerics=inputs=%t/square.npy,inputs@row=%t/row.npy --canonicalize -o /dev/null 2>&1 | count 0
// qopt-compile also runs each compiled function on its own inputs:
// RUN: qopt-compile %s -o %t/m.o --target=host --check-numerics=inputs@square=%t/square.npy,inputs@row=%t/row.npy 2>&1 | count 0
// One list for both functions cannot fit both:
// RUN: not qopt %s --qopt-check-numerics=inputs=%t/square.npy --canonicalize -o /dev/null 2>&1 | FileCheck %s --check-prefix=SHARED
// SHARED: error: --qopt-check-numerics: {{.*}}square.npy: has shape (2, 2) but argument #0 needs (1, 4) (tensor<1x4xi16>)
//
// A changed result names the inputs of its own function.
// RUN: not qopt %s --qopt-check-numerics=inputs@square=%t/square.npy,inputs@row=%t/row.npy --pass-pipeline='builtin.module(func.func(qopt-test-perturb-constant))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=PERTURB
// PERTURB: check-numerics-functions.mlir:[[#@LINE+13]]:{{.*}}: error: --qopt-check-numerics: pass 'qopt-test-perturb-constant' changed the result of qnn.int.add: element [0, 0] is 12, was 11 (inputs {{.*}}square.npy)
//
// RUN: not qopt %s --qopt-check-numerics=inputs@sqare=%t/square.npy --canonicalize -o /dev/null 2>&1 | FileCheck %s --check-prefix=TYPO
// TYPO: error: --qopt-check-numerics: inputs@sqare names no function defined in the module
// RUN: not qopt %s --qopt-check-numerics=inputs@=%t/square.npy 2>&1 | FileCheck %s --check-prefix=NONAME
// NONAME: error: inputs@={{.*}}square.npy: expected a function name after '@'
// RUN: not qopt %s --qopt-check-numerics=inputs@square=%t/square.npy:%t/square.npy --canonicalize -o /dev/null 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: --qopt-check-numerics: @square takes 1 arguments but 2 input files were given

// Both add a constant, exactly (inputs at the output scale, as in
// test/Tools/qopt-run/npy-io.mlir).
func.func @square(%a: tensor<2x2xi16>) -> tensor<2x2xi16> {
  %c = arith.constant dense<[[10, 20], [30, 40]]> : tensor<2x2xi16>
  %sum = qnn.int.add %a, %c {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
           left_shift = 15 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
           rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32,
           output_multiplier = 1073741824 : i32, output_shift = -13 : i32}
         : (tensor<2x2xi16>, tensor<2x2xi16>) -> tensor<2x2xi16>
  return %sum : tensor<2x2xi16>
}

func.func @row(%a: tensor<1x4xi16>) -> tensor<1x4xi16> {
  %c = arith.constant dense<[[1, 1, 1, 1]]> : tensor<1x4xi16>
  %sum = qnn.int.add %a, %c {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
           left_shift = 15 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
           rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32,
           output_multiplier = 1073741824 : i32, output_shift = -13 : i32}
         : (tensor<1x4xi16>, tensor<1x4xi16>) -> tensor<1x4xi16>
  return %sum : tensor<1x4xi16>
}
