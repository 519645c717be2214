//===- Passes.td - qopt AArch64 code-generation passes -----*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_ARM_PASSES_TD
#define QOPT_CODEGEN_ARM_PASSES_TD

include "mlir/Pass/PassBase.td"
include "qopt/Codegen/Common/LayerKernels.td"

def ARMLowerLayersPass
    : Pass<"qopt-arm-lower-layers", "::mlir::func::FuncOp"> {
  let summary = "Lower requantized int8 layers to AArch64 NEON, dotprod or "
                "i8mm kernels";
  let description = [{
    Rewrites each `qnn.int.rescale` of a `qnn.int.fully_connected` or
    `qnn.int.conv2d` with constant weights, at the integer level and on
    tensors, into loops over register tiles of `tile-rows` output rows
    (batch rows or pixels) by `tile-vectors` accumulator vectors of output
    channels. The i32 accumulators stay in registers across the whole
    reduction and are requantized, clamped, narrowed and stored in the
    tile's epilogue; the weights are packed at compile time in the layout of
    the ISA's instruction. The loops are those of the target-independent
    generator (`qopt/Codegen/Common/LayerKernels.h`); this pass chooses the
    instruction:

    | `isa` | instruction | i32 lanes x bytes per step | input | packed weights |
    | --- | --- | --- | --- | --- |
    | `neon` | `smlal` (16 x 16 -> 32 bits) | 4 x 1 | `i8` or `ui8`, widened to 16 bits | 1 step of 4 channels as `i16` |
    | `dotprod` | `sdot` | 4 x 4 | `i8` | 4 steps of 4 channels |
    | `i8mm` | `smmla` (`i8` input), `usmmla` (`ui8`) | 2 rows x 2 channels x 8 | `i8` or `ui8` | 8 steps of 2 channels |

    The instructions are the `arm_neon` dialect's intrinsic ops
    (`arm_neon.intr.sdot`, `arm_neon.intr.smmla`, `arm_neon.intr.usmmla`),
    which become the LLVM intrinsics `llvm.aarch64.neon.*` (the translation
    is registered by `qopt::registerAllDialects`); on plain NEON the widening
    multiply-accumulate is plain `arith` (`acc + sext(x) * sext(w)` on
    `vector<4xi32>`, `x` and `w` 16-bit), which the AArch64 back end selects
    as `smlal`. `sdot` multiplies signed bytes only:
    for `dotprod`, `ui8` activations must first be moved to `i8` by
    `--qopt-expand-zero-points=signed-input` (`x - 128`, the correction folded
    into the bias), which `--qopt-lower-to-llvm=target=aarch64-dotprod` and
    `qopt-compile --target=aarch64-dotprod` do. Every sum wraps modulo 2^32
    in the instructions as in the scalar loops (none of them saturates), so
    the results are exactly the interpreter's.

    The target features of `isa` (`+neon`, `+neon,+dotprod`,
    `+neon,+dotprod,+i8mm`) are attached to the rewritten functions
    (`target_features`): their code runs only on CPUs that have them,
    whatever the object's `--mattr` says. Contractions the generator does
    not cover (dynamic shapes, input zero points, weight zero points,
    non-constant weights, input signedness the instruction lacks) are left
    for the generic loops of `--qopt-convert-qnn-to-linalg`, each with a
    remark saying why; the statistics count both kinds.

    A tile size of 0 (the default) takes the ISA's tile, chosen for the 32
    vector registers of AArch64 with 16 accumulators (see
    `qopt::arm::getDefaultTile`): 4 x 4 for `neon` and `dotprod` (16 output
    channels), 4 x 8 for `i8mm` (2 row pairs by 8 channel pairs).

    ```mlir
    // qopt --qopt-arm-lower-layers=isa=i8mm
    %acc = qnn.int.fully_connected %x, %w, %b
         : (tensor<8x64xui8>, tensor<16x64xi8>, tensor<16xi32>) -> tensor<8x16xi32>
    %y = qnn.int.rescale %acc {multiplier = array<i32: 1288490189>,
           shift = array<i32: -9>, output_zp = 7 : i64}
         : (tensor<8x16xi32>) -> tensor<8x16xui8>
    // becomes loops whose reduction step is
    //   arm_neon.intr.usmmla %acc, %in, %w
    //     : vector<16xi8> to vector<4xi32>
    ```
  }];
  let options = [
    Option<"isa", "isa", "::qopt::arm::ArmIsa",
           /*default=*/"::qopt::arm::ArmIsa::Dotprod",
           "The AArch64 ISA level the kernels use", [{::llvm::cl::values(
             clEnumValN(::qopt::arm::ArmIsa::Neon, "neon",
                        "Advanced SIMD only: smlal"),
             clEnumValN(::qopt::arm::ArmIsa::Dotprod, "dotprod",
                        "Armv8.2 dot products: sdot"),
             clEnumValN(::qopt::arm::ArmIsa::I8mm, "i8mm",
                        "Armv8.6 int8 matrix multiply: smmla / usmmla"))}]>,
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"0",
           "Output rows of the register tile (a multiple of 2 for i8mm); "
           "0: the ISA's default">,
    Option<"tileVectors", "tile-vectors", "int64_t", /*default=*/"0",
           "Accumulator vectors of output channels in the register tile; "
           "0: the ISA's default">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::arm_neon::ArmNeonDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::tosa::TosaDialect",
    "::mlir::vector::VectorDialect",
  ];
  let statistics = LayerKernelStatistics;
}

