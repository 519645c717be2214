//===- DepthwiseKernels.cpp - Depthwise convolution kernels ---------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Depthwise layers: no reduction along a vector, so no dot-product
// instruction; the taps accumulate in vector registers.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qopt::codegen::detail {

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
  if (conv.getInputZp() != 0 || !allZero(conv.getFilterZp())) {
    whyNot = "it has zero points (--qopt-expand-zero-points expands them "
             "when the weights are constant)";
    return std::nullopt;
  }
  if (!allZero(conv.getPadding())) {
    whyNot = "it pads its input (--qopt-expand-zero-points makes the "
             "padding an explicit qnn.int.pad)";
    return std::nullopt;
  }
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

/// Rewrites `rescale` of the depthwise `layer` into kernel loops: a tile is
/// `tile.rows` output pixels by `tile.vectors` vectors of channels, each
/// accumulator the i32 sum over the taps of the widened input and weight
/// vectors (no dot-product instruction: the reduction runs across taps, not
/// along a vector). A partial last vector of channels is a shorter vector.
void emitDepthwiseKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                         const Layer &layer, const KernelTarget &target,
                         KernelTile tile) {
  Location loc = rescale.getLoc();
  const Geometry &g = layer.geometry;
  int64_t lanes = target.getLanes();
  int64_t vectors = llvm::divideCeil(g.channels, lanes);
  int64_t padded = vectors * lanes;
  int64_t rows = g.getRows();

  Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  // [taps, padded channels], widened to i32 at compile time.
  SmallVector<int64_t> weights(g.getTaps() * padded, 0);
  SmallVector<int64_t> bias(padded, 0);
  for (int64_t t = 0; t < g.getTaps(); ++t)
    for (int64_t c = 0; c < g.channels; ++c)
      weights[t * padded + c] = layer.weights[t * g.channels + c];
  llvm::copy(layer.bias, bias.begin());
  Value weightTensor = createConstantTensor(b, loc, {g.getTaps(), padded},
                                            b.getI32Type(), weights);
  Value biasTensor =
      createConstantTensor(b, loc, {padded}, b.getI32Type(), bias);
  LaneParams params(b, loc, rescale, vectors, lanes, /*rowsPerVector=*/1);
  Epilogue epilogue(rescale);

  Value out = createKernelOutput(b, loc, rows, g.channels);
  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value m0,
                      int64_t tileRows, int64_t validRows, Value v0,
                      int64_t tileVectors, bool holdsLast) -> Value {
    // Only the valid rows: without a dot product across rows, padding rows
    // would be wasted work.
    TileRows tileRowsAt = getTileRows(tb, tloc, g, m0, validRows, validRows);
    ArrayRef<Value> rowIndex = tileRowsAt.indices;
    ArrayRef<Value> rowOffsets = tileRowsAt.offsets;
    SmallVector<Value> channels, columns;
    SmallVector<int64_t> sizes;
    for (int64_t j = 0; j < tileVectors; ++j) {
      Value v = arith::AddIOp::create(tb, tloc, v0, index(tb, tloc, j));
      columns.push_back(v);
      channels.push_back(
          arith::MulIOp::create(tb, tloc, v, index(tb, tloc, lanes)));
      bool partial = holdsLast && j + 1 == tileVectors;
      sizes.push_back(partial ? g.channels - (vectors - 1) * lanes : lanes);
    }
    // One read per column of the bias, which every row of the tile shares.
    SmallVector<Value> biasVectors, init;
    for (int64_t j = 0; j < tileVectors; ++j)
      biasVectors.push_back(
          read(tb, tloc, biasTensor, {channels[j]}, sizes[j]));
    for (int64_t i = 0; i < validRows; ++i)
      llvm::append_range(init, biasVectors);
    auto taps = scf::ForOp::create(
        tb, tloc, index(tb, tloc, 0), index(tb, tloc, g.getTaps()),
        index(tb, tloc, 1), init,
        [&](OpBuilder &lb, Location lloc, Value tap, ValueRange accs) {
          Value tapOffset = g.tapOffset(lb, lloc, tap);
          SmallVector<Value> w;
          for (int64_t j = 0; j < tileVectors; ++j)
            w.push_back(
                read(lb, lloc, weightTensor, {tap, channels[j]}, sizes[j]));
          SmallVector<Value> next;
          for (int64_t i = 0; i < validRows; ++i)
            for (int64_t j = 0; j < tileVectors; ++j) {
              Value at = arith::AddIOp::create(
                  lb, lloc,
                  arith::AddIOp::create(lb, lloc, rowOffsets[i], tapOffset),
                  channels[j]);
              Value bytes = read(lb, lloc, input, {at}, sizes[j]);
              auto wide = VectorType::get({sizes[j]}, lb.getI32Type());
              Value x = layer.inputUnsigned
                            ? arith::ExtUIOp::create(lb, lloc, wide, bytes)
                                  .getResult()
                            : arith::ExtSIOp::create(lb, lloc, wide, bytes)
                                  .getResult();
              next.push_back(arith::AddIOp::create(
                  lb, lloc, accs[i * tileVectors + j],
                  arith::MulIOp::create(lb, lloc, x, w[j])));
            }
          scf::YieldOp::create(lb, lloc, next);
        });
    // The rescale parameters, read after the reduction so that they do not
    // hold registers during it; once per column.
    SmallVector<std::pair<Value, Value>> scales;
    for (int64_t j = 0; j < tileVectors; ++j)
      scales.push_back(params.get(tb, tloc, columns[j], sizes[j]));
    Value result = tileOut;
    for (int64_t i = 0; i < validRows; ++i)
      for (int64_t j = 0; j < tileVectors; ++j) {
        auto [multiplier, shift] = scales[j];
        Value narrowed = epilogue.apply(
            tb, tloc, taps.getResult(i * tileVectors + j), multiplier, shift);
        result = store(tb, tloc, result, narrowed, 0, sizes[j], rowIndex[i],
                       channels[j]);
      }
    return result;
  };
  out = emitTileLoops(b, loc, out, g.batch * g.outH, g.outW, vectors, tile,
                      /*rowsPerVector=*/1, emitTile,
                      rows * g.channels * g.getTaps(), g.channels % lanes != 0);
  replaceLayer(b, rescale, layer.contraction, out);
}

} // namespace qopt::codegen::detail
