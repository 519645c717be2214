// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-convert-qnn-to-linalg
// RUN: not qopt %s -split-input-file --qopt-pipeline=target=x86-avx512vnni 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PIPELINE

// Dynamic shapes are rejected before anything is converted, rather than
// converted into a tensor.empty without its dynamic sizes. The first op is
// reported (in the pipeline, the rescale that moves the input to u8).
// PIPELINE: error: 'qnn.int.rescale' op has the dynamically shaped type 'tensor<?x8xi8>'; the lowering needs static shapes (compile one function per shape)
// PIPELINE-NOT: tensor.empty
func.func @dynamic_batch(%x: tensor<?x8xi8>) -> tensor<?x4xi32> {
  %w = arith.constant dense<1> : tensor<4x8xi8>
  // expected-error @below {{has the dynamically shaped type 'tensor<?x8xi8>'; the lowering needs static shapes (compile one function per shape)}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<?x8xi8>, tensor<4x8xi8>) -> tensor<?x4xi32>
  return %0 : tensor<?x4xi32>
}

// -----

// A dynamic result counts too.
// PIPELINE: error: 'qnn.reshape' op has the dynamically shaped type 'tensor<?xi8>'
func.func @dynamic_result(%x: tensor<2x4xi8>) -> tensor<?xi8> {
  // expected-error @below {{has the dynamically shaped type 'tensor<?xi8>'}}
  %0 = qnn.reshape %x : (tensor<2x4xi8>) -> tensor<?xi8>
  return %0 : tensor<?xi8>
}
