// RUN: qopt %s --qopt-plan-buffers --split-input-file | FileCheck %s

// A chain of three buffers: %c is allocated after the last use of %a and
// takes its place; %b, alive with both, follows them. 512 bytes, not 768.

// CHECK-LABEL: func.func @chain
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512xi8>
// CHECK:         %[[A:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<512xi8> to memref<256xi8>
// CHECK:         linalg.fill ins(%{{.*}} : i8) outs(%[[A]] : memref<256xi8>)
// CHECK:         %[[OFFSET:.*]] = arith.constant 256 : index
// CHECK-NEXT:    %[[B:.*]] = memref.view %[[ARENA]][%[[OFFSET]]][] : memref<512xi8> to memref<256xi8>
// CHECK-NEXT:    linalg.copy ins(%[[A]] : memref<256xi8>) outs(%[[B]] : memref<256xi8>)
// CHECK:         %[[C:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<512xi8> to memref<256xi8>
// CHECK-NEXT:    linalg.copy ins(%[[B]] : memref<256xi8>) outs(%[[C]] : memref<256xi8>)
// CHECK-NEXT:    linalg.copy ins(%[[C]] : memref<256xi8>) outs(%arg0 : memref<256xi8>)
// CHECK-NEXT:    memref.dealloc %[[ARENA]] : memref<512xi8>
// CHECK-NEXT:    return
// CHECK-NOT:     memref.alloc
func.func @chain(%out: memref<256xi8>) {
  %cst = arith.constant 7 : i8
  %a = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
  linalg.fill ins(%cst : i8) outs(%a : memref<256xi8>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
  linalg.copy ins(%a : memref<256xi8>) outs(%b : memref<256xi8>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
  linalg.copy ins(%b : memref<256xi8>) outs(%c : memref<256xi8>)
  linalg.copy ins(%c : memref<256xi8>) outs(%out : memref<256xi8>)
  memref.dealloc %a : memref<256xi8>
  memref.dealloc %b : memref<256xi8>
  memref.dealloc %c : memref<256xi8>
  return
}

// -----

// A use through a view, inside a loop, keeps the buffer alive until the
// loop: %b cannot take %a's place. Offsets are aligned to 64 bytes (the
// 4 x 3 i32 buffer is 48), larger buffers are placed first.

// CHECK-LABEL: func.func @view_in_loop
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<112xi8>
// CHECK:         %[[A:.*]] = memref.view %[[ARENA]][%c64{{.*}}][] : memref<112xi8> to memref<4x3xi32>
// CHECK:         %[[B:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<112xi8> to memref<64xi8>
// CHECK:         memref.collapse_shape %[[A]]
func.func @view_in_loop(%out: memref<12xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %i = arith.constant 5 : i32
  %j = arith.constant 3 : i8
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x3xi32>
  linalg.fill ins(%i : i32) outs(%a : memref<4x3xi32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<64xi8>
  linalg.fill ins(%j : i8) outs(%b : memref<64xi8>)
  %flat = memref.collapse_shape %a [[0, 1]] : memref<4x3xi32> into memref<12xi32>
  scf.for %k = %c0 to %c12 step %c1 {
    %v = memref.load %flat[%k] : memref<12xi32>
    %w = memref.load %b[%k] : memref<64xi8>
    %x = arith.extsi %w : i8 to i32
    %y = arith.addi %v, %x : i32
    memref.store %y, %out[%k] : memref<12xi32>
  }
  memref.dealloc %a : memref<4x3xi32>
  memref.dealloc %b : memref<64xi8>
  return
}

// -----

// A returned buffer outlives the function, a buffer passed to a call may
// be kept by the callee: neither is placed, and one placeable buffer gains
// nothing from an arena.

// CHECK-LABEL: func.func @escaping
// CHECK-NOT:     memref.view
// CHECK:         %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
// CHECK:         %[[B:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
// CHECK:         %[[C:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
// CHECK:         return %[[A]]
func.func private @keep(memref<16xi8>)
func.func @escaping() -> memref<16xi8> {
  %cst = arith.constant 1 : i8
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
  linalg.fill ins(%cst : i8) outs(%a : memref<16xi8>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
  func.call @keep(%b) : (memref<16xi8>) -> ()
  %c = memref.alloc() {alignment = 64 : i64} : memref<16xi8>
  linalg.copy ins(%a : memref<16xi8>) outs(%c : memref<16xi8>)
  memref.dealloc %b : memref<16xi8>
  memref.dealloc %c : memref<16xi8>
  return %a : memref<16xi8>
}

// -----

// A buffer freed before its last use (or not by the block) is left alone;
// so is one with a dynamic size.

// CHECK-LABEL: func.func @not_placed
// CHECK-NOT:     memref.view
func.func @not_placed(%n: index, %out: memref<16xi8>) {
  %cst = arith.constant 1 : i8
  %a = memref.alloc(%n) : memref<?xi8>
  linalg.fill ins(%cst : i8) outs(%a : memref<?xi8>)
  %b = memref.alloc() : memref<16xi8>
  linalg.fill ins(%cst : i8) outs(%b : memref<16xi8>)
  %c = memref.alloc() : memref<16xi8>
  linalg.copy ins(%b : memref<16xi8>) outs(%c : memref<16xi8>)
  memref.dealloc %c : memref<16xi8>
  linalg.copy ins(%c : memref<16xi8>) outs(%out : memref<16xi8>)
  memref.dealloc %a : memref<?xi8>
  memref.dealloc %b : memref<16xi8>
  return
}
