//===- DepthwiseKernels.cpp - Depthwise convolution kernels ---------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Depthwise layers: one accumulator lane per channel, the reduction over
// the taps. A tap step takes one of two forms:
// * widened (every target): acc += ext(x_tap) * w_tap on i32 vectors;
// * grouped (KernelTarget::hasDepthwiseDotProduct): the taps in groups of
//   the instruction's G down a column of the window (zero-padded), the input
//   vectors of a group's taps interleaved so that lane c holds
//   x_t0[c] .. x_t(G-1)[c], one dot product against weights packed the same
//   way at compile time. A 3x3 kernel is 3 vpdpbusd per 16 channels instead
//   of 9 widening multiplies and adds, and a tile interleaves each input
//   column once for the pixels that share it: by pairwise interleaves, or
//   where the target says one byte shuffle of two registers is cheap
//   (KernelTarget::interleavesByOneShuffle, x86) by one shuffle of two
//   concatenations. At stride 1, a tile of two output rows shares each
//   column too when their kernel rows fit one group (3x3, G = 4): the
//   group holds the four input rows of both, and each row has its own
//   weights (zero for the input row it does not read). At stride 2 on x86,
//   with channels in multiples of 64, 4 vectors of channels (a block of 64
//   bytes) interleave their rows by in-lane unpacks, which leaves their
//   channels permuted: weights, bias and requantization parameters are
//   packed in that order.
//
// Padding is read in place: after --qopt-expand-zero-points a padded layer
// reads a qnn.int.pad of its input, and the kernel reads that pad's input
// instead. No padded copy is written, and the padding costs little code:
// * the output rows split into ranges whose taps fall inside the input at
//   the same kernel rows; each range has its own packed weights and bias
//   (data, not code): zero weights for the kernel rows outside the input,
//   and their products with the pad value in the bias. Those rows are read
//   at a clamped row.
// * a row has two tiles: an unchecked one for the interior columns, and a
//   checked one for the border columns, which clamps its input columns and
//   selects the pad value for those outside the input.
// A network's function then holds two tiles per layer (and panel width)
// rather than one per border range, which had doubled the compile time of
// MobileNetV2.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"
#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace qopt::codegen::detail {

namespace {
/// Output coordinates [begin, end) along one axis whose taps fall inside the
/// input at the same kernel positions (`inside[k]` for kernel position k).
struct AxisRange {
  int64_t begin, end;
  SmallVector<bool> inside;
};
} // namespace

/// The ranges of `outSize` output coordinates along an axis of `inSize`
/// input ones with `padLow` padding before them: output o, kernel position
/// k reads input o * stride + k * dilation - padLow.
static SmallVector<AxisRange> getAxisRanges(int64_t outSize, int64_t inSize,
                                            int64_t stride, int64_t dilation,
                                            int64_t kernel, int64_t padLow) {
  SmallVector<AxisRange> ranges;
  for (int64_t o = 0; o < outSize; ++o) {
    SmallVector<bool> inside;
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t i = o * stride + k * dilation - padLow;
      inside.push_back(i >= 0 && i < inSize);
    }
    if (!ranges.empty() && ranges.back().inside == inside)
      ranges.back().end = o + 1;
    else
      ranges.push_back({o, o + 1, std::move(inside)});
  }
  return ranges;
}

/// The output coordinates [begin, end) of `ranges` whose taps are all
/// inside the input (an empty range at 0 when there are none).
static std::pair<int64_t, int64_t>
getInterior(ArrayRef<AxisRange> ranges) {
  for (const AxisRange &range : ranges)
    if (llvm::all_of(range.inside, [](bool inside) { return inside; }))
      return {range.begin, range.end};
  return {0, 0};
}

namespace {
/// How a row of output pixels splits into tiles (see emitDepthwiseKernel):
/// unchecked tiles of `pixels` over [uncheckedBegin, uncheckedEnd) (empty:
/// none), `leftTiles` checked tiles of `checkedPixels` before them and
/// `rightTiles` after them.
struct RowTiles {
  int64_t pixels = 1, uncheckedBegin = 0, uncheckedEnd = 0;
  int64_t checkedPixels = 1, leftTiles = 0, rightTiles = 0;

  /// About the instructions the row takes per vector of channels: per tile,
  /// a dot product per pixel and step, an interleaved input column (reads and
  /// shuffles) per column and chunk, the epilogue per pixel and the weights;
  /// a checked tile also clamps and selects its columns.
  double getCost(const Geometry &g, int64_t chunks) const {
    auto tileCost = [&](int64_t p) {
      int64_t steps = g.kernelW * chunks;
      int64_t columns =
          ((p - 1) * g.strideW + (g.kernelW - 1) * g.dilationW + 1) * chunks;
      return double(p * steps + 5 * columns + 15 * p + steps + 5);
    };
    int64_t unchecked = (uncheckedEnd - uncheckedBegin) / pixels;
    return unchecked * tileCost(pixels) +
           1.3 * (leftTiles + rightTiles) * tileCost(checkedPixels);
  }
};
} // namespace

/// The tiles of a row of `width` pixels, those in [interiorBegin,
/// interiorEnd) with all their taps inside the input, for unchecked tiles of
/// `pixels`.
static RowTiles getRowTiles(int64_t width, int64_t interiorBegin,
                            int64_t interiorEnd, int64_t pixels) {
  RowTiles row;
  row.pixels = pixels;
  row.uncheckedEnd = interiorEnd;
  row.uncheckedBegin =
      interiorEnd -
      std::max<int64_t>(interiorEnd - interiorBegin, 0) / pixels * pixels;
  if (row.uncheckedEnd == row.uncheckedBegin)
    row.uncheckedBegin = row.uncheckedEnd = width;
  // As few pixels as the wider side needs, or the unchecked tile's.
  row.checkedPixels =
      row.uncheckedBegin == width
          ? pixels
          : std::clamp<int64_t>(
                std::max(row.uncheckedBegin, width - row.uncheckedEnd), 1,
                pixels);
  row.leftTiles = llvm::divideCeil(row.uncheckedBegin, row.checkedPixels);
  row.rightTiles =
      llvm::divideCeil(width - row.uncheckedEnd, row.checkedPixels);
  return row;
}

