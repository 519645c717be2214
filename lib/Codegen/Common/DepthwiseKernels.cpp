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
//   column once for the pixels that share it.
//
// Padding is read in place: after --qopt-expand-zero-points a padded layer
// reads a qnn.int.pad of its input, and the kernel reads that pad's input
// instead. The output rows and columns split into ranges whose taps fall
// inside the input at the same kernel positions (the borders and the
// interior); in the code of a range, a tap in the padding is the constant
// pad value. No padded copy is written.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

/// The most ranges of output coordinates per axis for which the padding is
/// read in place: each range is a copy of the tile code, and past one border
/// range on each side of a 5-wide window (large kernels, dilations or
/// paddings) the code grows faster than the padded copy costs.
static constexpr int64_t kMaxAxisRanges = 5;

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
  // A pad of the image's height and width only ([low, high] per NHWC
  // dimension) is read in place, unless it makes too many ranges.
  if (auto pad = conv.getInput().getDefiningOp<qnn::IntPadOp>()) {
    ArrayRef<int64_t> p = pad.getPadding();
    auto unpadded = cast<RankedTensorType>(pad.getInput().getType());
    if (p.size() == 8 && p[0] == 0 && p[1] == 0 && p[6] == 0 && p[7] == 0 &&
        llvm::all_of(p, [](int64_t v) { return v >= 0; }) &&
        getAxisRanges(g.outH, unpadded.getDimSize(1), g.strideH, g.dilationH,
                      g.kernelH, p[2])
                .size() <= kMaxAxisRanges &&
        getAxisRanges(g.outW, unpadded.getDimSize(2), g.strideW, g.dilationW,
                      g.kernelW, p[4])
                .size() <= kMaxAxisRanges) {
      layer.input = pad.getInput();
      layer.pad = pad;
      layer.padValue = pad.getValue();
      g.inH = unpadded.getDimSize(1);
      g.inW = unpadded.getDimSize(2);
      g.padTop = p[2];
      g.padLeft = p[4];
    }
  }
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

/// `body(out, i)` for i from `begin` to `end` by `step`, with `out` as the
/// iteration argument: an scf.for (marked for --qopt-parallelize-tiles when
/// `parallel`), or the body alone for a single iteration.
static Value
emitLoop(OpBuilder &b, Location loc, Value out, int64_t begin, int64_t end,
         int64_t step, bool parallel,
         function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  if (end <= begin)
    return out;
  if (end - begin <= step)
    return body(b, loc, out, index(b, loc, begin));
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, begin), index(b, loc, end), index(b, loc, step),
      ValueRange{out},
      [&](OpBuilder &lb, Location lloc, Value i, ValueRange args) {
        scf::YieldOp::create(lb, lloc, body(lb, lloc, args.front(), i));
      });
  if (parallel)
    loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
  return loop.getResult(0);
}

