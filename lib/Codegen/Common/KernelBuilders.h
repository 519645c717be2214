//===- KernelBuilders.h - Shared pieces of the layer kernels ----*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// What the contraction and depthwise kernels share: where a row and a tap
// are in the flattened input (Geometry), the requantizing epilogue, the
// per-lane rescale parameters, the loops over tiles and the small builders
// of constants, reads and stores on tensors. See LayerKernels.cpp for the
// scheme.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CODEGEN_COMMON_KERNELBUILDERS_H
#define QOPT_LIB_CODEGEN_COMMON_KERNELBUILDERS_H

#include "qopt/Codegen/Common/KnownValues.h"
#include "qopt/Codegen/Common/LayerKernels.h"

#include "qopt/Conversion/QNNToLinalg/Requantize.h"
#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <optional>

namespace qopt::codegen::detail {

using namespace mlir;
namespace to_linalg = mlir::qnn::to_linalg;

/// Where the rows and reduction steps of a kernel are in its flattened
/// input (see the file comment).
struct Geometry {
  int64_t batch = 1, outH = 1, outW = 1;
  int64_t inH = 1, inW = 1, depth = 1;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  int64_t kernelH = 1, kernelW = 1;
  int64_t channels = 1;
  /// Padding above and left of the input that the kernel reads in place
  /// (depthwise kernels fold a qnn.int.pad; 0 elsewhere). inH and inW are
  /// then the unpadded sizes.
  int64_t padTop = 0, padLeft = 0;

  int64_t getRows() const { return batch * outH * outW; }
  /// The distance in the input between consecutive pixels of an output row.
  int64_t getRowStride() const { return strideW * depth; }
  int64_t getTaps() const { return kernelH * kernelW; }

  /// rowOffset(m) for the row `m`.
  int64_t rowOffset(int64_t m) const {
    int64_t pixels = outH * outW;
    int64_t n = m / pixels, oh = m % pixels / outW, ow = m % outW;
    return ((n * inH + oh * strideH) * inW + ow * strideW) * depth;
  }
  /// rowOffset(m) for the index `m`.
  Value rowOffset(OpBuilder &b, Location loc, Value m) const {
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value pixels = c(outH * outW);
    Value n = arith::DivUIOp::create(b, loc, m, pixels);
    Value pixel = arith::RemUIOp::create(b, loc, m, pixels);
    Value oh = arith::DivUIOp::create(b, loc, pixel, c(outW));
    Value ow = arith::RemUIOp::create(b, loc, pixel, c(outW));
    // ((n * H + oh * sh) * W + ow * sw) * C
    Value y =
        arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, n, c(inH)),
                              arith::MulIOp::create(b, loc, oh, c(strideH)));
    Value x =
        arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, y, c(inW)),
                              arith::MulIOp::create(b, loc, ow, c(strideW)));
    return arith::MulIOp::create(b, loc, x, c(depth));
  }

  /// A contraction's reduction as runs of adjacent input bytes. Without
  /// horizontal dilation a kernel row's KW x C steps are contiguous in the
  /// input, so each of the KH kernel rows is one run; else each tap is.
  int64_t getRuns() const { return dilationW == 1 ? kernelH : getTaps(); }
  int64_t getRunLength() const {
    return dilationW == 1 ? kernelW * depth : depth;
  }
  /// The bytes from a row's rowOffset to the end of its last run.
  int64_t getReadExtent() const {
    int64_t lastRun = getRuns() - 1;
    int64_t lastRunOffset = dilationW == 1
                                ? lastRun * dilationH * inW * depth
                                : (lastRun / kernelW * dilationH * inW +
                                   lastRun % kernelW * dilationW) *
                                      depth;
    return lastRunOffset + getRunLength();
  }
  /// The input offset of run `run`, from a row's rowOffset.
  Value runOffset(OpBuilder &b, Location loc, Value run) const {
    if (dilationW != 1)
      return tapOffset(b, loc, run);
    return arith::MulIOp::create(
        b, loc, run,
        arith::ConstantIndexOp::create(b, loc, dilationH * inW * depth));
  }

  /// tapOffset of the tap index `tap` = kh * KW + kw.
  Value tapOffset(OpBuilder &b, Location loc, Value tap) const {
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value kh = arith::DivUIOp::create(b, loc, tap, c(kernelW));
    Value kw = arith::RemUIOp::create(b, loc, tap, c(kernelW));
    Value offset = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, kh, c(dilationH * inW)),
        arith::MulIOp::create(b, loc, kw, c(dilationW)));
    return arith::MulIOp::create(b, loc, offset, c(depth));
  }
};

