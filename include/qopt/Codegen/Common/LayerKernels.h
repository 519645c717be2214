//===- LayerKernels.h - Register-tiled kernels of layers --------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The target-independent half of the CPU code generators: a requantized
// contraction (qnn.int.fully_connected or qnn.int.conv2d with constant
// weights, feeding a qnn.int.rescale) becomes loops over register tiles of
// MR rows x NR vectors of output channels whose i32 accumulators stay in
// registers across the whole reduction and are requantized, clamped,
// narrowed and stored right there (the fused epilogue: no i32 tensor is ever
// written). The weights are packed at compile time so that each step of the
// reduction loads one vector of weights per accumulator column. A depthwise
// convolution feeding a rescale becomes loops over vectors of channels with
// the same epilogue.
//
// What is target-specific is one instruction and its operand layout: an
// instruction that adds, to each i32 lane, the dot product of a group of G
// adjacent input bytes with G weights of that lane's output channel
// (vpdpbusd: 16 lanes x 4 bytes; sdot: 4 lanes x 4 bytes; vpmaddwd on
// widened values: 8 lanes x 2). The KernelTarget of each ISA says which one,
// in its own file under Codegen/<Arch>.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_LAYERKERNELS_H
#define QOPT_CODEGEN_COMMON_LAYERKERNELS_H

#include "qopt/Runtime/ParallelRuntime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Remarks.h"

#include <cstdint>
#include <optional>

namespace qopt::codegen {

/// The register tile of a contraction kernel: `rows` output rows (pixels or
/// batch rows; a multiple of KernelTarget::getRowsPerVector()) by `vectors`
/// accumulator vectors' worth of output channels.
struct KernelTile {
  int64_t rows = 1;
  int64_t vectors = 1;
};

/// How a target's contraction tile is chosen per layer where no option pins
/// it: among the tiles of at most `maxVectors` vectors (a tile of one row
/// vector, whose weight vectors no other row reuses, of at most
/// max(`maxVectors`, `minAccumulators`)) and `maxAccumulators`
/// accumulators, the one whose tiles of a layer's image
/// row (the partial last one included) and panels (the narrower last one
/// included) issue the fewest dot products per reduction step, a tile of
/// fewer than `minAccumulators` accumulators counting as that many (it
/// waits for the dot product's latency), then the fewest loads (a weight
/// vector per column and an input group per row of each tile).
struct TileCostModel {
  int64_t maxVectors = 1;
  int64_t minAccumulators = 1;
  int64_t maxAccumulators = 1;
};

/// The dot-product instruction of an ISA and how its operands are laid out.
/// An accumulator vector holds getLanes() i32 sums: getRowsPerVector() output
/// rows of C = getLanes() / getRowsPerVector() output channels each, lane
/// r * C + c for row r and channel c. One instruction adds to every lane the
/// dot product of G = getGroupSize() adjacent reduction steps of its row's
/// input and of its channel's weights. A packed weight vector holds those G
/// weights of C channels, channel after channel, as getWeightBitWidth()-bit
/// signed integers (zero past the last channel and step); the input operand
/// is built from the G input bytes of each of the vector's rows
/// (buildInputOperand). vpdpbusd is 16 lanes, 1 row, G = 4 (the row's group
/// broadcast to every lane); smmla is 4 lanes, 2 rows, G = 8.
class KernelTarget {
public:
  virtual ~KernelTarget();