/// Whether `rescale` requantizes a covered depthwise convolution; fills
/// `layer` (its weights [taps, channels]).
std::optional<Layer> matchDepthwise(qnn::IntRescaleOp rescale,
                                    StringRef &whyNot) {
  auto conv = rescale.getInput().getDefiningOp<qnn::IntDepthwiseConv2DOp>();
  if (!conv || !conv->hasOneUse()) {
    whyNot = "its result is not requantized by a single qnn.int.rescale";
    return std::nullopt;
  }
  if (!isByteTensor(rescale.getType())) {
    whyNot = "it is not requantized to 8 bits";
    return std::nullopt;
  }
  if (!hasExpandedZeroPoints(conv, whyNot))
    return std::nullopt;
  auto inputType = cast<RankedTensorType>(conv.getInput().getType());
  auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
  auto resultType = cast<RankedTensorType>(conv.getType());
  if (!isByteTensor(inputType) ||
      getElementTypeOrSelf(filterType).isUnsignedInteger()) {
    whyNot = "its input is not 8-bit or its weights not signed";
    return std::nullopt;
  }
  // Channel multiplier 1: output channel c reads input channel c.
  if (resultType.getDimSize(3) != inputType.getDimSize(3)) {
    whyNot = "its channel multiplier is not 1";
    return std::nullopt;
  }
  Layer layer;
  layer.contraction = conv;
  layer.input = conv.getInput();
  layer.inputUnsigned = getElementTypeOrSelf(inputType).isUnsignedInteger();
  layer.geometry = getConvGeometry(conv);
  Geometry &g = layer.geometry;
  g.channels = g.depth;
  foldInputPad(layer);
  std::optional<SmallVector<int64_t>> weights =
      qnn::getIntConstantValues(conv.getFilter());
  std::optional<SmallVector<int64_t>> bias =
      getOptionalConstant(conv.getBias(), g.channels);
  if (!weights || !bias) {
    whyNot = "its weights or bias are not constant";
    return std::nullopt;
  }
  layer.weights = std::move(*weights);
  layer.bias = std::move(*bias);
  return layer;
}

/// The vector whose lane c * G + e is lane c of values[e], for G =
/// values.size() a power of 2: pairs interleaved, in chunks that double.
static Value interleave(OpBuilder &b, Location loc, SmallVector<Value> values) {
  for (int64_t chunk = 1; values.size() > 1; chunk *= 2) {
    SmallVector<Value> pairs;
    for (size_t i = 0; i < values.size(); i += 2) {
      int64_t size = cast<VectorType>(values[i].getType()).getDimSize(0);
      SmallVector<int64_t> mask;
      for (int64_t c = 0; c < size / chunk; ++c)
        for (int64_t half = 0; half < 2; ++half)
          for (int64_t e = 0; e < chunk; ++e)
            mask.push_back(half * size + c * chunk + e);
      pairs.push_back(
          vector::ShuffleOp::create(b, loc, values[i], values[i + 1], mask));
    }
    values = std::move(pairs);
  }
  return values.front();
}

/// interleave's vector by one shuffle of two concatenations: values[0 ..
/// G/2) and values[G/2 .. G), each joined by whole-vector concatenations
/// (register inserts, or broadcasts of one load where both halves are the
/// same vector). Elements `unused[e]` (zero bytes that meet zero weights)
/// take a copy of another element instead, which the sum ignores too.
static Value interleaveByOneShuffle(OpBuilder &b, Location loc,
                                    SmallVector<Value> values,
                                    ArrayRef<bool> unused) {
  int64_t groupSize = values.size();
  int64_t size = cast<VectorType>(values.front().getType()).getDimSize(0);
  for (int64_t e = 1; e < groupSize; ++e)
    if (unused[e])
      values[e] = values[e - 1];
  int64_t half = groupSize / 2;
  SmallVector<int64_t> mask;
  for (int64_t c = 0; c < size; ++c)
    for (int64_t e = 0; e < groupSize; ++e)
      mask.push_back(e / half * half * size + e % half * size + c);
  return vector::ShuffleOp::create(
      b, loc, concatenate(b, loc, ArrayRef(values).take_front(half)),
      concatenate(b, loc, ArrayRef(values).drop_front(half)), mask);
}