/// The geometry of a qnn.int.conv2d or qnn.int.depthwise_conv2d (NHWC input,
/// [O or 1, KH, KW, C] filter); `channels` is left to the caller.
template <typename ConvOp> Geometry getConvGeometry(ConvOp conv) {
  auto inputType = cast<RankedTensorType>(conv.getInput().getType());
  auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
  auto resultType = cast<RankedTensorType>(conv.getType());
  Geometry g;
  g.batch = inputType.getDimSize(0);
  g.inH = inputType.getDimSize(1);
  g.inW = inputType.getDimSize(2);
  g.depth = inputType.getDimSize(3);
  g.outH = resultType.getDimSize(1);
  g.outW = resultType.getDimSize(2);
  g.kernelH = filterType.getDimSize(1);
  g.kernelW = filterType.getDimSize(2);
  g.strideH = conv.getStrides()[0];
  g.strideW = conv.getStrides()[1];
  g.dilationH = conv.getDilations()[0];
  g.dilationW = conv.getDilations()[1];
  return g;
}

/// A qnn.int.rescale's arithmetic on accumulator vectors.
struct Epilogue {
  int64_t inputZp = 0, outputZp = 0, clampMin = 0, clampMax = 0;
  qnn::RoundingMode rounding = qnn::RoundingMode::DoubleRound;
  /// The range of the accumulators when the kernel knows it (a
  /// contraction's, getAccumulatorRange): stated on the requantization for
  /// the targets' instruction selection (kValueRangeAttrName).
  std::optional<qnn::IntegerRange> accumulatorRange;

  explicit Epilogue(qnn::IntRescaleOp op)
      : inputZp(op.getInputZp()), outputZp(op.getOutputZp()),
        rounding(op.getRounding()) {
    std::tie(clampMin, clampMax) = to_linalg::getClampRange(
        getElementTypeOrSelf(op.getType()), op.getClampMin(), op.getClampMax());
  }

  /// The narrowed vector<L x i8> of the accumulators `acc`, with
  /// `multiplier` (i32) and `tosaShift` (i8) vectors of the same length.
  Value apply(OpBuilder &b, Location loc, Value acc, Value multiplier,
              Value tosaShift) const {
    return narrow(b, loc, scale(b, loc, acc, multiplier, tosaShift));
  }

  /// `scaled` (vector<L x i32>, scale's values or their concatenation)
  /// clamped and truncated to vector<L x i8>.
  Value narrow(OpBuilder &b, Location loc, Value scaled) const {
    auto type = cast<VectorType>(scaled.getType());
    return to_linalg::clampAndTruncate(b, loc, scaled, clampMin, clampMax,
                                       type.clone(b.getI8Type()));
  }

  /// The requantized accumulators `acc` before clamping: scaled, with the
  /// output zero point added, as i32.
  Value scale(OpBuilder &b, Location loc, Value acc, Value multiplier,
              Value tosaShift) const {
    Value x = to_linalg::subtractZeroPoint(b, loc, acc, inputZp);
    Value scaled =
        to_linalg::applyScale(b, loc, x, multiplier, tosaShift, rounding);
    if (auto applyScale = scaled.getDefiningOp<tosa::ApplyScaleOp>();
        applyScale && accumulatorRange)
      setStatedRange(applyScale, {accumulatorRange->min - inputZp,
                                  accumulatorRange->max - inputZp});
    return arith::AddIOp::create(
        b, loc, scaled,
        to_linalg::createIntConstant(b, loc, scaled.getType(), outputZp));
  }
};

/// The signless counterpart of a qnn tensor type.
RankedTensorType getSignlessType(RankedTensorType type);

/// `value` as its signless counterpart (an unrealized cast that the
/// conversion to linalg resolves), or itself.
Value castToSignless(OpBuilder &b, Location loc, Value value);