  /// i32 accumulator lanes of one vector register.
  virtual int64_t getLanes() const = 0;
  /// Output rows one accumulator vector covers.
  virtual int64_t getRowsPerVector() const { return 1; }
  /// Adjacent reduction steps each lane sums per instruction.
  virtual int64_t getGroupSize() const = 0;
  /// Width of a packed weight: 8, or 16 for instructions on widened operands.
  virtual unsigned getWeightBitWidth() const { return 8; }
  /// Groups of a row's input read with one load: more than 1 where the ISA
  /// multiplies by a lane of a register (AArch64's indexed sdot reads 4
  /// groups from one 16-byte load), 1 where it broadcasts from memory
  /// (x86's vpdpbusd takes the group as an embedded broadcast).
  virtual int64_t getGroupsPerLoad() const { return 1; }
  /// Whether the instruction takes input bytes of this signedness (weights
  /// are always signed).
  virtual bool supportsInput(bool isUnsigned) const = 0;
  /// Whether depthwise kernels take the instruction too, over groups of G
  /// taps of a channel (one accumulator lane per channel, the G input bytes
  /// of its taps interleaved by shuffles), rather than widened multiplies
  /// per tap. Worth it where the instruction replaces G widening multiplies
  /// and adds with about one shuffle per tap; needs getRowsPerVector() == 1
  /// and 8-bit weights.
  virtual bool hasDepthwiseDotProduct() const { return false; }
  /// The target the depthwise kernels are built for: this one, or one of a
  /// narrower instruction of the same ISA where this one's does not suit
  /// them (AArch64 i8mm's smmla multiplies 2 rows per vector; the ISA has
  /// dotprod's sdot too).
  virtual const KernelTarget &getDepthwiseTarget() const { return *this; }
  /// Whether a depthwise group's input vectors are interleaved by one
  /// two-source byte shuffle of their concatenations (x86: inserts and one
  /// vpermt2b with AVX512-VBMI, vpshufb and vpermq without; llvm-mca on the
  /// 56x56x144 tile: 103 instead of 131 cycles on Rocket Lake, 134 instead
  /// of 158 on Cascade Lake) rather than by pairwise interleaves in
  /// doubling chunks (AArch64's zip1 / zip2 and trn1, which the one-shuffle
  /// form turns into tbl and lane moves: 1.5 instead of 2.7 MACs per cycle
  /// on Neoverse-N1).
  virtual bool interleavesByOneShuffle() const { return false; }
  /// Whether a contraction kernel reads the kernel rows of a layer of few
  /// input channels interleaved, where a window then takes fewer groups (a
  /// first convolution's; see interleaveKernelRows in KernelBuilders.h): a
  /// copy whose pixels are gathered by two-source byte shuffles of 64-byte
  /// vectors (x86: vpermt2b, AVX-512 VBMI).
  virtual bool interleavesKernelRows() const { return false; }
  /// Accumulator vectors a depthwise epilogue narrows to bytes together: the
  /// concatenation of up to this many, clamped and truncated at once, which
  /// the target selects as saturating packs (x86: packssdw, packuswb and a
  /// vpermd for 4 zmm, against a 2-uop vpmovusdb and a clamp each) rather
  /// than vector by vector.
  virtual int64_t getNarrowedVectors() const { return 1; }
  /// Whether a kernel whose accumulators are known to be in [-2^19, 2^19)
  /// starts them at the bias plus qnn::kOffsetProductBias and requantizes
  /// the offset value (a depthwise kernel with its multipliers read once
  /// per row rather than per tile): x86 with AVX-512 IFMA, whose
  /// requantization then takes one 52-bit multiply-add per half vector and
  /// no doubling (qnn::doubleRoundByOffsetProduct) from 2 M0 and constant
  /// terms computed once per vector of channels.
  virtual bool offsetsAccumulators() const { return false; }
  /// The input operand of multiplyAccumulate from `groups`, one
  /// vector<G x i8> per row of the accumulator vector, of signedness
  /// `isUnsigned`.
  virtual mlir::Value buildInputOperand(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::ValueRange groups,
                                        bool isUnsigned) const = 0;
  /// `acc` (vector<lanes x i32>) plus, in each lane, the dot product of the
  /// lane's row group of `input` and channel group of `weights` (a packed
  /// weight vector); i32 sums wrap. `inputUnsigned` is the signedness of the
  /// input bytes buildInputOperand was given.
  virtual mlir::Value multiplyAccumulate(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::Value acc, mlir::Value input,
                                         mlir::Value weights,
                                         bool inputUnsigned) const = 0;
  /// The LLVM target features the kernels need (attached to the functions
  /// that contain them), e.g. "+avx512f,+avx512vnni".
  virtual llvm::StringRef getTargetFeatures() const = 0;
  /// The model by which a contraction's tile is chosen per layer, if the
  /// target has one; its callers then pass the sizes of the tile they do not
  /// pin as 0 (lowerLayersToKernels).
  virtual std::optional<TileCostModel> getTileCostModel() const {
    return std::nullopt;
  }
};

/// Marks the scf.for loops of the kernels whose iterations write disjoint
/// tiles of the output, which --qopt-parallelize-tiles distributes over
/// threads once bufferization has removed their tensor iteration arguments.
inline constexpr llvm::StringLiteral kParallelTilesAttr = "qopt.parallel_tiles";

/// The OpenMP runtime's functions that give a thread of a parallel region
/// its block (--qopt-parallelize-tiles calls them), and the entry point of
/// qopt's runtime (include/qopt/Runtime/ParallelRuntime.h) that
/// --qopt-outline-parallel-regions calls instead: the passes, the JIT's
/// symbols and the C header's note on what to link all go by these names.
inline constexpr llvm::StringLiteral kThreadNum = "omp_get_thread_num",
                                     kNumThreads = "omp_get_num_threads",
                                     kParallelRun = "qopt_parallel_run_sized";
/// The alignment of the runtime's copy of a parallel call's context: the
/// call passes a context that needs more with size 0 (no copy).
inline constexpr int64_t kContextCopyAlignment = QOPT_CONTEXT_COPY_ALIGNMENT;

/// The remark (--remarks-filter=qopt-parallel-tiles) stating how a kernel's
/// tiles, an elementwise loop's vectors or a pooling's rows are shared out
/// over threads.
inline void remarkThreadSplit(mlir::Location loc, const std::string &split) {
  mlir::remark::analysis(loc, mlir::remark::RemarkOpts::name("ThreadSplit")
                                  .category("qopt-parallel-tiles"))
      << split;
}

/// The target-independent form of a dot-product instruction, which the
/// kernels are generated with (before bufferization, whose deallocation
/// analysis rejects intrinsic calls of unknown memory effects) and which the
/// targets' instruction selection, after bufferization, maps to the
/// instruction: `acc` (vector<L x i32>) plus, per lane l, the sum of the G
/// products input[l * G + e] * weights[l * G + e], the elements extended to
/// i32 (`input` with its signedness `inputUnsigned`, `weights` signed).
mlir::Value buildGroupedDotProduct(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::Value acc, mlir::Value input,
                                   bool inputUnsigned, mlir::Value weights);

/// The operands of a buildGroupedDotProduct, as instruction selection finds
/// them.
struct GroupedDotProduct {
  mlir::Value acc, input, weights;
  bool inputUnsigned;
  int64_t lanes, groupSize;
};

/// Matches the vector.multi_reduction that ends a buildGroupedDotProduct.
std::optional<GroupedDotProduct> matchGroupedDotProduct(mlir::Operation *op);

/// What lowerLayersToKernels did with the layers (qnn.int.fully_connected,
/// conv2d and depthwise_conv2d) of a function.
struct LayerKernelCounts {
  /// Layers rewritten into kernel loops.
  int64_t kernels = 0;
  /// Layers left for --qopt-convert-qnn-to-linalg's generic loops.
  int64_t generic = 0;
};

/// Rewrites, in `func`, every qnn.int.rescale of a single-use contraction
/// that the kernels cover into kernel loops (see the file comment), and
/// attaches the target's features to `func` when it rewrote one. Every
/// layer it leaves gets a remark saying why. Covered:
/// static shapes; 8-bit input of a signedness `target` supports with zero
/// point 0; constant i8 weights with zero points 0; an optional constant
/// bias; conv2d without padding (padding is an explicit qnn.int.pad after
/// --qopt-expand-zero-points), any depth; depthwise_conv2d with channel
/// multiplier 1. Everything else is left
/// for --qopt-convert-qnn-to-linalg. Depthwise layers take `depthwiseTile`
/// (pixels x vectors of channels), the others `tile`, whose sizes of 0 are
/// chosen per layer by the target's getTileCostModel (a remark of category
/// "qopt-kernel-tiles" states the tile). With `amxTile`, the
/// contractions whose runs of adjacent input bytes are a multiple of 4 take
/// x86 AMX tiles instead (AmxKernels.cpp: `amxTile.rows` output rows by
/// `amxTile.vectors` columns of 16 channels; `target` must be vpdpbusd's,
/// whose packed weights they read), the others `tile` with a remark saying
/// why. A convolution on a qnn.int.pad of its image's height and width
/// reads a padded copy of its own, written by each thread's share of its
/// tiles when `parallel` (its marked loop will run on threads), else once
/// before them. The tensors it creates are signless:
/// unrealized casts connect them to qnn's unsigned types until that
/// conversion runs. The passes that call it must declare the arith,
/// bufferization, llvm, memref, scf, tensor, tosa and vector dialects
/// dependent (the epilogue builds tosa.apply_scale, the padded copies are
/// buffers, the function gets an llvm.target_features attribute).
mlir::FailureOr<LayerKernelCounts>
lowerLayersToKernels(mlir::func::FuncOp func, const KernelTarget &target,
                     const KernelTile &tile, const KernelTile &depthwiseTile,
                     std::optional<KernelTile> amxTile = std::nullopt,
                     bool parallel = false);

} // namespace qopt::codegen

#endif // QOPT_CODEGEN_COMMON_LAYERKERNELS_H