/// The interleaves of four vectors of 64 bytes `values` (G = 4) by 128-bit
/// lanes, as four vectors: element 4q + e of lane l of result k is byte
/// 4k + q of lane l of values[e]. Two levels of in-lane unpacks (bytes, then
/// 16-bit pairs), 8 single-cycle shuffles on x86 where interleaving each
/// vector of 16 channels by a two-table byte shuffle takes 4 of them, but the
/// channels come out permuted: result k holds channels 16l + 4k .. 16l + 4k
/// + 3 in lane l (see getBlockedChannel). Elements `unused[e]` take a copy
/// of another element, as in interleaveByOneShuffle.
static SmallVector<Value> interleaveInLanes(OpBuilder &b, Location loc,
                                            SmallVector<Value> values,
                                            ArrayRef<bool> unused) {
  for (int64_t e = 1; e < 4; ++e)
    if (unused[e])
      values[e] = values[e - 1];
  // Per 16-byte lane, elements of `width` bytes from the low or high half
  // of x and y, alternately.
  auto unpack = [&](Value x, Value y, int64_t width, bool high) -> Value {
    SmallVector<int64_t> mask;
    for (int64_t lane = 0; lane < 4; ++lane)
      for (int64_t k = 0; k < 8 / width; ++k)
        for (int64_t source = 0; source < 2; ++source)
          for (int64_t byte = 0; byte < width; ++byte)
            mask.push_back(source * 64 + lane * 16 + (high ? 8 : 0) +
                           k * width + byte);
    return vector::ShuffleOp::create(b, loc, x, y, mask);
  };
  Value low01 = unpack(values[0], values[1], 1, false);
  Value high01 = unpack(values[0], values[1], 1, true);
  Value low23 = unpack(values[2], values[3], 1, false);
  Value high23 = unpack(values[2], values[3], 1, true);
  return {unpack(low01, low23, 2, false), unpack(low01, low23, 2, true),
          unpack(high01, high23, 2, false), unpack(high01, high23, 2, true)};
}

/// The channel in lane `lane` of vector `v` of a blocked panel's vectors of
/// 16 channels (see interleaveInLanes): vector 4b + k holds, in 128-bit lane
/// l, channels 64b + 16l + 4k .. + 3.
static int64_t getBlockedChannel(int64_t v, int64_t lane) {
  return 64 * (v / 4) + 16 * (lane / 4) + 4 * (v % 4) + lane % 4;
}

/// The most pixels of a tile of a block's 4 vectors: 16 accumulators leave
/// the registers that a column's rows and interleaves take (measured on
/// MobileNetV2's stride-2 layers, one thread: 6 pixels spill more).
static constexpr int64_t kBlockPixels = 4;

/// `body(out, i)` for i from `begin` to `end` by `step` (index values), with
/// `out` as the iteration argument: an scf.for, marked for
/// --qopt-parallelize-tiles when `parallel`.
static Value
emitLoop(OpBuilder &b, Location loc, Value out, Value begin, Value end,
         int64_t step, bool parallel,
         function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto loop = scf::ForOp::create(
      b, loc, begin, end, index(b, loc, step), ValueRange{out},
      [&](OpBuilder &lb, Location lloc, Value i, ValueRange args) {
        scf::YieldOp::create(lb, lloc, body(lb, lloc, args.front(), i));
      });
  if (parallel)
    loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
  return loop.getResult(0);
}

/// emitLoop over constant bounds; the body alone for a single iteration.
static Value
emitLoop(OpBuilder &b, Location loc, Value out, int64_t begin, int64_t end,
         int64_t step, bool parallel,
         function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  if (end <= begin)
    return out;
  if (end - begin <= step)
    return body(b, loc, out, index(b, loc, begin));
  return emitLoop(b, loc, out, index(b, loc, begin), index(b, loc, end), step,
                  parallel, body);
}