/// `value` (a static tensor) collapsed to `rank` dimensions: the leading
/// ones merged into the first (rank 2) or everything (rank 1).
Value collapse(OpBuilder &b, Location loc, Value value, int64_t rank);

/// A constant tensor of `shape` and signless `elementType` holding `values`.
Value createConstantTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                           Type elementType, ArrayRef<int64_t> values);

Value index(OpBuilder &b, Location loc, int64_t v);

/// Reads a vector<size x element> at `indices` of the tensor or memref
/// `source`.
Value read(OpBuilder &b, Location loc, Value source, ValueRange indices,
           int64_t size);

/// Lanes [offset, offset + size) of the 1-D `vector`.
Value slice(OpBuilder &b, Location loc, Value vector, int64_t offset,
            int64_t size);

/// Below this many multiply-accumulates a layer takes less time than
/// starting threads does (an OpenMP fork and join costs about a microsecond,
/// 64^3 takes one on one core): its tiles stay on the calling thread.
inline constexpr int64_t kMinParallelWork = int64_t(1) << 20;
/// The same for depthwise layers, which spend several times longer per
/// multiply-accumulate (a requantized output per 9 taps): MobileNetV2's
/// depthwise layers of 0.3 to 1 million take 10 to 30 microseconds; the
/// 7x7x576 one at 14 x 14, 254k, 4.0 us on one thread, 9.8 at two on one
/// (its input written by the other core).
inline constexpr int64_t kMinParallelDepthwiseWork = int64_t(1) << 17;
/// From this many image rows, a depthwise layer's threads share out image
/// rows (good balance, one fork per layer) rather than panels.
inline constexpr int64_t kMinParallelImageRows = 4;
/// A kernel of one image row (a fully connected layer's batch rows, the AMX
/// kernels' rows of input pixels) whose threads, taking whole panels, would
/// write parts of the same cache lines (64 output channels in two AMX panels
/// of 32 bytes: every line of the output) or that has fewer than two panels
/// shares out halves of its row tiles instead, each over every panel, once
/// each of two threads gets this many.
inline constexpr int64_t kMinRowTilesPerThread = 2;
inline constexpr int64_t kCacheLineBytes = 64;
/// The most output pixels (rows) of a contraction whose kernel prefetches
/// its next panel of weights (emitContractionKernel): 14x14 images and
/// smaller, whose weights are large for the dot products they feed.
inline constexpr int64_t kMaxPrefetchingRows = 256;

/// How the vectors of output channels split into panels of `vectors`: `full`
/// whole panels, then a last one of `last` vectors (0: none). When the last
/// vector is partial, its panel is always the last one, emitted on its own,
/// so that the partial vector is static.
struct Panels {
  int64_t vectors = 1, full = 0, last = 0;
};
Panels getPanels(int64_t totalVectors, int64_t tileVectors,
                 bool lastVectorPartial);

using PanelEmitter = function_ref<Value(
    OpBuilder &, Location, Value out, Value v0, int64_t vectors,
    bool holdsLastVector, bool insideParallel)>;

/// A loop over the whole panels (marked kParallelTilesAttr when `parallel`)
/// and the last panel after it, each emitted by `emitPanel(out, v0, vectors,
/// holdsLastVector, insideParallel)`, with `out` as the iteration argument.
Value emitPanelLoops(OpBuilder &b, Location loc, Value out,
                     const Panels &panels, bool parallel,
                     PanelEmitter emitPanel);

using TileEmitter = function_ref<Value(
    OpBuilder &, Location, Value out, Value m0, int64_t rows, int64_t validRows,
    Value v0, int64_t vectors, bool holdsLastVector)>;

using PartPrologue =
    function_ref<void(OpBuilder &, Location, Value part, ArrayRef<int64_t>)>;