def ARMSelectRequantizationPass
    : Pass<"qopt-arm-select-requantization", "::mlir::func::FuncOp"> {
  let summary = "Map the kernels' requantization to NEON fixed-point "
                "instructions";
  let description = [{
    The epilogue of the layer kernels multiplies its i32 accumulators by
    `M0 * 2^(s - 31)` with `tosa.apply_scale` on `vector<4xi32>`, which
    `tosa-to-arith` would lower to 64-bit multiplies. After bufferization
    (the deallocation pipeline rejects intrinsic calls of unknown memory
    effects), this pass computes it as gemmlowp, ruy and TFLite do on NEON,
    with `llvm.call_intrinsic` of `llvm.aarch64.neon.*` (the `arm_neon`
    dialect has none of these instructions). With `l = max(s, 0)`,
    `r = max(-s, 0)` and `s = 31 - n` for the tosa shift `n`:

    * `DOUBLE_ROUND` (gemmlowp, TFLite's default):
      `y = x << l`, `h = sqrdmulh(y, M0)` (SaturatingRoundingDoublingHighMul,
      ties up), then RoundingDivideByPOT(h, r) as gemmlowp's NEON code
      computes it: `srshl(sqadd(h, (h & -r) >> 31), -r)`. `srshl` rounds ties
      toward +infinity; the fixup subtracts 1 from negative `h` when `r > 0`,
      which turns that into the ties away from zero of RoundingDivideByPOT.
    * `SINGLE_ROUND` (TFLite's `TFLITE_SINGLE_ROUNDING`):
      `sqrdmulh(x << l, M0)` where `s >= 0`, and `srshl(sqdmulh(x, M0), -r)`
      where `s < 0`: the non-rounding high multiply is a floor, and the one
      rounding is `srshl`'s, ties toward +infinity as single rounding's are
      (both computed and selected per lane when the shifts have both signs).

    Both are exactly `tosa.apply_scale`'s value for `M0 >= 0`, `n` in
    [1, 62] (qnn's shifts [-31, 30]) and `x * 2^l` within int32, the
    precondition of gemmlowp, TFLite and qnn (derivations in the source).
    Only operands whose values are known at compile time are rewritten:
    constants, and vectors read from a constant `memref.global` (the
    kernels' per-channel parameters once bufferized; the shift split is
    then computed per lane at run time). Shifts that are all right or all
    left shifts skip the other half. Vectors of other lengths than 4 or 2
    lanes are split into 4-lane pieces (a last piece of 1 or 3 lanes is
    widened to 4). Scalars (the generic loops'
    `tosa.apply_scale`), other element types, `INEXACT_ROUND`, and
    operands that are unknown or outside the ranges above are left for
    `tosa-to-arith`. `--qopt-lower-to-llvm` runs this pass for every
    `aarch64-*` target.

    ```mlir
    // qopt --qopt-arm-select-requantization
    %m = arith.constant dense<1288490189> : vector<4xi32>
    %n = arith.constant dense<40> : vector<4xi8>
    %y = tosa.apply_scale %x, %m, %n {rounding_mode = DOUBLE_ROUND}
       : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
    // becomes, with %r = dense<-9> (s = -9) and %c31 = dense<31>
    // (vector<4xi32> constants; the intrinsics' types elided):
    %h = llvm.call_intrinsic "llvm.aarch64.neon.sqrdmulh.v4i32"(%x, %m)
    %a = arith.andi %h, %r : vector<4xi32>
    %fixup = arith.shrsi %a, %c31 : vector<4xi32>
    %f = llvm.call_intrinsic "llvm.aarch64.neon.sqadd.v4i32"(%h, %fixup)
    %y = llvm.call_intrinsic "llvm.aarch64.neon.srshl.v4i32"(%f, %r)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // QOPT_CODEGEN_ARM_PASSES_TD
