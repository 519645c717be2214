// RUN: qopt %s --qopt-x86-lower-amx-to-llvm | FileCheck %s

// The tiles become LLVM's x86_amx values and the AMX operations intrinsic
// calls; the branches of the reduction loop carry the accumulator tile, the
// other branches stay. The function first asks Linux for the tile state
// (arch_prctl(ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18), system
// call 158), unless the module flag says it has already; functions without
// tiles are left alone.

// CHECK: llvm.mlir.global internal @__qopt_amx_requested(0 : i8)
// CHECK-LABEL: func.func @reduce
// CHECK: %[[FLAG:.*]] = llvm.mlir.addressof @__qopt_amx_requested
// CHECK: %[[DONE:.*]] = llvm.load %[[FLAG]] atomic monotonic {alignment = 1 : i64} : !llvm.ptr -> i8
// CHECK: %[[FIRST:.*]] = llvm.icmp "eq" %[[DONE]], %{{.*}} : i8
// CHECK: llvm.cond_br %[[FIRST]], ^[[REQUEST:.*]], ^[[BODY:.*]]
// CHECK: ^[[REQUEST]]:
// CHECK-DAG: %[[NR:.*]] = llvm.mlir.constant(158 : i64)
// CHECK-DAG: %[[CODE:.*]] = llvm.mlir.constant(4131 : i64)
// CHECK-DAG: %[[XTILEDATA:.*]] = llvm.mlir.constant(18 : i64)
// CHECK: llvm.inline_asm has_side_effects "syscall", "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}" %[[NR]], %[[CODE]], %[[XTILEDATA]]
// CHECK: llvm.store %{{.*}}, %[[FLAG]] atomic monotonic {alignment = 1 : i64} : i8, !llvm.ptr
// CHECK: llvm.br ^[[BODY]]
// CHECK: ^[[BODY]]:
// CHECK: llvm.call_intrinsic "llvm.x86.tilezero.internal"
// CHECK: llvm.br ^[[LOOP:.*]](%{{.*}}, %{{.*}} : i64, !llvm.x86_amx)
// CHECK: ^[[LOOP]](%{{.*}}: i64, %{{.*}}: !llvm.x86_amx):
// CHECK: llvm.call_intrinsic "llvm.x86.tileloadd64.internal"
// CHECK: llvm.call_intrinsic "llvm.x86.tdpbusd.internal"
// CHECK: llvm.call_intrinsic "llvm.x86.tilestored64.internal"
func.func @reduce(%a: memref<16x256xi8>, %b: memref<64x64xi8>,
                  %c: memref<16x16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = amx.tile_zero : !amx.tile<16x16xi32>
  cf.br ^loop(%c0, %zero : index, !amx.tile<16x16xi32>)
^loop(%k: index, %acc: !amx.tile<16x16xi32>):
  %more = arith.cmpi slt, %k, %c4 : index
  cf.cond_br %more, ^step, ^done
^step:
  %ka = arith.muli %k, %c64 : index
  %kb = arith.muli %k, %c16 : index
  %x = amx.tile_load %a[%c0, %ka] : memref<16x256xi8> into !amx.tile<16x64xi8>
  %w = amx.tile_load %b[%kb, %c0] : memref<64x64xi8> into !amx.tile<16x64xi8>
  %next = amx.tile_muli %x zext, %w, %acc : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
  %k1 = arith.addi %k, %c1 : index
  cf.br ^loop(%k1, %next : index, !amx.tile<16x16xi32>)
^done:
  amx.tile_store %c[%c0, %c0], %acc : memref<16x16xi32>, !amx.tile<16x16xi32>
  return
}

// CHECK-LABEL: func.func @no_tiles
// CHECK-NEXT: cf.br ^bb1
// CHECK-NOT: llvm.
func.func @no_tiles(%x: i32) -> i32 {
  cf.br ^next
^next:
  return %x : i32
}