/// Loops, with `out` (the output tensor) as the iteration argument, over
/// the tiles of `rows` rows by `vectors` column vectors of a kernel with
/// `imageRows` x `rowLength` rows (output pixel rows of a convolution, or
/// one row of all the batch rows of a fully connected layer) and
/// `totalVectors` vectors; `rowsPerVector` rows share an accumulator vector.
/// A tile never spans two image rows, so that its rows are at constant
/// distances in the input. `emitTile(out, m0, rows, validRows, v0, vectors,
/// holdsLastVector)` emits one tile: `m0` (the flattened first row) and `v0`
/// are index values, `validRows` <= `rows` the rows that exist (the others
/// are padding rows of a partial tile); when `lastVectorPartial`, the tile
/// that holds the last vector is emitted on its own, after the loop, so that
/// the partial vector is static (`holdsLastVector`). Layers of at least
/// kMinParallelWork `multiplyAccumulates` get one loop of the nest marked
/// for --qopt-parallelize-tiles: for one image row, a loop over two halves
/// of the row tiles (kMinRowTilesPerThread) or else the panel or row-tile
/// loop; for a convolution, one loop over its panels and image rows whose
/// static schedule gives each of two threads about half the work (halves of
/// the image rows, else panels with the narrower last one where the threads'
/// shares meet), stated by an analysis remark of category
/// "qopt-parallel-tiles" (--remarks-filter=qopt-parallel-tiles).
/// `prologue`, if any, is emitted before the tiles of each part that one
/// thread runs: `prologue(part, starts)` precedes tiles of rows
/// [starts[part], starts[part + 1]) only (a partial last tile may start up
/// to a block earlier), `part` an index value. Where two threads share out
/// the tiles, the marked loop has two iterations, each a thread's share
/// after its prologue: halves of the row tiles (two parts), of the panels
/// of one image row, or of a split's iterations (its halves of the image
/// rows, else all of them); elsewhere one part of all the rows comes first.
Value emitTileLoops(OpBuilder &b, Location loc, Value out, int64_t imageRows,
                    int64_t rowLength, int64_t totalVectors, KernelTile tile,
                    int64_t rowsPerVector, TileEmitter emitTile,
                    int64_t multiplyAccumulates, bool lastVectorPartial,
                    PartPrologue prologue = nullptr);

/// The rows of a tile whose first row is the index `m0`: their indices
/// (rows of the [rows, channels] output) and their offsets in the flattened
/// input. A tile's rows are consecutive pixels of one image row, at constant
/// distances (Geometry::getRowStride); rows from `validRows` on (padding
/// rows of a partial tile) repeat the last valid one.
struct TileRows {
  SmallVector<Value> indices, offsets;
};
TileRows getTileRows(OpBuilder &b, Location loc, const Geometry &g, Value m0,
                     int64_t rows, int64_t validRows);

/// The channels that column `j` of a tile of `tileVectors` columns of
/// `perVector` channels stores: all, except in the last vector of the layer's
/// `vectors` (held by the last column of the tile that `holdsLast`).
inline int64_t getColumnChannels(const Geometry &g, int64_t vectors,
                                 int64_t perVector, int64_t j,
                                 int64_t tileVectors, bool holdsLast) {
  if (holdsLast && j + 1 == tileVectors)
    return g.channels - (vectors - 1) * perVector;
  return perVector;
}

/// The concatenation of `values` (1-D vectors of one type, a power of 2 of
/// them): whole-vector shuffles of pairs.
Value concatenate(OpBuilder &b, Location loc, ArrayRef<Value> values);

/// The empty [rows, channels] i8 output of a kernel.
Value createKernelOutput(OpBuilder &b, Location loc, int64_t rows,
                         int64_t channels);

/// Writes the narrowed lanes [lane, lane + count) of `values` at
/// out[m, n], m and n index values.
Value store(OpBuilder &b, Location loc, Value out, Value values, int64_t lane,
            int64_t count, Value m, Value n);

/// The parameters of the rescale as vectors: per-lane constant tensors
/// [vectors, lanes] read per vector, or splat constants when uniform.
struct LaneParams {
  Value multipliers, shifts;
  bool uniform = false;
  int64_t lanes = 0;
  int32_t uniformMultiplier = 0;
  int8_t uniformShift = 0;

