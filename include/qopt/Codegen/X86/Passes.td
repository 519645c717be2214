//===- Passes.td - qopt x86 code-generation passes ---------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_X86_PASSES_TD
#define QOPT_CODEGEN_X86_PASSES_TD

include "mlir/Pass/PassBase.td"
include "qopt/Codegen/Common/LayerKernels.td"

def X86LowerLayersPass
    : Pass<"qopt-x86-lower-layers", "::mlir::func::FuncOp"> {
  let summary = "Register-tiled x86 kernels for requantized int8 layers";
  let description = [{
    Rewrites each `qnn.int.rescale` of a `qnn.int.fully_connected` or
    `qnn.int.conv2d` with constant weights (and zero points already expanded
    by `--qopt-expand-zero-points`) into loops over register tiles of
    `tile-rows` output rows (batch rows, output pixels) by `tile-vectors`
    vectors of output channels, whose i32 accumulators stay in registers for
    the whole reduction and are requantized, clamped, narrowed to 8 bits and
    stored in the tile's epilogue; no int32 tensor is written. The weights
    are packed at compile time so that each reduction step loads one vector
    of weights per accumulator column, and a convolution reads its input in
    place (implicit im2col). A `qnn.int.depthwise_conv2d` (channel multiplier
    1) becomes tiles of output pixels by vectors of channels, its taps
    unrolled and accumulated in registers, with the same epilogue; with
    `isa=avx512vnni` and u8 input its taps go in groups of 4 down a column of
    the window (zero-padded), the input vectors of a group interleaved channel
    by channel (`vector.interleave`, `vector.shuffle`) once per input column
    of a tile, for one `vpdpbusd` per group and 16 channels (a partial
    last vector of channels, and other ISAs, multiply widened vectors per
    tap). A depthwise convolution on a `qnn.int.pad` of its height and width
    reads the pad's input in place: the kernel rows outside the image have
    zero weights (their products with the pad value are in the bias of their
    range of output rows), and the tiles of the border columns select the
    pad value for input columns outside the image, while those of the
    interior read without checks; the pad is erased when nothing else reads
    it. The shared generator is
    `qopt::codegen::lowerLayersToKernels`; this pass supplies the shape of
    the x86 instruction each reduction step is made for:

    * `isa=avx512vnni`: `vpdpbusd` on zmm (16 i32 lanes, each summing 4
      adjacent u8 x s8 products; input must be `ui8`, which
      `--qopt-expand-zero-points=unsigned-input=true` arranges for `i8`
      models by shifting the input by 128 and folding the correction into
      the bias). The tile sizes the options leave 0 are chosen per layer,
      as for `isa=avx512ifma` and the layers `isa=amx` leaves to
      `vpdpbusd` (`qopt::codegen::TileCostModel`): at most 2 vectors (8 for
      a tile of one row, whose weight vectors no other row reuses) and 16
      accumulators, the tiles of an image row and the panels that issue the
      fewest dot products (a tile of fewer than 8 accumulators waits on the
      latency), then the fewest loads; e.g. 7 x 2 for a 7-pixel row, 16 x 1
      for 16 channels, 1 x 8 for a fully connected layer of one batch row.
      An analysis remark of category `qopt-kernel-tiles` states each
      layer's tile. With `isa=avx512ifma` (VBMI's two-source byte
      shuffles), a convolution whose kernel rows are runs of a few bytes
      ending in partial groups (a first layer's 3 channels) reads them
      interleaved, as `isa=amx` does: a copy of its input, the
      `qnn.int.pad` folded in, holds per output row each pixel's bytes of
      the KH input rows it reads, so that a window is one run (7x7x3: 37
      groups instead of 42, 3x3x3: 7 instead of 9).
    * `isa=avx2`: `vpmaddwd` on ymm over operands widened to 16 bits (the
      weights at compile time, the input pair per step), 8 lanes of 2
      products each: u8 x s8 and s8 x s8 alike, and without the i16
      saturation of `vpmaddubsw`'s pairwise sums (255 * 127 * 2 > 32767).
    * `isa=amx`: fully connected and conv2d layers on AMX-INT8 tiles
      (`amx.tile_muli`: `tdpbusd` for `ui8` input, `tdpbssd` for `i8`),
      `tile-rows` output rows (16 per input tile, default 32) by
      `tile-vectors` columns of 16 channels (default 2), the accumulator
      tiles stored to a stack buffer and requantized by the same epilogue;
      the weights are vpdpbusd's packed vectors, which are AMX's VNNI-4
      right-hand tiles. Layers of stride 1 compute a row per input pixel
      (those that are no output pixels store nothing), so that their
      tiles are whole 16-row blocks; runs of adjacent input bytes that are
      not whole 64-byte steps are read in whole steps against zero
      weights (backward in the last tiles). Reductions of fewer than 16
      bytes, fully connected layers of fewer than 16 rows and depthwise
      layers take the `avx512vnni` kernels (with its default tile); a
      remark says why a layer AMX would suit does not take it.

    The step is emitted in a target-independent form, a grouped dot product:
    `arith.extui`/`arith.extsi` to i32, `arith.muli`, a `vector.shape_cast`
    to lanes x group and a `vector.multi_reduction <add>` into the
    accumulator (bufferization, which runs next, rejects intrinsic calls of
    unknown memory effects). `--qopt-x86-select-dot-products` turns it into
    the instruction after bufferization. Neither form saturates: the i32
    sums wrap exactly as the reference's do.

    The functions it rewrites get the ISA's `target_features`, so that an
    object compiled for a generic x86-64 CPU still has the instructions.
    Layers it does not cover (non-constant weights, zero points left,
    padding left on the conv, input signedness the ISA lacks) are left for
    the generic loops of `--qopt-convert-qnn-to-linalg`, each with a remark
    saying why; the statistics count both kinds.

    Example: `qopt --qopt-x86-lower-layers=isa=avx512vnni` turns
    ```mlir
    %acc = qnn.int.fully_connected %x, %w, %b : (tensor<4x64xui8>, tensor<16x64xi8>, tensor<16xi32>) -> tensor<4x16xi32>
    %y = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -7>, output_zp = 3 : i64} : (tensor<4x16xi32>) -> tensor<4x16xui8>
    ```
    into `scf.for` loops whose body reduces groups of 4 products into
    `vector<16xi32>` accumulators with `vector.multi_reduction` and ends in
    `tosa.apply_scale` on vectors and a `vector.transfer_write` of
    `vector<16xi8>`.
  }];
  let options = [
    Option<"isa", "isa", "::qopt::x86::X86Isa",
           /*default=*/"::qopt::x86::X86Isa::Avx512Vnni",
           "The x86 instruction set the kernels use",
           [{::llvm::cl::values(
             clEnumValN(::qopt::x86::X86Isa::Avx512Vnni, "avx512vnni",
                        "vpdpbusd on zmm (AVX-512 VNNI), u8 x s8"),
             clEnumValN(::qopt::x86::X86Isa::Avx512Ifma, "avx512ifma",
                        "vpdpbusd on zmm, VBMI's byte shuffles and IFMA's "
                        "52-bit multiply-adds"),
             clEnumValN(::qopt::x86::X86Isa::Avx2, "avx2",
                        "vpmaddwd on widened operands (AVX2)"),
             clEnumValN(::qopt::x86::X86Isa::Amx, "amx",
                        "AMX-INT8 tiles, else vpdpbusd (AVX-512 VNNI)"))}]>,
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"0",
           "Output rows of the register tile, or of the AMX tile with "
           "isa=amx (0: the ISA's default; chosen per layer for the "
           "vpdpbusd kernels)">,
    Option<"tileVectors", "tile-vectors", "int64_t", /*default=*/"0",
           "Accumulator vectors of output channels per row of the tile, or "
           "columns of 16 channels of the AMX tile with isa=amx (0: the "
           "ISA's default; chosen per layer for the vpdpbusd kernels)">,
    Option<"depthwiseTileRows", "depthwise-tile-rows", "int64_t",
           /*default=*/"0",
           "Most output pixels of the depthwise kernels' tile (0: the "
           "ISA's default); a row takes tiles of equal sizes">,
    Option<"depthwiseTileVectors", "depthwise-tile-vectors", "int64_t",
           /*default=*/"0",
           "Vectors of channels of the depthwise kernels' tile (0: the "
           "ISA's default)">,
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Whether the kernels' marked loops will run on threads "
           "(--qopt-parallelize-tiles): a convolution kernel that writes "
           "its padded input itself then writes a copy per thread's share "
           "of the tiles, else one">,
  ];
  let dependentDialects = [
    "::mlir::amx::AMXDialect",
    "::mlir::arith::ArithDialect",
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

def X86SelectDotProductsPass
    : Pass<"qopt-x86-select-dot-products", "::mlir::func::FuncOp"> {
  let summary = "Map the kernels' grouped dot products to x86 instructions";
  let description = [{
    `--qopt-x86-lower-layers` generates its kernels with a
    target-independent grouped dot product (extensions to i32, a multiply,
    a `vector.shape_cast` to `L x G` and a `vector.multi_reduction <add>`
    over the groups into the accumulator), because the bufferization that
    follows it rejects calls of unknown memory effects. After bufferization,
    this pass turns each into the instruction of `isa`, called as an LLVM
    intrinsic through the LLVM dialect (upstream `x86vector` has no
    `vpdpbusd`, and LLVM selects it from a plain dot product only while the
    extensions share the reduction's basic block, which LICM undoes):

    * `avx512vnni`: 16 lanes x 4 of u8 x s8 become
      `llvm.x86.avx512.vpdpbusd.512`;
    * `avx2`: 8 lanes x 2 of i16 x i16 become `llvm.x86.avx2.pmadd.wd`
      plus the accumulation.

    Neither saturates: the i32 sums wrap exactly as the portable form's do.
    Dot products of other shapes stay portable (LLVM vectorizes them
    without the instruction).
  }];
  let options = [
    Option<"isa", "isa", "::qopt::x86::X86Isa",
           /*default=*/"::qopt::x86::X86Isa::Avx512Vnni",
           "The x86 instruction set to select",
           [{::llvm::cl::values(
             clEnumValN(::qopt::x86::X86Isa::Avx512Vnni, "avx512vnni",
                        "vpdpbusd on zmm"),
             clEnumValN(::qopt::x86::X86Isa::Avx512Ifma, "avx512ifma",
                        "vpdpbusd on zmm, with VBMI and IFMA"),
             clEnumValN(::qopt::x86::X86Isa::Avx2, "avx2",
                        "vpmaddwd on ymm"),
             clEnumValN(::qopt::x86::X86Isa::Amx, "amx",
                        "vpdpbusd on zmm, for the kernels AMX leaves"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
  ];
}

def X86LowerAmxToLLVMPass
    : Pass<"qopt-x86-lower-amx-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower the AMX kernels' tiles to LLVM and request AMX state";
  let description = [{
    Converts the `amx` dialect's operations to their LLVM intrinsics (whose
    tile configuration LLVM's X86 back end generates), and the `cf`
    branches whose operands are tiles (the reduction loops' accumulators,
    once `scf` is lowered) to LLVM branches on `x86_amx` values, which the
    separate `cf` and `vector` conversions cannot type. Run it after
    `--convert-scf-to-cf`; other operations keep their types, joined by
    unrealized casts that the rest of the lowering reconciles.

    Linux gives a process the AMX tile data state only on request
    (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`); a tile
    instruction before it raises SIGILL. So that compiled code needs no
    runtime support, every function that uses tiles starts by making that
    request, through an inline `syscall`, the first time any of them runs:
    a module flag `__qopt_amx_requested` (an internal global, set after the
    request; a race makes the idempotent request twice) guards it.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
  ];
}

def X86SelectRequantizationPass
    : Pass<"qopt-x86-select-requantization", "::mlir::func::FuncOp"> {
  let summary = "Compute the kernels' requantization in 32-bit lanes";
  let description = [{
    The epilogue of the layer kernels multiplies its i32 accumulators by
    `M0 * 2^(s - 31)` with `tosa.apply_scale`, which `tosa-to-arith` lowers
    to a 64-bit product, rounding and variable shift of every lane: on x86
    each vector is widened into two, shifted with `vpsravq` and narrowed
    back. This pass computes `DOUBLE_ROUND` (gemmlowp's, TFLite's default)
    as gemmlowp's SSE/AVX code does, in 32-bit lanes. With `l = max(s, 0)`,
    `r = max(-s, 0)` and `s = 31 - n` for the tosa shift `n`:

    * `y = x << l`;
    * `h = SaturatingRoundingDoublingHighMul(y, M0) = floor((y M0 + 2^30) /
      2^31)`, from the 64-bit products of the even lanes and of the odd
      lanes (sign-extended 32-bit halves of the vector viewed as i64, which
      the back end multiplies with `vpmuldq`), bits 31..62 of each taken by a
      shift and the two blended per lane;
    * `RoundingDivideByPOT(h, r)`: `(h >> r) + (h & mask > (mask >> 1) +
      (h < 0))` with `mask = 2^r - 1`, ties away from zero.

    This is exactly `tosa.apply_scale`'s value for `M0 >= 0`, `n` in
    [1, 62] (qnn's shifts [-31, 30]) and `x * 2^l` within int32, the
    precondition of gemmlowp, TFLite and qnn (see
    `--qopt-arm-select-requantization`). Only operands whose values are
    known at compile time are rewritten (constants, and vectors read from a
    constant `memref.global`: the kernels' per-channel parameters); the
    split of the shift is computed per lane at run time, and shifts that are
    all right or all left shifts skip the other half. `SINGLE_ROUND`,
    scalars, vectors of an odd number of lanes and unknown operands are left
    for `tosa-to-arith`. `--qopt-lower-to-llvm` runs this pass for the x86
    targets.

    When every lane shifts right (`r >= 1`) and the input is known to be in
    [-2^30, 2^30), the two roundings take one 64-bit product per lane
    instead (`qnn::doubleRoundByOneProduct`, derived in `FixedPoint.h`):
    `t = (2x) M0 + 2^31 + 2^(31 + r)` from the even and odd lanes'
    products, the high halves of `t` gathered into one vector (a shuffle,
    `vpermt2d`), minus `x < 0`, shifted right by `r`. The input's range is
    what its producers bound: a constant or a read of a constant global
    (a kernel's bias), plus `vpdpbusd` / `vpmaddwd` dot products, additions,
    multiplications, extensions and selects that cannot wrap. A depthwise
    tile's accumulators are such sums; a loop-carried accumulator is not
    bounded by them, but the contraction kernels state the range that their
    constant weights and bias give it over any input, as the attribute
    `qopt.value_range = array<i64: min, max>` on the `tosa.apply_scale`,
    which this pass takes instead. A constant added to the result alone
    (the kernel's output zero point `z`) joins the constant terms,
    `t += z 2^(32 + r)`, where `qnn::canFoldOneProductZeroPoint` says the
    sum still cannot overflow: the addition disappears. Where the result is
    only clamped from below at `z` or above (a ReLU's clamp, also through
    the concatenations below), the `x < 0` term is left out: it only lowers
    results that the clamp raises to its bound.

    Where that input is `v << s` (a constant `s` in [0, 30]) with `v` of
    known range and one multiplier and shift in every lane (a TensorFlow
    Lite add's operand minus its zero point, shifted left by 20), the
    product splits into two 32-bit ones (`qnn::doubleRoundBySplitProduct`,
    derived in `FixedPoint.h`): `v H + ((v Lo + K + [v < 0] N) >> n)`,
    `n = 31 + r - s`, `M0 = H 2^n + Lo`, when `qnn::getShiftedSplitProduct`
    finds that no step overflows; no 64-bit lanes and no shuffle.

    Then, in functions with AVX-512BW, an epilogue's narrowing of 2 or 4
    vectors of 16 lanes together (`arith.trunci` to i8 of their
    concatenation clamped into the range of u8 or s8 by `arith.maxsi` and
    `arith.minsi`, as the depthwise kernels emit it) becomes saturating
    packs: `packssdw` of pairs of vectors, `packuswb` (`packsswb`) of those,
    a dword shuffle (`vpermd`) that orders the packs' 128-bit lanes, and a
    byte max and min for a clamp narrower than the byte's range.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // QOPT_CODEGEN_X86_PASSES_TD
