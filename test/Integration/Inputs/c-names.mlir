// Functions whose names are not C identifiers, for aot-c-names.test:
// @"my-func" adds [1, 2, 3, 4], the others call it through each other.
func.func @"my-func"(%x: tensor<4xi8>) -> tensor<4xi8> {
  %c = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi8>
  %0 = qnn.int.add %x, %c {left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -18 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
func.func @"0start"(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = call @"my-func"(%x) : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
func.func @int(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
func.func @main(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = call @"0start"(%x) : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