  /// `laneChannels`, where not empty, is the channel of each lane (vector
  /// v's lane l at v * lanes + l) of a kernel that permutes its channels.
  LaneParams(OpBuilder &b, Location loc, qnn::IntRescaleOp rescale,
             int64_t vectors, int64_t lanes, int64_t rowsPerVector,
             ArrayRef<int64_t> laneChannels = {})
      : lanes(lanes) {
    ArrayRef<int32_t> m = rescale.getMultiplier(), s = rescale.getShift();
    uniform = m.size() == 1;
    auto tosaShift = [](int32_t shift) -> int64_t {
      return to_linalg::getTosaShift(shift);
    };
    if (uniform) {
      uniformMultiplier = m.front();
      uniformShift = tosaShift(s.front());
      return;
    }
    int64_t channelsPerVector = lanes / rowsPerVector;
    SmallVector<int64_t> mLanes, sLanes;
    for (int64_t v = 0; v < vectors; ++v)
      for (int64_t r = 0; r < rowsPerVector; ++r)
        for (int64_t c = 0; c < channelsPerVector; ++c) {
          size_t channel =
              laneChannels.empty()
                  ? v * channelsPerVector + c
                  : laneChannels[v * lanes + r * channelsPerVector + c];
          bool valid = channel < m.size();
          mLanes.push_back(valid ? m[channel] : 0);
          // Lanes past the last channel are never stored. They shift as
          // the last channel does: the requantization's instructions are
          // chosen from every lane's shift, and a shift of their own (a
          // left shift among right shifts, or one more distinct value)
          // would give the whole vector the general sequence.
          sLanes.push_back(tosaShift(s[valid ? channel : s.size() - 1]));
        }
    multipliers =
        createConstantTensor(b, loc, {vectors, lanes}, b.getI32Type(), mLanes);
    shifts =
        createConstantTensor(b, loc, {vectors, lanes}, b.getI8Type(), sLanes);
  }

  /// The first `size` lanes of vector `v`'s parameters.
  std::pair<Value, Value> get(OpBuilder &b, Location loc, Value v,
                              int64_t size) const {
    if (uniform)
      return {
          to_linalg::createIntConstant(b, loc,
                                       VectorType::get({size}, b.getI32Type()),
                                       uniformMultiplier),
          to_linalg::createIntConstant(
              b, loc, VectorType::get({size}, b.getI8Type()), uniformShift)};
    Value zero = index(b, loc, 0);
    return {read(b, loc, multipliers, {v, zero}, size),
            read(b, loc, shifts, {v, zero}, size)};
  }
};

/// The values of `value` if it is a constant, else none (`empty` when
/// `value` is null: no bias is a bias of zeros).
std::optional<SmallVector<int64_t>> getOptionalConstant(Value value,
                                                        int64_t size);

bool allZero(ArrayRef<int64_t> values);

bool isByteTensor(Type type);

/// Whether the integer convolution `conv` has had its zero points and its
/// padding made explicit by --qopt-expand-zero-points, as the kernels need;
/// otherwise `whyNot` says which.
template <typename ConvOp>
bool hasExpandedZeroPoints(ConvOp conv, StringRef &whyNot) {
  if (conv.getInputZp() != 0 || !allZero(conv.getFilterZp())) {
    whyNot = "it has zero points (--qopt-expand-zero-points expands them "
             "when the weights are constant)";
    return false;
  }
  if (!allZero(conv.getPadding())) {
    whyNot = "it pads its input (--qopt-expand-zero-points makes the "
             "padding an explicit qnn.int.pad)";
    return false;
  }
  return true;
}

/// Replaces `rescale` (and the layer `producer` it requantizes) with the
/// kernel's [rows, channels] output `out`.
void replaceLayer(OpBuilder &b, qnn::IntRescaleOp rescale, Operation *producer,
                  Value out);

/// A layer the kernels cover: its producer, input, geometry and constants.
struct Layer {
  Operation *contraction;
  Value input;
  bool inputUnsigned;
  Geometry geometry;
  /// [channels, taps * depth], row-major.
  SmallVector<int64_t> weights;
  SmallVector<int64_t> bias;
  /// The qnn.int.pad whose input the kernel reads in place (its padded taps
  /// take `padValue`; foldInputPad), or null.
  Operation *pad = nullptr;
  int64_t padValue = 0;
};