/// Rewrites `rescale` of the depthwise `layer` into kernel loops (see the
/// file comment): panels of `tile.vectors` vectors of channels, images, the
/// row ranges and their rows, the column ranges and their tiles of
/// `tile.rows` pixels. A partial last vector of channels is a shorter
/// vector.
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
  // The tap of element e of step `step` of `size` elements (a window column
  // of dot-product steps, or one tap per step for size 1); none past the
  // kernel.
  auto tapOf = [&](int64_t step, int64_t e, int64_t size) -> int64_t {
    if (size == 1)
      return step;
    int64_t kh = step % chunks * size + e;
    return kh < g.kernelH ? kh * g.kernelW + step / chunks : taps;
  };

  Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  // The weights [steps, padded channels * G]: lane c of step k holds the
  // weights of the G taps of step k of channel c, zero past the kernel and
  // the last channel. Packed as i8 for the dot product (G the instruction's
  // group size) and widened to i32 at compile time for the widened form (G =
  // 1, a tap per step), which a partial vector of channels takes too (no
  // instruction has its shape).
  auto packWeights = [&](int64_t size, Type elementType) {
    int64_t steps = size == 1 ? taps : g.kernelW * chunks;
    SmallVector<int64_t> packed(steps * padded * size, 0);
    for (int64_t step = 0; step < steps; ++step)
      for (int64_t e = 0; e < size; ++e) {
        int64_t t = tapOf(step, e, size);
        for (int64_t c = 0; t < taps && c < g.channels; ++c)
          packed[(step * padded + c) * size + e] =
              layer.weights[t * g.channels + c];
      }
    return createConstantTensor(b, loc, {steps, padded * size}, elementType,
                                packed);
  };
  Value groupedWeights =
      grouped ? packWeights(groupSize, b.getI8Type()) : Value();
  Value wideWeights =
      !grouped || lastPartial ? packWeights(1, b.getI32Type()) : Value();
  SmallVector<int64_t> bias(padded, 0);
  llvm::copy(layer.bias, bias.begin());
  Value biasTensor =
      createConstantTensor(b, loc, {padded}, b.getI32Type(), bias);
  LaneParams params(b, loc, rescale, vectors, lanes, /*rowsPerVector=*/1);
  Epilogue epilogue(rescale);
  SmallVector<AxisRange> rowRanges =
      getAxisRanges(g.outH, g.inH, g.strideH, g.dilationH, g.kernelH, g.padTop);
  SmallVector<AxisRange> columnRanges = getAxisRanges(
      g.outW, g.inW, g.strideW, g.dilationW, g.kernelW, g.padLeft);

  // `pixels` output pixels from (n, oh, ow0) by `tileVectors` vectors of
  // channels from v0; tap (kh, kw) reads the input where rowInside[kh] and
  // columnInside[kw], else it is the pad value.
  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value n,
                      Value oh, Value ow0, int64_t pixels,
                      ArrayRef<bool> rowInside, ArrayRef<bool> columnInside,
                      Value v0, int64_t tileVectors, bool holdsLast) -> Value {
    auto c = [&](int64_t v) { return index(tb, tloc, v); };
    auto add = [&](Value x, Value y) -> Value {
      return arith::AddIOp::create(tb, tloc, x, y);
    };
    auto mul = [&](Value x, Value y) -> Value {
      return arith::MulIOp::create(tb, tloc, x, y);
    };
    // The output row of the first pixel, (n * OH + oh) * OW + ow0, and the
    // input offset of its tap (0, 0), negative when that tap is in the
    // padding: ((n * H + oh * sh - padTop) * W + ow0 * sw - padLeft) * C.
    Value m0 = add(mul(add(mul(n, c(g.outH)), oh), c(g.outW)), ow0);
    Value y = add(mul(n, c(g.inH)), mul(oh, c(g.strideH)));
    Value x = add(mul(y, c(g.inW)), mul(ow0, c(g.strideW)));
    Value base = mul(add(x, c(-(g.padTop * g.inW + g.padLeft))), c(g.depth));
    SmallVector<Value> channels, columns;
    SmallVector<int64_t> sizes;
    for (int64_t j = 0; j < tileVectors; ++j) {
      columns.push_back(add(v0, c(j)));
      channels.push_back(mul(columns.back(), c(lanes)));
      bool partial = holdsLast && j + 1 == tileVectors;
      sizes.push_back(partial ? g.channels - (vectors - 1) * lanes : lanes);
    }
    // One read per column of the bias, which every pixel of the tile shares.
    SmallVector<Value> accs;
    for (int64_t i = 0; i < pixels; ++i)
      for (int64_t j = 0; j < tileVectors; ++j)
        accs.push_back(read(tb, tloc, biasTensor, {channels[j]}, sizes[j]));
    // The input vector of tap `t` of pixel `i` in column `j`.
    auto tapInput = [&](int64_t t, int64_t i, int64_t j) -> Value {
      auto type = VectorType::get({sizes[j]}, tb.getI8Type());
      if (t >= taps)
        return to_linalg::createIntConstant(tb, tloc, type, 0);
      int64_t kh = t / g.kernelW, kw = t % g.kernelW;
      if (!rowInside[kh] || !columnInside[kw])
        return to_linalg::createIntConstant(
            tb, tloc, type, static_cast<int8_t>(layer.padValue));
      int64_t offset = i * g.getRowStride() +
                       (kh * g.dilationH * g.inW + kw * g.dilationW) * g.depth;
      return read(tb, tloc, input, {add(add(base, c(offset)), channels[j])},
                  sizes[j]);
    };
    // The interleaved input of a dot-product step, by input column (relative
    // to the tile's first pixel), step row chunk and vector of channels.
    std::map<std::tuple<int64_t, int64_t, int64_t>, Value> stepInputs;
    for (int64_t j = 0; j < tileVectors; ++j) {
      bool dot = grouped && sizes[j] == lanes;
      int64_t size = dot ? groupSize : 1;
      for (int64_t k = 0, e = dot ? g.kernelW * chunks : taps; k < e; ++k) {
        Value w = read(tb, tloc, dot ? groupedWeights : wideWeights,
                       {c(k), mul(channels[j], c(size))}, sizes[j] * size);
        for (int64_t i = 0; i < pixels; ++i) {
          Value &acc = accs[i * tileVectors + j];
          if (dot) {
            int64_t column = i * g.strideW + k / chunks * g.dilationW;
            Value &x = stepInputs[{column, k % chunks, j}];
            if (!x) {
              SmallVector<Value> group;
              for (int64_t e = 0; e < size; ++e)
                group.push_back(tapInput(tapOf(k, e, size), i, j));
              x = interleave(tb, tloc, group);
            }
            acc = target.multiplyAccumulate(tb, tloc, acc, x, w,
                                            layer.inputUnsigned);
            continue;
          }
          auto wide = VectorType::get({sizes[j]}, tb.getI32Type());
          Value bytes = tapInput(k, i, j);
          Value widened =
              layer.inputUnsigned
                  ? arith::ExtUIOp::create(tb, tloc, wide, bytes).getResult()
                  : arith::ExtSIOp::create(tb, tloc, wide, bytes).getResult();
          acc = add(acc, arith::MulIOp::create(tb, tloc, widened, w));
        }
      }
    }
    // The rescale parameters, read after the reduction so that they do not
    // hold registers during it; once per column.
    SmallVector<std::pair<Value, Value>> scales;
    for (int64_t j = 0; j < tileVectors; ++j)
      scales.push_back(params.get(tb, tloc, columns[j], sizes[j]));
    Value result = tileOut;
    for (int64_t i = 0; i < pixels; ++i)
      for (int64_t j = 0; j < tileVectors; ++j) {
        auto [multiplier, shift] = scales[j];
        Value narrowed = epilogue.apply(tb, tloc, accs[i * tileVectors + j],
                                        multiplier, shift);
        result = store(tb, tloc, result, narrowed, 0, sizes[j], add(m0, c(i)),
                       channels[j]);
      }
    return result;
  };

  // The image rows of a range with at least kMinParallelImageRows rows are
  // shared out over threads (one fork per range and panel); the panels when
  // no range has that many.
  bool parallel = g.getRows() * g.channels * taps >= kMinParallelWork;
  bool parallelRows =
      parallel && llvm::any_of(rowRanges, [](const AxisRange &r) {
        return r.end - r.begin >= kMinParallelImageRows;
      });
  Panels panels = getPanels(vectors, tile.vectors, g.channels % lanes != 0);
  auto emitPanel = [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
                       int64_t panelVectors, bool holdsLast,
                       bool insideParallel) -> Value {
    auto emitImage = [&](OpBuilder &ib, Location iloc, Value imageOut,
                         Value n) -> Value {
      for (const AxisRange &rows : rowRanges) {
        auto emitRow = [&](OpBuilder &rb, Location rloc, Value rowOut,
                           Value oh) -> Value {
          for (const AxisRange &cols : columnRanges) {
            int64_t length = cols.end - cols.begin;
            int64_t pixels = std::min(tile.rows, length);
            int64_t wholeEnd = cols.begin + length / pixels * pixels;
            auto emitTiles = [&](int64_t count) {
              return [&, count](OpBuilder &tb, Location tloc, Value out,
                                Value ow0) {
                return emitTile(tb, tloc, out, n, oh, ow0, count, rows.inside,
                                cols.inside, v0, panelVectors, holdsLast);
              };
            };
            rowOut = emitLoop(rb, rloc, rowOut, cols.begin, wholeEnd, pixels,
                              /*parallel=*/false, emitTiles(pixels));
            rowOut = emitLoop(rb, rloc, rowOut, wholeEnd, cols.end,
                              cols.end - wholeEnd, /*parallel=*/false,
                              emitTiles(cols.end - wholeEnd));
          }
          return rowOut;
        };
        bool markRows = parallelRows && !insideParallel &&
                        rows.end - rows.begin >= kMinParallelImageRows;
        imageOut = emitLoop(ib, iloc, imageOut, rows.begin, rows.end, 1,
                            markRows, emitRow);
      }
      return imageOut;
    };
    return emitLoop(pb, ploc, panelOut, 0, g.batch, 1, /*parallel=*/false,
                    emitImage);
  };
  Value out = emitPanelLoops(
      b, loc, createKernelOutput(b, loc, g.getRows(), g.channels), panels,
      parallel && !parallelRows && panels.full >= 2, emitPanel);
  replaceLayer(b, rescale, layer.contraction, out);
  if (layer.pad && layer.pad->use_empty())
    layer.pad->erase();
}

} // namespace qopt::codegen::detail