/// Rewrites `rescale` of the depthwise `layer` into kernel loops (see the
/// file comment): panels of `tile.vectors` vectors of channels, images, rows
/// and tiles of `tile.rows` pixels of a row. A partial last vector of
/// channels is a shorter vector. There are two tiles: one for the interior,
/// whose taps are all inside the input, and one checked tile for the
/// borders, whose taps test their input row and column and read the pad
/// value outside; the last tile of a run of tiles is moved back to end at
/// the run's end (recomputing a few pixels) rather than being a shorter copy.
void emitDepthwiseKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                         const Layer &layer, const KernelTarget &target,
                         KernelTile tile) {
  Location loc = rescale.getLoc();
  const Geometry &g = layer.geometry;
  int64_t lanes = target.getLanes();
  int64_t vectors = llvm::divideCeil(g.channels, lanes);
  int64_t padded = vectors * lanes;
  int64_t taps = g.getTaps();
  bool grouped = target.hasDepthwiseDotProduct() &&
                 target.getRowsPerVector() == 1 &&
                 target.getWeightBitWidth() == 8 &&
                 llvm::isPowerOf2_64(target.getGroupSize()) &&
                 target.supportsInput(layer.inputUnsigned);
  int64_t groupSize = target.getGroupSize();
  // A dot-product step takes a column of the window: kernel rows kG ..
  // kG + G - 1 of kernel column kw (zero past the last row). The input of a
  // step then depends on the input column only, which the steps of adjacent
  // output pixels share (kernel column kw of pixel i is kernel column kw - 1
  // of pixel i + 1 at stride 1): the tile interleaves each input column
  // once.
  int64_t chunks = llvm::divideCeil(g.kernelH, groupSize);
  bool lastPartial = g.channels % lanes != 0;
  // A tile covers `tileRows` output rows. Two rows at stride 1 whose
  // kernel rows fit one group together (3x3 and G = 4) share each
  // interleaved input column: element e of a step is input row e of the
  // tile, kernel row e of the first output row and e - 1 of the second,
  // each row with its own packed weights. Loading and interleaving a
  // column then costs half as much per output pixel.
  int64_t tileRows = grouped && chunks == 1 && g.strideH == 1 &&
                             g.dilationH == 1 && g.kernelH + 1 <= groupSize &&
                             g.outH >= 2
                         ? 2
                         : 1;
  // The input rows a tile reads, from that of its first row's kernel row 0.
  int64_t tileInputRows = (g.kernelH - 1) * g.dilationH + tileRows;
  // Where a byte shuffle of two registers is cheap (x86) and a tile has one
  // output row, panels of 4 full vectors of 16 channels (a block of 64
  // bytes) interleave each input column by in-lane unpacks of whole rows
  // (interleaveInLanes): 2 shuffles per vector where a two-table byte
  // shuffle and the insert that joins its rows take 3 (the two-table
  // shuffle takes two cycles). Their lanes hold the channels permuted
  // (getBlockedChannel): the weights, bias and requantization parameters are
  // packed in that order at compile time, and the narrowed bytes put back in
  // order by a byte shuffle, which cancels the narrowing's own lane shuffle.
  // Only where the channels are whole blocks: then each block's rows are
  // whole cache lines of a 64-byte aligned input, where 144 channels would
  // split 3 of 4 of their 64-byte reads over two lines (measured slower
  // than the two-table shuffles on 56x56x144, and on 112x112x96).
  int64_t blockedVectors =
      grouped && target.interleavesByOneShuffle() && tileRows == 1 &&
              groupSize == 4 && lanes == 16 &&
              target.getNarrowedVectors() == 4 && g.channels % (4 * lanes) == 0
          ? g.channels / lanes
          : 0;
  // The channel of lane position p (vector p / lanes, lane p % lanes).
  auto channelAt = [&](int64_t p) {
    int64_t v = p / lanes;
    return v < blockedVectors ? getBlockedChannel(v, p % lanes) : p;
  };
  // The tap of element e of step `step` of `size` elements (a window column
  // of dot-product steps, or one tap per step for size 1) for row `row` of
  // the tile; none outside the kernel.
  auto tapOf = [&](int64_t step, int64_t e, int64_t size,
                   int64_t row) -> int64_t {
    if (size == 1)
      return step;
    int64_t kh = step % chunks * size + e - row;
    return kh >= 0 && kh < g.kernelH ? kh * g.kernelW + step / chunks : taps;
  };

  Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  // The rows of the output split into ranges whose taps are inside the input
  // at the same kernel rows. Each range has its own weights and bias: the
  // weights of the kernel rows outside the input zero, and their products
  // with the pad value in the bias. A tile reads kernel rows outside the
  // input at a clamped (any valid) row, and the padding above and below the
  // image costs nothing.
  SmallVector<AxisRange> rowRanges =
      getAxisRanges(g.outH, g.inH, g.strideH, g.dilationH, g.kernelH, g.padTop);
  int64_t cases = rowRanges.size();
  auto tapInside = [&](int64_t rowCase, int64_t t) {
    return t < taps && rowRanges[rowCase].inside[t / g.kernelW];
  };
  // The weights [cases * steps, padded channels * G]: lane c of step k
  // holds the weights of the G taps of step k of channel c, zero past the
  // kernel, the last channel and outside the input. Packed as i8 for the
  // dot product (G the instruction's group size) and widened to i32 at
  // compile time for the widened form (G = 1, a tap per step), which a
  // partial vector of channels takes too (no instruction has its shape).
  // The dot product's weights come in `tileRows` versions, one per row of
  // the tile: [(rowCase * tileRows + row) * steps + step, ...].
  auto packWeights = [&](int64_t size, Type elementType) {
    int64_t steps = size == 1 ? taps : g.kernelW * chunks;
    int64_t rows = size == 1 ? 1 : tileRows;
    SmallVector<int64_t> packed(cases * rows * steps * padded * size, 0);
    for (int64_t rowCase = 0; rowCase < cases; ++rowCase)
      for (int64_t row = 0; row < rows; ++row)
        for (int64_t step = 0; step < steps; ++step)
          for (int64_t e = 0; e < size; ++e) {
            int64_t t = tapOf(step, e, size, row);
            int64_t base = ((rowCase * rows + row) * steps + step) * padded;
            for (int64_t p = 0; tapInside(rowCase, t) && p < padded; ++p)
              if (int64_t c = channelAt(p); c < g.channels)
                packed[(base + p) * size + e] =
                    layer.weights[t * g.channels + c];
          }
    return std::make_pair(
        createConstantTensor(b, loc, {cases * rows * steps, padded * size},
                             elementType, packed),
        steps);
  };
  // Plain variables rather than structured bindings: the tile lambdas
  // capture them, which C++17 does not allow for bindings.
  Value groupedWeights, wideWeights;
  int64_t groupedSteps = 0, wideSteps = 0;
  if (grouped)
    std::tie(groupedWeights, groupedSteps) =
        packWeights(groupSize, b.getI8Type());
  if (!grouped || lastPartial)
    std::tie(wideWeights, wideSteps) = packWeights(1, b.getI32Type());
  // The pad value as the kernel's products see it.
  int64_t padValue =
      layer.inputUnsigned
          ? int64_t(uint8_t(static_cast<int8_t>(layer.padValue)))
          : int64_t(static_cast<int8_t>(layer.padValue));
  SmallVector<int64_t> bias(cases * padded, 0);
  for (int64_t rowCase = 0; rowCase < cases; ++rowCase)
    for (int64_t c = 0; c < g.channels; ++c) {
      int64_t sum = layer.bias[c];
      for (int64_t t = 0; t < taps; ++t)
        if (!tapInside(rowCase, t))
          sum += padValue * layer.weights[t * g.channels + c];
      bias[rowCase * padded + c] = sum;
    }
  Epilogue epilogue(rescale);
  // Where the target asks for it and the accumulators are known to be in
  // [-2^19, 2^19) (the requantization's input, after its zero point), they
  // start at the bias plus qnn::kOffsetProductBias, which the epilogue
  // subtracts again (KernelTarget::offsetsAccumulators). Not in
  // blocks, whose per-row terms of 4 vectors of channels outlast the
  // registers that their 16 accumulators leave (14x14x576/2 on Zen 5: 132
  // GOP/s with the offset, 158 without; 161 without IFMA).
  bool offsetAccumulators = false;
  if (target.offsetsAccumulators() && blockedVectors == 0) {
    qnn::IntegerRange input = getInputRange(layer);
    qnn::IntegerRange range{std::numeric_limits<int64_t>::max(),
                            std::numeric_limits<int64_t>::min()};
    for (int64_t rowCase = 0; rowCase < cases; ++rowCase)
      for (int64_t c = 0; c < g.channels; ++c) {
        int64_t positive = 0, negative = 0;
        for (int64_t t = 0; t < taps; ++t)
          if (tapInside(rowCase, t)) {
            int64_t w = layer.weights[t * g.channels + c];
            (w > 0 ? positive : negative) += w;
          }
        qnn::IntegerRange sum = qnn::getAccumulatorRange(
            input, positive, negative, bias[rowCase * padded + c]);
        range = {std::min(range.min, sum.min), std::max(range.max, sum.max)};
      }
    offsetAccumulators =
        range.min - epilogue.inputZp >= -qnn::kOffsetProductBias &&
        range.max - epilogue.inputZp < qnn::kOffsetProductBias;
    if (offsetAccumulators) {
      for (int64_t rowCase = 0; rowCase < cases; ++rowCase)
        for (int64_t c = 0; c < g.channels; ++c)
          bias[rowCase * padded + c] += qnn::kOffsetProductBias;
      epilogue.inputZp += qnn::kOffsetProductBias;
      epilogue.accumulatorRange = {range.min + qnn::kOffsetProductBias,
                                   range.max + qnn::kOffsetProductBias};
    }
  }
  SmallVector<int64_t> biasLanes(cases * padded), laneChannels(padded);
  for (int64_t p = 0; p < padded; ++p)
    laneChannels[p] = channelAt(p);
  for (int64_t rowCase = 0; rowCase < cases; ++rowCase)
    for (int64_t p = 0; p < padded; ++p)
      biasLanes[rowCase * padded + p] = bias[rowCase * padded + channelAt(p)];
  Value biasTensor =
      createConstantTensor(b, loc, {cases * padded}, b.getI32Type(), biasLanes);
  LaneParams params(b, loc, rescale, vectors, lanes, /*rowsPerVector=*/1,
                    laneChannels);
  // A tile of tileRows output rows (their first outputs `m0s`, index values)
  // by `tilePixels` output pixels from column ow0 by `tileVectors` vectors
  // of channels from v0; output row r is in row range `rowCases[r]`. Input
  // row y of the tile (from row 0's kernel row 0) is at the input offset
  // `rowOffsets[y]`. In a `checked` tile an input column is read clamped
  // into the image, and is the pad value where it was outside; an unchecked
  // tile's columns are all inside. A `blocked` tile's 4 vectors are a block
  // of permuted channels (see blockedVectors).
  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut,
                      ArrayRef<Value> m0s, ArrayRef<Value> rowOffsets,
                      ArrayRef<Value> rowCases, Value ow0, int64_t tilePixels,
                      bool checked, Value v0, int64_t tileVectors,
                      bool holdsLast, bool blocked,
                      ArrayRef<std::pair<Value, Value>> rowScales) -> Value {
    auto c = [&](int64_t v) { return index(tb, tloc, v); };
    auto add = [&](Value x, Value y) -> Value {
      return arith::AddIOp::create(tb, tloc, x, y);
    };
    auto mul = [&](Value x, Value y) -> Value {
      return arith::MulIOp::create(tb, tloc, x, y);
    };
    // The input column of the first pixel's tap (0, 0), negative in the
    // padding.
    Value x0 = add(mul(ow0, c(g.strideW)), c(-g.padLeft));
    Value columnsOffset = mul(x0, c(g.depth));
    // A checked tile's input column `column` (relative to x0): its offset,
    // clamped into the image, and whether it was inside (the unsigned
    // comparison takes negative columns as outside).
    std::map<int64_t, std::pair<Value, Value>> checkedColumns;
    auto checkedColumn = [&](int64_t column) {
      auto &entry = checkedColumns[column];
      if (!entry.first) {
        Value x = add(x0, c(column));
        Value inside = arith::CmpIOp::create(
            tb, tloc, arith::CmpIPredicate::ult, x, c(g.inW));
        Value clamped = arith::MinSIOp::create(
            tb, tloc, arith::MaxSIOp::create(tb, tloc, x, c(0)),
            c(g.inW - 1));
        entry = {mul(clamped, c(g.depth)), inside};
      }
      return entry;
    };
    // The pad value where a checked tile's `column` is outside.
    auto padColumn = [&](Value value, int64_t column) -> Value {
      if (!checked)
        return value;
      auto type = cast<VectorType>(value.getType());
      // A lane-wise select on a broadcast condition: one with a scalar
      // condition becomes a branch.
      Value inside = vector::BroadcastOp::create(
          tb, tloc, type.clone(tb.getI1Type()), checkedColumn(column).second);
      return arith::SelectOp::create(
          tb, tloc, inside, value,
          to_linalg::createIntConstant(tb, tloc, type,
                                       static_cast<int8_t>(layer.padValue)));
    };
    SmallVector<Value> channels, columnIndices;
    SmallVector<int64_t> sizes;
    for (int64_t j = 0; j < tileVectors; ++j) {
      columnIndices.push_back(add(v0, c(j)));
      channels.push_back(mul(columnIndices.back(), c(lanes)));
      bool partial = holdsLast && j + 1 == tileVectors;
      sizes.push_back(partial ? g.channels - (vectors - 1) * lanes : lanes);
    }
    // One read per row and column of the bias, which every pixel of the
    // row shares. Accumulator (r, i, j) of row r, pixel i and column j.
    SmallVector<Value> accs;
    for (int64_t r = 0; r < tileRows; ++r) {
      Value biasCase = mul(rowCases[r], c(padded));
      for (int64_t i = 0; i < tilePixels; ++i)
        for (int64_t j = 0; j < tileVectors; ++j)
          accs.push_back(read(tb, tloc, biasTensor,
                              {add(biasCase, channels[j])}, sizes[j]));
    }
    auto accAt = [&](int64_t r, int64_t i, int64_t j) -> Value & {
      return accs[(r * tilePixels + i) * tileVectors + j];
    };
    // The `count` input bytes of the tile's input row `y` at `column`
    // (relative to x0) from column `j`'s channels, not yet padded.
    auto columnInput = [&](int64_t y, int64_t column, int64_t j,
                           int64_t count) -> Value {
      Value offset =
          checked ? add(rowOffsets[y], checkedColumn(column).first)
                  : add(add(rowOffsets[y], columnsOffset), c(column * g.depth));
      return read(tb, tloc, input, {add(offset, channels[j])}, count);
    };
    // The interleaved input of a dot-product step, by input column (relative
    // to the tile's first pixel), step row chunk and vector of channels.
    std::map<std::tuple<int64_t, int64_t, int64_t>, Value> stepInputs;
    // The steps (j, k, i) of vector j, step k and pixel i: by vector, step
    // and pixel; a block's by input column, so that each interleaved column
    // is used by its pixels and vectors as soon as it is made, rather than
    // all of them held over the block's 4 vectors.
    SmallVector<std::tuple<int64_t, int64_t, int64_t>> work;
    for (int64_t j = 0; j < tileVectors; ++j) {
      int64_t steps = grouped && sizes[j] == lanes ? groupedSteps : wideSteps;
      for (int64_t k = 0; k < steps; ++k)
        for (int64_t i = 0; i < tilePixels; ++i)
          work.push_back({j, k, i});
    }
    if (blocked)
      llvm::stable_sort(work, [&](auto x, auto y) {
        auto key = [&](auto step) {
          auto [j, k, i] = step;
          return std::make_tuple(i * g.strideW + k / chunks * g.dilationW,
                                 k % chunks, j);
        };
        return key(x) < key(y);
      });
    // Each row's weights of vector j and step k, read once.
    std::map<std::pair<int64_t, int64_t>, SmallVector<Value>> weights;
    for (auto [j, k, i] : work) {
      bool dot = grouped && sizes[j] == lanes;
      int64_t size = dot ? groupSize : 1;
      int64_t steps = dot ? groupedSteps : wideSteps;
      int64_t weightRows = dot ? tileRows : 1;
      SmallVector<Value> &ws = weights[{j, k}];
      for (int64_t r = ws.size(); r < tileRows; ++r) {
        Value stepBase =
            mul(add(mul(rowCases[r], c(weightRows)), c(dot ? r : 0)), c(steps));
        ws.push_back(read(tb, tloc, dot ? groupedWeights : wideWeights,
                          {add(stepBase, c(k)), mul(channels[j], c(size))},
                          sizes[j] * size));
      }
      if (dot) {
        int64_t column = i * g.strideW + k / chunks * g.dilationW;
        Value &x = stepInputs[{column, k % chunks, j}];
        if (!x) {
          // Element e holds the tile's input row u = chunk * G + e,
          // which no row's kernel reaches from kernelH + tileRows - 1
          // on. A block's rows are read for its 4 vectors at once
          // (only its first vector gets here).
          int64_t count = blocked ? 4 * lanes : sizes[j];
          SmallVector<Value> group;
          SmallVector<bool> unused;
          for (int64_t e = 0; e < size; ++e) {
            int64_t u = k % chunks * size + e;
            unused.push_back(u >= g.kernelH + tileRows - 1);
            group.push_back(
                unused.back()
                    ? to_linalg::createIntConstant(
                          tb, tloc, VectorType::get({count}, tb.getI8Type()), 0)
                    : columnInput(u * g.dilationH, column, j, count));
          }
          // The bytes of taps past the kernel and of kernel rows
          // outside the input meet zero weights: the pad value there
          // too does not change the sum.
          if (blocked) {
            SmallVector<Value> xs = interleaveInLanes(tb, tloc, group, unused);
            for (int64_t part = 0; part < 4; ++part)
              stepInputs[{column, k % chunks, j + part}] =
                  padColumn(xs[part], column);
          } else {
            x = padColumn(target.interleavesByOneShuffle()
                              ? interleaveByOneShuffle(tb, tloc, group, unused)
                              : interleave(tb, tloc, group),
                          column);
          }
        }
        for (int64_t r = 0; r < tileRows; ++r)
          accAt(r, i, j) = target.multiplyAccumulate(
              tb, tloc, accAt(r, i, j), x, ws[r], layer.inputUnsigned);
        continue;
      }
      auto wide = VectorType::get({sizes[j]}, tb.getI32Type());
      int64_t column = i * g.strideW + k % g.kernelW * g.dilationW;
      for (int64_t r = 0; r < tileRows; ++r) {
        Value bytes = padColumn(
            columnInput(r + k / g.kernelW * g.dilationH, column, j, sizes[j]),
            column);
        Value widened =
            layer.inputUnsigned
                ? arith::ExtUIOp::create(tb, tloc, wide, bytes).getResult()
                : arith::ExtSIOp::create(tb, tloc, wide, bytes).getResult();
        accAt(r, i, j) = add(accAt(r, i, j),
                             arith::MulIOp::create(tb, tloc, widened, ws[r]));
      }
    }
    // The rescale parameters, read after the reduction so that they do not
    // hold registers during it; once per column. Or the row's.
    SmallVector<std::pair<Value, Value>> scales(rowScales);
    for (int64_t j = 0; rowScales.empty() && j < tileVectors; ++j)
      scales.push_back(params.get(tb, tloc, columnIndices[j], sizes[j]));
    // The accumulators in their order (r, i, j) narrowed by groups of up to
    // target.getNarrowedVectors() full vectors (a power of 2), a partial one
    // alone; the vectors of a group adjacent in the output (a pixel's
    // columns) stored at once.
    SmallVector<std::tuple<int64_t, int64_t, int64_t>> order;
    for (int64_t r = 0; r < tileRows; ++r)
      for (int64_t i = 0; i < tilePixels; ++i)
        for (int64_t j = 0; j < tileVectors; ++j)
          order.push_back({r, i, j});
    auto isFull = [&](size_t k) {
      return sizes[std::get<2>(order[k])] == lanes;
    };
    Value result = tileOut;
    for (size_t k = 0; k < order.size();) {
      size_t count = 1;
      while (isFull(k) && int64_t(2 * count) <= target.getNarrowedVectors() &&
             k + 2 * count <= order.size() &&
             llvm::all_of(llvm::seq(k + count, k + 2 * count), isFull))
        count *= 2;
      SmallVector<Value> scaled;
      for (size_t m = k; m < k + count; ++m) {
        auto [r, i, j] = order[m];
        auto [multiplier, shift] = scales[j];
        scaled.push_back(
            epilogue.scale(tb, tloc, accAt(r, i, j), multiplier, shift));
      }
      Value bytes = epilogue.narrow(tb, tloc, concatenate(tb, tloc, scaled));
      // A block's vectors, narrowed together, back in the order of their
      // channels: byte 16l + 4k + q is lane 4l + q of vector k.
      if (blocked) {
        SmallVector<int64_t> mask;
        for (int64_t lane = 0; lane < 4; ++lane)
          for (int64_t k = 0; k < 4; ++k)
            for (int64_t q = 0; q < 4; ++q)
              mask.push_back(16 * k + 4 * lane + q);
        bytes = vector::ShuffleOp::create(tb, tloc, bytes, bytes, mask);
      }
      for (size_t m = k, run; m < k + count; m += run) {
        auto [r, i, j] = order[m];
        for (run = 1; m + run < k + count &&
                      order[m + run] == std::make_tuple(r, i, j + run);
             ++run)
          ;
        result = store(tb, tloc, result, bytes, (m - k) * lanes,
                       (run - 1) * lanes + sizes[j],
                       add(m0s[r], add(ow0, c(i))), channels[j]);
      }
      k += count;
    }
    return result;
  };

  // The tiles of a row: unchecked tiles of `pixels` over whole tiles of
  // interior columns, ending at the last interior column, and checked tiles
  // of `checkedPixels` over the columns left and right of them (as few
  // pixels as those need); checked tiles over the whole row when the
  // interior columns hold no tile. The unchecked tiles, whose addresses then
  // stay affine in their loop, fit exactly; the last checked tile of a run
  // is moved back to end at the run's end. `pixels` is the tile of at most
  // tile.rows pixels for which a row costs least; with blocks, of at most
  // kBlockPixels.
  auto [interiorBegin, interiorEnd] = getInterior(getAxisRanges(
      g.outW, g.inW, g.strideW, g.dilationW, g.kernelW, g.padLeft));
  RowTiles row;
  double rowCost = 0;
  int64_t maxPixels = std::min(
      {tile.rows, blockedVectors > 0 ? kBlockPixels : tile.rows, g.outW});
  for (int64_t pixels = maxPixels; pixels >= 1; --pixels) {
    RowTiles candidate =
        getRowTiles(g.outW, interiorBegin, interiorEnd, pixels);
    double cost = candidate.getCost(g, chunks);
    if (pixels == maxPixels || cost < rowCost)
      std::tie(row, rowCost) = std::make_pair(candidate, cost);
  }
  auto emitRow = [&](OpBuilder &rb, Location rloc, Value rowOut, Value n,
                     Value oh, Value v0, int64_t panelVectors,
                     bool holdsLast) -> Value {
    auto c = [&](int64_t v) { return index(rb, rloc, v); };
    auto add = [&](Value x, Value y) -> Value {
      return arith::AddIOp::create(rb, rloc, x, y);
    };
    auto mul = [&](Value x, Value y) -> Value {
      return arith::MulIOp::create(rb, rloc, x, y);
    };
    // Per output row oh + r of the tile: its first output and its row range
    // (the number of range starts at or before it). The offsets of the
    // tile's input rows, clamped into the image when some are outside it.
    SmallVector<Value> m0s, rowCases;
    for (int64_t r = 0; r < tileRows; ++r) {
      Value outRow = add(oh, c(r));
      m0s.push_back(mul(add(mul(n, c(g.outH)), outRow), c(g.outW)));
      Value rowCase = c(0);
      for (const AxisRange &range : ArrayRef(rowRanges).drop_front())
        rowCase =
            add(rowCase,
                arith::IndexCastUIOp::create(
                    rb, rloc, rb.getIndexType(),
                    arith::CmpIOp::create(rb, rloc, arith::CmpIPredicate::sge,
                                          outRow, c(range.begin))));
      rowCases.push_back(rowCase);
    }
    // With offset accumulators the multipliers are read once per row, so
    // that what the target derives from them per vector of channels is
    // computed outside the tile loops.
    SmallVector<std::pair<Value, Value>> rowScales;
    for (int64_t j = 0; offsetAccumulators && j < panelVectors; ++j) {
      bool partial = holdsLast && j + 1 == panelVectors;
      rowScales.push_back(
          params.get(rb, rloc, add(v0, c(j)),
                     partial ? g.channels - (vectors - 1) * lanes : lanes));
    }
    // The full panels of a layer with blocks are its blocks.
    bool blocked = blockedVectors > 0 && panelVectors == 4 && !holdsLast;
    Value imageRow = mul(n, c(g.inH));
    Value y0 = add(mul(oh, c(g.strideH)), c(-g.padTop));
    SmallVector<Value> rowOffsets;
    for (int64_t dy = 0; dy < tileInputRows; ++dy) {
      Value y = add(y0, c(dy));
      if (cases > 1)
        y = arith::MinSIOp::create(
            rb, rloc, arith::MaxSIOp::create(rb, rloc, y, c(0)),
            c(g.inH - 1));
      rowOffsets.push_back(mul(add(imageRow, y), c(g.inW * g.depth)));
    }
    if (row.leftTiles + row.rightTiles > 0) {
      // Checked tile k starts at k * checkedPixels, the last one of the left
      // run moved back to its end; those of the right run after the
      // unchecked tiles, the last one moved back to the row's end.
      rowOut = emitLoop(
          rb, rloc, rowOut, c(0), c(row.leftTiles + row.rightTiles), 1,
          /*parallel=*/false,
          [&](OpBuilder &tb, Location tloc, Value out, Value k) {
            auto c = [&](int64_t v) { return index(tb, tloc, v); };
            auto min = [&](Value x, int64_t y) -> Value {
              return arith::MinSIOp::create(tb, tloc, x, c(y));
            };
            Value start =
                arith::MulIOp::create(tb, tloc, k, c(row.checkedPixels));
            Value ow = min(start, std::max<int64_t>(row.uncheckedBegin -
                                                        row.checkedPixels,
                                                    0));
            if (row.rightTiles > 0)
              ow = arith::SelectOp::create(
                  tb, tloc,
                  arith::CmpIOp::create(tb, tloc, arith::CmpIPredicate::sge,
                                        k, c(row.leftTiles)),
                  min(arith::AddIOp::create(
                          tb, tloc, start,
                          c(row.uncheckedEnd -
                            row.leftTiles * row.checkedPixels)),
                      g.outW - row.checkedPixels),
                  ow);
            return emitTile(tb, tloc, out, m0s, rowOffsets, rowCases, ow,
                            row.checkedPixels, /*checked=*/true, v0,
                            panelVectors, holdsLast, blocked, rowScales);
          });
    }
    if (row.uncheckedEnd > row.uncheckedBegin)
      rowOut = emitLoop(
          rb, rloc, rowOut, row.uncheckedBegin, row.uncheckedEnd, row.pixels,
          /*parallel=*/false,
          [&](OpBuilder &tb, Location tloc, Value out, Value ow) {
            return emitTile(tb, tloc, out, m0s, rowOffsets, rowCases, ow,
                            row.pixels, /*checked=*/false, v0, panelVectors,
                            holdsLast, blocked, rowScales);
          });
    return rowOut;
  };

  // Threads share out the image rows (of all images) when there are at
  // least kMinParallelImageRows of them, each row over every panel, so that
  // a layer forks once; else the panels.
  // Rows go by tiles of tileRows, the last one moved back to end at the
  // last row when they do not divide the height; two-row tiles hold as many
  // accumulators as single rows of twice the vectors.
  bool parallel = g.getRows() * g.channels * taps >= kMinParallelDepthwiseWork;
  bool parallelRows = parallel && g.outH >= kMinParallelImageRows;
  Panels panels = getPanels(
      vectors,
      blockedVectors > 0 ? 4 : std::max<int64_t>(tile.vectors / tileRows, 1),
      lastPartial);
  int64_t rowTiles = llvm::divideCeil(g.outH, tileRows);
  auto firstRow = [&](OpBuilder &rb, Location rloc, Value k) -> Value {
    Value oh = arith::MulIOp::create(rb, rloc, k, index(rb, rloc, tileRows));
    if (g.outH % tileRows == 0)
      return oh;
    return arith::MinSIOp::create(rb, rloc, oh,
                                  index(rb, rloc, g.outH - tileRows));
  };
  Value out = createKernelOutput(b, loc, g.getRows(), g.channels);
  if (parallelRows) {
    out = emitLoop(
        b, loc, out, 0, g.batch * rowTiles, 1, /*parallel=*/true,
        [&](OpBuilder &rb, Location rloc, Value rowOut, Value nh) {
          Value perImage = index(rb, rloc, rowTiles);
          Value n = arith::DivUIOp::create(rb, rloc, nh, perImage);
          Value oh = firstRow(rb, rloc,
                              arith::RemUIOp::create(rb, rloc, nh, perImage));
          return emitPanelLoops(
              rb, rloc, rowOut, panels, /*parallel=*/false,
              [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
                  int64_t panelVectors, bool holdsLast, bool) {
                return emitRow(pb, ploc, panelOut, n, oh, v0, panelVectors,
                               holdsLast);
              });
        });
  } else {
    out = emitPanelLoops(
        b, loc, out, panels, parallel && panels.full >= 2,
        [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
            int64_t panelVectors, bool holdsLast, bool) {
          return emitLoop(
              pb, ploc, panelOut, 0, g.batch, 1, /*parallel=*/false,
              [&](OpBuilder &ib, Location iloc, Value imageOut, Value n) {
                return emitLoop(
                    ib, iloc, imageOut, 0, rowTiles, 1,
                    /*parallel=*/false,
                    [&](OpBuilder &rb, Location rloc, Value rowOut, Value k) {
                      return emitRow(rb, rloc, rowOut, n, firstRow(rb, rloc, k),
                                     v0, panelVectors, holdsLast);
                    });
              });
        });
  }
  replaceLayer(b, rescale, layer.contraction, out);
  if (layer.pad && layer.pad->use_empty())
    layer.pad->erase();
}

} // namespace qopt::codegen::detail