/// The qnn.int.pad of the image's height and width only (of an image of at
/// least one pixel) that `input` is, or null.
qnn::IntPadOp getImagePad(Value input);
/// Reads a qnn.int.pad of the layer's input that pads the image's height and
/// width only (getImagePad) in place: its input becomes the layer's, with layer.pad and
/// layer.padValue set and the padding in the geometry (inH and inW then
/// unpadded). Any other input is left as it is.
void foldInputPad(Layer &layer);

/// Whether a convolution's kernel rows can be read interleaved
/// (interleaveKernelRows): no horizontal dilation, more than one kernel row,
/// and the KH x C bytes of an interleaved pixel within one vector of the
/// copy (64 bytes).
bool canInterleaveKernelRows(const Geometry &g);
/// The geometry of a convolution read with its kernel rows interleaved: one
/// kernel row of depth KH x C over an input of one image row per output row.
Geometry getInterleavedGeometry(const Geometry &g);
/// `layer` (canInterleaveKernelRows) with its kernel rows interleaved: a
/// layer of few input channels (a first convolution's 3) has runs of a few
/// bytes, each rounded up to whole reduction steps (groups of a dot-product
/// instruction, tile rows of AMX), so its kernel spends its time on zeros.
/// Its input becomes a copy in which pixel x of an output row holds the C
/// bytes of input pixel x of each of the KH input rows that the output row
/// reads, [N * OH * W * KH * C] bytes (getInterleavedGeometry), so that a
/// window is one run of KW x KH x C adjacent bytes; its weights become [O,
/// KW, KH, C]. A qnn.int.pad of the input's height and width is folded into
/// the copy (layer.pad; no padded copy of the input is written): a kernel
/// row above or below the input reads nothing, and the pixels left and right
/// of it, in vectors of their own, take the pad value. The copy writes each
/// input byte KH / strideH times.
Layer interleaveKernelRows(OpBuilder &b, Location loc, const Layer &layer);

/// The buffer of `tensor`, of type `type`, which a kernel only reads.
Value getReadOnlyBuffer(OpBuilder &b, Location loc, Value tensor,
                        MemRefType type);

/// A kernel on a qnn.int.pad of its image's height and width (getImagePad)
/// reads a padded copy of its own rather than one of the whole input
/// written before it: on threads, each thread's share of the tiles
/// (emitTileLoops' prologue) first writes the padded image rows that its
/// tiles read into a buffer of its own, the border from the pad value and
/// the interior from the pad's input; on one thread, one copy of all the
/// rows comes first. A padded copy of the whole input before the layer is
/// written serially (or by both threads in a parallel region of its own)
/// and then read across the threads (ResNet-18's 56x56x64 3x3 layer on AMX:
/// 49 us on two threads, 39 on an input padded beforehand).
struct PartPaddedInput {
  /// The pad's [low, high] per NHWC dimension and its value.
  SmallVector<int64_t> padding;
  int64_t padValue;
  /// The padded input's [N, H, W, C].
  SmallVector<int64_t> shape;
  Value unpadded;
  /// Bytes copied by one vector op; bytes before and after a part's rows
  /// (whole cache lines), which a kernel's reads may reach past them.
  int64_t vectorBytes, slack;

  PartPaddedInput(OpBuilder &b, Location loc, qnn::IntPadOp pad,
                  int64_t vectorBytes, int64_t slack);

  /// Bytes of a padded image row.
  int64_t getRowBytes() const { return shape[2] * shape[3]; }
  /// The padded image rows of all the images, one after the other.
  int64_t getImageRows() const { return shape[0] * shape[1]; }

  /// Writes the padded image rows that part `part` of a kernel's rows
  /// [starts[part], starts[part + 1]) reads (emitTileLoops' prologue) into a
  /// new buffer, those of the bytes [first, end) = `getReadBytes(begin, end)`
  /// of the flattened padded input that rows [begin, end) read; returns it
  /// and the offset in the flattened padded input of its byte 0.
  std::pair<Value, Value>
  emit(OpBuilder &b, Location loc, Value part, ArrayRef<int64_t> starts,
       function_ref<std::pair<int64_t, int64_t>(int64_t, int64_t)> getReadBytes)
      const;
};

/// The covered fully connected or conv2d layer that `rescale` requantizes;
/// otherwise none, with `whyNot` saying what the kernels do not cover.
std::optional<Layer> matchContraction(qnn::IntRescaleOp rescale,
                                      const KernelTarget &target,
                                      StringRef &whyNot);
