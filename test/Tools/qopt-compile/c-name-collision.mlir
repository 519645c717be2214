// Two functions that would have one name in C are an error, not an object
// with one of them missing.

// RUN: not qopt-compile %s -o %t.o 2>&1 | FileCheck %s

// CHECK: c-name-collision.mlir:[[# @LINE + 1]]:1: error: @my-func is named 'my_func' in C, which is already the name of @my_func
func.func @"my-func"(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}

func.func @my_func(%x: tensor<4xi8>) -> tensor<4xi8> {
  return %x : tensor<4xi8>
}