/// The tile of the contraction `layer` on `target`: `pinned`'s sizes, those
/// it leaves 0 chosen by the target's getTileCostModel (see TileCostModel)
/// and stated by an analysis remark of category "qopt-kernel-tiles"
/// (--remarks-filter=qopt-kernel-tiles) at `loc`.
KernelTile chooseContractionTile(Location loc, const Layer &layer,
                                 const KernelTarget &target, KernelTile pinned);
/// Rewrites `rescale` of the contraction `layer` into kernel loops.
/// `parallel`: the marked loop will run on threads (a padded input is then
/// copied per thread's share of the tiles, PartPaddedInput).
void emitContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                           const Layer &layer, const KernelTarget &target,
                           KernelTile tile, bool parallel);
/// The packed weights of a contraction (see KernelTarget): [vectors *
/// groups, C * G], `groupsPerRun` groups per run, zero past a run's last
/// step and past the last channel, in the order of packWeightValues.
Value packWeights(OpBuilder &b, Location loc, const Layer &layer,
                  const KernelTarget &target, int64_t vectors,
                  int64_t groupsPerRun, int64_t panelVectors);
/// The packed weight vectors of a contraction, with each run's steps moved
/// `lead` positions later (zero before them), panel by panel of
/// `panelVectors` vectors (the last one narrower): a panel's groups one
/// after the other, each group's vectors in order. With `panelVectors` = 1,
/// [vectors, groups, C * G].
SmallVector<int64_t> packWeightValues(const Layer &layer,
                                      const KernelTarget &target,
                                      int64_t vectors, int64_t groupsPerRun,
                                      int64_t lead, int64_t panelVectors = 1);
/// The bias of a contraction plus `offset` as the constant [vectors, lanes]
/// i32 tensor of its accumulator vectors' lanes (a bias of zero past the
/// last channel).
Value createBiasLanes(OpBuilder &b, Location loc, const Layer &layer,
                      int64_t vectors, int64_t lanes, int64_t rowsPerVector,
                      int64_t offset = 0);
/// The storage values of the layer's 8-bit input, which its kernels
/// multiply without subtracting a zero point (folded into their bias).
qnn::IntegerRange getInputRange(const Layer &layer);
/// The range of the i32 accumulator of every lane of a contraction kernel
/// over any input: qnn::getAccumulatorRange of each channel's weights and
/// bias (lanes past the last channel sum to 0).
qnn::IntegerRange getAccumulatorRange(const Layer &layer);
/// Whether the AMX kernel is expected to be faster than the vpdpbusd
/// kernel on the contraction `layer` (see AmxKernels.cpp).
bool prefersAmxContraction(const Layer &layer);
/// Whether the AMX kernel with tiles of `tile.rows` rows covers the
/// contraction `layer`; otherwise `whyNot` says why.
bool coversAmxContraction(const Layer &layer, const KernelTile &tile,
                          StringRef &whyNot);
/// Rewrites `rescale` of the contraction `layer` into kernel loops over AMX
/// tiles (see AmxKernels.cpp) of `tile.rows` output rows by `tile.vectors`
/// columns of 16 channels. `target` packs the weights: it must be
/// vpdpbusd's layout (16 lanes of groups of 4 bytes), which is the layout
/// of tdpbusd's right-hand tile. `parallel`: the marked loop will run on
/// threads (a padded input is then copied per thread's share of the tiles).
void emitAmxContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                              const Layer &layer, const KernelTarget &target,
                              KernelTile tile, bool parallel);
/// The covered depthwise layer that `rescale` requantizes; otherwise none,
/// with `whyNot` saying what the kernels do not cover.
std::optional<Layer> matchDepthwise(qnn::IntRescaleOp rescale,
                                    StringRef &whyNot);
/// Rewrites `rescale` of the depthwise `layer` into kernel loops.
void emitDepthwiseKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                         const Layer &layer, const KernelTarget &target,
                         KernelTile tile);

} // namespace qopt::codegen::detail

#endif // QOPT_LIB_CODEGEN_COMMON_KERNELBUILDERS_H
