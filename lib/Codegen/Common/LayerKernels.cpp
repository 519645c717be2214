//===- LayerKernels.cpp - Register-tiled kernels of quantized layers ------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Every kernel computes out[m, n] for m an output row (a batch row of a
// fully connected layer, an output pixel of a convolution) and n an output
// channel. A convolution is a GEMM whose left operand is read in place
// (implicit im2col): with NHWC input flattened to one dimension,
//   A(m, (kh, kw, c)) = input[rowOffset(m) + tapOffset(kh, kw) + c],
//   rowOffset(m)      = ((n * H + oh * sh) * W + ow * sw) * C,
//   tapOffset(kh, kw) = (kh * dh * W + kw * dw) * C,
// and a fully connected layer is the 1x1 case over a 1 x M "image" of depth
// K (rowOffset(m) = m * K). The filter [O, KH, KW, C] flattened to
// [O, KH * KW * C] orders k the same way.
//
// Loops, outermost first: panels of `tile.vectors` weight vectors (their
// packed weights, K * tile.vectors * C bytes, stay in L2 while every row
// tile reads them), tiles of `tile.rows` rows, the taps, the groups of a
// tap's depth. The accumulators are the iteration arguments of the
// reduction loops, so LLVM keeps them in registers, and the epilogue
// requantizes them as soon as the reduction ends. Partial tiles (last rows,
// last panel, last partial vector of channels) are static copies of the
// tile with fewer rows or vectors, so that every vector op has a static
// shape; a partial vector computes all its lanes (the packed weights are
// zero there) and stores only the valid ones.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"

#include "qopt/Conversion/QNNToLinalg/Requantize.h"
#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace qopt::codegen;
namespace to_linalg = mlir::qnn::to_linalg;

KernelTarget::~KernelTarget() = default;

Value qopt::codegen::buildGroupedDotProduct(OpBuilder &b, Location loc,
                                            Value acc, Value input,
                                            bool inputUnsigned, Value weights) {
  auto accType = cast<VectorType>(acc.getType());
  int64_t lanes = accType.getDimSize(0);
  int64_t size = cast<VectorType>(input.getType()).getDimSize(0);
  auto wideType = VectorType::get({size}, b.getI32Type());
  Value x = inputUnsigned
                ? arith::ExtUIOp::create(b, loc, wideType, input).getResult()
                : arith::ExtSIOp::create(b, loc, wideType, input).getResult();
  Value w = arith::ExtSIOp::create(b, loc, wideType, weights);
  Value products = arith::MulIOp::create(b, loc, x, w);
  Value grouped = vector::ShapeCastOp::create(
      b, loc, VectorType::get({lanes, size / lanes}, b.getI32Type()),
      products);
  return vector::MultiDimReductionOp::create(
      b, loc, grouped, acc, ArrayRef<bool>{false, true},
      vector::CombiningKind::ADD);
}

std::optional<GroupedDotProduct>
qopt::codegen::matchGroupedDotProduct(Operation *op) {
  auto reduction = dyn_cast<vector::MultiDimReductionOp>(op);
  if (!reduction || reduction.getKind() != vector::CombiningKind::ADD ||
      reduction.getSourceVectorType().getRank() != 2 ||
      reduction.getReductionMask() != ArrayRef<bool>{false, true})
    return std::nullopt;
  auto cast = reduction.getSource().getDefiningOp<vector::ShapeCastOp>();
  auto mul = cast ? cast.getSource().getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul)
    return std::nullopt;
  auto w = mul.getRhs().getDefiningOp<arith::ExtSIOp>();
  Operation *x = mul.getLhs().getDefiningOp();
  if (!w || !x || !isa<arith::ExtSIOp, arith::ExtUIOp>(x))
    return std::nullopt;
  VectorType type = reduction.getSourceVectorType();
  return GroupedDotProduct{reduction.getAcc(), x->getOperand(0), w.getIn(),
                           isa<arith::ExtUIOp>(x), type.getDimSize(0),
                           type.getDimSize(1)};
}

namespace {

/// Where the rows and reduction steps of a kernel are in its flattened
/// input (see the file comment).
struct Geometry {
  int64_t batch = 1, outH = 1, outW = 1;
  int64_t inH = 1, inW = 1, depth = 1;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  int64_t kernelH = 1, kernelW = 1;
  int64_t channels = 1;

  int64_t getRows() const { return batch * outH * outW; }
  int64_t getTaps() const { return kernelH * kernelW; }

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
    Value y = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, n, c(inH)),
        arith::MulIOp::create(b, loc, oh, c(strideH)));
    Value x = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, y, c(inW)),
        arith::MulIOp::create(b, loc, ow, c(strideW)));
    return arith::MulIOp::create(b, loc, x, c(depth));
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

/// A qnn.int.rescale's arithmetic on accumulator vectors.
struct Epilogue {
  int64_t inputZp = 0, outputZp = 0, clampMin = 0, clampMax = 0;
  qnn::RoundingMode rounding = qnn::RoundingMode::DoubleRound;

  explicit Epilogue(qnn::IntRescaleOp op)
      : inputZp(op.getInputZp()), outputZp(op.getOutputZp()),
        rounding(op.getRounding()) {
    std::tie(clampMin, clampMax) = to_linalg::getClampRange(
        getElementTypeOrSelf(op.getType()), op.getClampMin(),
        op.getClampMax());
  }

  /// The narrowed vector<L x i8> of the accumulators `acc`, with
  /// `multiplier` (i32) and `tosaShift` (i8) vectors of the same length.
  Value apply(OpBuilder &b, Location loc, Value acc, Value multiplier,
              Value tosaShift) const {
    Value x = to_linalg::subtractZeroPoint(b, loc, acc, inputZp);
    Value scaled =
        to_linalg::applyScale(b, loc, x, multiplier, tosaShift, rounding);
    Value shifted = arith::AddIOp::create(
        b, loc, scaled,
        to_linalg::createIntConstant(b, loc, scaled.getType(), outputZp));
    auto type = cast<VectorType>(acc.getType());
    return to_linalg::clampAndTruncate(b, loc, shifted, clampMin, clampMax,
                                       type.clone(b.getI8Type()));
  }
};

/// The signless counterpart of a qnn tensor type.
static RankedTensorType getSignlessType(RankedTensorType type) {
  auto element = cast<IntegerType>(type.getElementType());
  return type.clone(
      IntegerType::get(type.getContext(), element.getWidth()));
}

/// `value` as its signless counterpart (an unrealized cast that the
/// conversion to linalg resolves), or itself.
static Value castToSignless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType signless = getSignlessType(type);
  if (signless == type)
    return value;
  return UnrealizedConversionCastOp::create(b, loc, signless, value)
      .getResult(0);
}

/// `value` (a static tensor) collapsed to `rank` dimensions: the leading
/// ones merged into the first (rank 2) or everything (rank 1).
static Value collapse(OpBuilder &b, Location loc, Value value, int64_t rank) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (rank == 1 || d + 1 < type.getRank())
      groups.front().push_back(d);
  if (rank == 2)
    groups.push_back({type.getRank() - 1});
  if (groups.size() == static_cast<size_t>(type.getRank()))
    return value;
  return tensor::CollapseShapeOp::create(b, loc, value, groups);
}

/// A constant tensor of `shape` and signless `elementType` holding `values`.
static Value createConstantTensor(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> shape, Type elementType,
                                  ArrayRef<int64_t> values) {
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> bits = llvm::map_to_vector(values, [&](int64_t v) {
    return APInt(64, v, /*isSigned=*/true).trunc(width);
  });
  auto type = RankedTensorType::get(shape, elementType);
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, bits));
}

static Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// Reads a vector<size x element> at `indices` of the tensor `source`.
static Value read(OpBuilder &b, Location loc, Value source,
                  ValueRange indices, int64_t size) {
  auto type = VectorType::get(
      {size}, cast<RankedTensorType>(source.getType()).getElementType());
  return vector::TransferReadOp::create(b, loc, type, source, indices,
                                        /*padding=*/std::nullopt,
                                        ArrayRef<bool>{true});
}

/// Lanes [offset, offset + size) of the 1-D `vector`.
static Value slice(OpBuilder &b, Location loc, Value vector, int64_t offset,
                   int64_t size) {
  if (offset == 0 && size == cast<VectorType>(vector.getType()).getDimSize(0))
    return vector;
  return vector::ExtractStridedSliceOp::create(b, loc, vector, offset, size,
                                               1);
}

/// Loops, with `out` (the output tensor) as the iteration argument, over
/// the tiles of `rows` rows by `vectors` column vectors of a kernel with
/// `totalRows` rows and `totalVectors` vectors; `rowsPerVector` rows share
/// an accumulator vector. `emitTile(out, m0, rows, validRows, v0, vectors)`
/// emits one tile: `m0` and `v0` are index values, `validRows` <= `rows`
/// the rows that exist (the others are padding rows of a partial tile), and
/// the tile that holds the last vector is always emitted on its own, after
/// the loop, so that a partial last vector is static.
using TileEmitter = function_ref<Value(OpBuilder &, Location, Value out,
                                       Value m0, int64_t rows,
                                       int64_t validRows, Value v0,
                                       int64_t vectors, bool holdsLastVector)>;

static Value emitTileLoops(OpBuilder &b, Location loc, Value out,
                           int64_t totalRows, int64_t totalVectors,
                           KernelTile tile, int64_t rowsPerVector,
                           TileEmitter emitTile) {
  int64_t vectors = std::min(tile.vectors, totalVectors);
  int64_t fullPanels = totalVectors / vectors;
  int64_t lastPanel = totalVectors % vectors;
  if (lastPanel == 0) {
    --fullPanels;
    lastPanel = vectors;
  }
  int64_t rows = std::min<int64_t>(tile.rows,
                                  llvm::alignTo(totalRows, rowsPerVector));
  int64_t fullRowTiles = totalRows / rows;
  int64_t lastRows = totalRows % rows;

  auto emitPanel = [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
                       int64_t panelVectors, bool holdsLast) -> Value {
    Value result = panelOut;
    if (fullRowTiles > 0) {
      auto loop = scf::ForOp::create(
          pb, ploc, index(pb, ploc, 0), index(pb, ploc, fullRowTiles * rows),
          index(pb, ploc, rows), ValueRange{panelOut},
          [&](OpBuilder &lb, Location lloc, Value m0, ValueRange args) {
            scf::YieldOp::create(lb, lloc,
                                 emitTile(lb, lloc, args.front(), m0, rows,
                                          rows, v0, panelVectors, holdsLast));
          });
      result = loop.getResult(0);
    }
    if (lastRows > 0)
      result = emitTile(pb, ploc, result, index(pb, ploc, fullRowTiles * rows),
                        llvm::alignTo(lastRows, rowsPerVector), lastRows, v0,
                        panelVectors, holdsLast);
    return result;
  };

  if (fullPanels > 0) {
    auto loop = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, fullPanels * vectors),
        index(b, loc, vectors), ValueRange{out},
        [&](OpBuilder &lb, Location lloc, Value v0, ValueRange args) {
          scf::YieldOp::create(lb, lloc,
                               emitPanel(lb, lloc, args.front(), v0, vectors,
                                         /*holdsLast=*/false));
        });
    out = loop.getResult(0);
  }
  return emitPanel(b, loc, out, index(b, loc, fullPanels * vectors), lastPanel,
                   /*holdsLast=*/true);
}

/// Writes the narrowed lanes [lane, lane + count) of `values` at
/// out[m, n], m and n index values.
static Value store(OpBuilder &b, Location loc, Value out, Value values,
                   int64_t lane, int64_t count, Value m, Value n) {
  return vector::TransferWriteOp::create(b, loc, slice(b, loc, values, lane,
                                                       count),
                                         out, ValueRange{m, n},
                                         ArrayRef<bool>{true})
      .getResult();
}

/// The parameters of the rescale as vectors: per-lane constant tensors
/// [vectors, lanes] read per vector, or splat constants when uniform.
struct LaneParams {
  Value multipliers, shifts;
  bool uniform = false;
  int64_t lanes = 0;
  int32_t uniformMultiplier = 0;
  int8_t uniformShift = 0;

  LaneParams(OpBuilder &b, Location loc, qnn::IntRescaleOp rescale,
             int64_t vectors, int64_t lanes, int64_t rowsPerVector)
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
          size_t channel = v * channelsPerVector + c;
          bool valid = channel < m.size();
          mLanes.push_back(valid ? m[channel] : 0);
          sLanes.push_back(valid ? tosaShift(s[channel]) : 1);
        }
    multipliers = createConstantTensor(b, loc, {vectors, lanes},
                                       b.getI32Type(), mLanes);
    shifts = createConstantTensor(b, loc, {vectors, lanes}, b.getI8Type(),
                                  sLanes);
  }

  /// The first `size` lanes of vector `v`'s parameters.
  std::pair<Value, Value> get(OpBuilder &b, Location loc, Value v,
                              int64_t size) const {
    if (uniform)
      return {to_linalg::createIntConstant(
                  b, loc, VectorType::get({size}, b.getI32Type()),
                  uniformMultiplier),
              to_linalg::createIntConstant(
                  b, loc, VectorType::get({size}, b.getI8Type()),
                  uniformShift)};
    Value zero = index(b, loc, 0);
    return {read(b, loc, multipliers, {v, zero}, size),
            read(b, loc, shifts, {v, zero}, size)};
  }
};

/// A contraction layer the kernels cover.
struct ContractionLayer {
  Operation *contraction;
  Value input;
  bool inputUnsigned;
  Geometry geometry;
  /// [channels, taps * depth], row-major.
  SmallVector<int64_t> weights;
  SmallVector<int64_t> bias;
};

} // namespace

/// The values of `value` if it is a constant, else none (`empty` when
/// `value` is null: no bias is a bias of zeros).
static std::optional<SmallVector<int64_t>>
getOptionalConstant(Value value, int64_t size) {
  if (!value)
    return SmallVector<int64_t>(size, 0);
  return qnn::getIntConstantValues(value);
}

static bool allZero(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v == 0; });
}

static bool isByteTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         tensor.getElementType().isInteger(8);
}

/// The covered contraction that `rescale` requantizes, if any.
static std::optional<ContractionLayer>
matchContraction(qnn::IntRescaleOp rescale, const KernelTarget &target) {
  Operation *producer = rescale.getInput().getDefiningOp();
  if (!producer || !producer->hasOneUse() ||
      !isByteTensor(rescale.getType()))
    return std::nullopt;
  ContractionLayer layer;
  layer.contraction = producer;
  Value weights, bias;
  if (auto fc = dyn_cast<qnn::IntFullyConnectedOp>(producer)) {
    if (fc.getInputZp() != 0 || !allZero(fc.getWeightsZp()))
      return std::nullopt;
    auto inputType = cast<RankedTensorType>(fc.getInput().getType());
    if (inputType.getRank() != 2)
      return std::nullopt;
    layer.input = fc.getInput();
    weights = fc.getWeights();
    bias = fc.getBias();
    Geometry &g = layer.geometry;
    g.batch = inputType.getDimSize(0);
    g.depth = inputType.getDimSize(1);
    g.channels = cast<RankedTensorType>(weights.getType()).getDimSize(0);
  } else if (auto conv = dyn_cast<qnn::IntConv2DOp>(producer)) {
    if (conv.getInputZp() != 0 || !allZero(conv.getFilterZp()) ||
        !allZero(conv.getPadding()))
      return std::nullopt;
    layer.input = conv.getInput();
    weights = conv.getFilter();
    bias = conv.getBias();
    auto inputType = cast<RankedTensorType>(conv.getInput().getType());
    auto filterType = cast<RankedTensorType>(weights.getType());
    auto resultType = cast<RankedTensorType>(conv.getType());
    Geometry &g = layer.geometry;
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
    g.channels = filterType.getDimSize(0);
    // Groups of reduction steps must not straddle two taps.
    if (g.depth % target.getGroupSize() != 0)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!isByteTensor(layer.input.getType()) ||
      !isByteTensor(weights.getType()) ||
      getElementTypeOrSelf(weights.getType()).isUnsignedInteger())
    return std::nullopt;
  layer.inputUnsigned =
      getElementTypeOrSelf(layer.input.getType()).isUnsignedInteger();
  if (!target.supportsInput(layer.inputUnsigned))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> weightValues =
      qnn::getIntConstantValues(weights);
  std::optional<SmallVector<int64_t>> biasValues =
      getOptionalConstant(bias, layer.geometry.channels);
  if (!weightValues || !biasValues)
    return std::nullopt;
  layer.weights = std::move(*weightValues);
  layer.bias = std::move(*biasValues);
  return layer;
}

/// The packed weights (see KernelTarget): [vectors, groups, C * G].
static Value packWeights(OpBuilder &b, Location loc,
                         const ContractionLayer &layer,
                         const KernelTarget &target, int64_t vectors,
                         int64_t groupsPerTap) {
  const Geometry &g = layer.geometry;
  int64_t groupSize = target.getGroupSize();
  int64_t channelsPerVector = target.getLanes() / target.getRowsPerVector();
  int64_t depthTotal = g.getTaps() * g.depth;
  int64_t groups = g.getTaps() * groupsPerTap;
  SmallVector<int64_t> packed;
  packed.reserve(vectors * groups * channelsPerVector * groupSize);
  for (int64_t v = 0; v < vectors; ++v)
    for (int64_t group = 0; group < groups; ++group) {
      int64_t tap = group / groupsPerTap;
      int64_t first = group % groupsPerTap * groupSize;
      for (int64_t c = 0; c < channelsPerVector; ++c)
        for (int64_t e = 0; e < groupSize; ++e) {
          int64_t channel = v * channelsPerVector + c;
          int64_t step = first + e;
          bool valid = channel < g.channels && step < g.depth;
          packed.push_back(valid ? layer.weights[channel * depthTotal +
                                                 tap * g.depth + step]
                                 : 0);
        }
    }
  Type elementType = b.getIntegerType(target.getWeightBitWidth());
  return createConstantTensor(b, loc,
                              {vectors, groups, channelsPerVector * groupSize},
                              elementType, packed);
}

/// Replaces `rescale` (and the layer `producer` it requantizes) with the
/// kernel's [rows, channels] output `out`.
static void replaceLayer(OpBuilder &b, qnn::IntRescaleOp rescale,
                         Operation *producer, Value out) {
  Location loc = rescale.getLoc();
  auto resultType = cast<RankedTensorType>(rescale.getType());
  Value shaped = tensor::ExpandShapeOp::create(
      b, loc, getSignlessType(resultType), out,
      resultType.getRank() == 2
          ? SmallVector<ReassociationIndices>{{0}, {1}}
          : SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  if (getSignlessType(resultType) != resultType)
    shaped = UnrealizedConversionCastOp::create(b, loc, resultType, shaped)
                 .getResult(0);
  rescale.replaceAllUsesWith(shaped);
  rescale.erase();
  producer->erase();
}

/// Rewrites `rescale` of `layer` into kernel loops.
static void emitContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                                  const ContractionLayer &layer,
                                  const KernelTarget &target,
                                  KernelTile tile) {
  Location loc = rescale.getLoc();
  const Geometry &g = layer.geometry;
  int64_t lanes = target.getLanes();
  int64_t rowsPerVector = target.getRowsPerVector();
  int64_t channelsPerVector = lanes / rowsPerVector;
  int64_t groupSize = target.getGroupSize();
  int64_t vectors = llvm::divideCeil(g.channels, channelsPerVector);
  int64_t groupsPerTap = llvm::divideCeil(g.depth, groupSize);
  int64_t wholeGroups = g.depth / groupSize;
  int64_t lastGroupSize = g.depth % groupSize;
  int64_t rows = g.getRows();

  Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  Value packed = packWeights(b, loc, layer, target, vectors, groupsPerTap);
  SmallVector<int64_t> biasLanes;
  for (int64_t v = 0; v < vectors; ++v)
    for (int64_t r = 0; r < rowsPerVector; ++r)
      for (int64_t c = 0; c < channelsPerVector; ++c) {
        int64_t channel = v * channelsPerVector + c;
        biasLanes.push_back(channel < g.channels ? layer.bias[channel] : 0);
      }
  Value bias = createConstantTensor(b, loc, {vectors, lanes}, b.getI32Type(),
                                    biasLanes);
  LaneParams params(b, loc, rescale, vectors, lanes, rowsPerVector);
  Epilogue epilogue(rescale);

  auto outType = RankedTensorType::get({rows, g.channels}, b.getI8Type());
  Value out = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                      outType.getElementType());

  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value m0,
                      int64_t tileRows, int64_t validRows, Value v0,
                      int64_t tileVectors, bool holdsLast) -> Value {
    // Rows past the last (padding rows of a partial tile) read the last
    // row again and are not stored.
    SmallVector<Value> rowIndex, rowOffsets;
    for (int64_t i = 0; i < tileRows; ++i) {
      Value m = arith::AddIOp::create(tb, tloc, m0,
                                      index(tb, tloc, std::min(i, validRows - 1)));
      rowIndex.push_back(m);
      rowOffsets.push_back(g.rowOffset(tb, tloc, m));
    }
    SmallVector<Value> columns;
    for (int64_t j = 0; j < tileVectors; ++j)
      columns.push_back(
          arith::AddIOp::create(tb, tloc, v0, index(tb, tloc, j)));
    int64_t rowVectors = tileRows / rowsPerVector;
    SmallVector<Value> init;
    Value zero = index(tb, tloc, 0);
    for (int64_t i = 0; i < rowVectors; ++i)
      for (int64_t j = 0; j < tileVectors; ++j)
        init.push_back(read(tb, tloc, bias, {columns[j], zero}, lanes));

    // One reduction step: the group of `size` bytes at `offset` from each
    // row, against the packed vectors of group `group`.
    auto step = [&](OpBuilder &sb, Location sloc, ValueRange accs,
                    Value offset, Value group, int64_t size) {
      SmallVector<Value> weights;
      for (int64_t j = 0; j < tileVectors; ++j)
        weights.push_back(read(sb, sloc, packed,
                               {columns[j], group, index(sb, sloc, 0)},
                               channelsPerVector * groupSize));
      SmallVector<Value> next;
      for (int64_t i = 0; i < rowVectors; ++i) {
        SmallVector<Value> groups;
        for (int64_t r = 0; r < rowsPerVector; ++r) {
          Value at = arith::AddIOp::create(
              sb, sloc, rowOffsets[i * rowsPerVector + r], offset);
          Value bytes = read(sb, sloc, input, {at}, size);
          if (size < groupSize) {
            auto groupType = VectorType::get({groupSize}, sb.getI8Type());
            bytes = vector::InsertStridedSliceOp::create(
                sb, sloc, bytes,
                to_linalg::createIntConstant(sb, sloc, groupType, 0),
                ArrayRef<int64_t>{0}, ArrayRef<int64_t>{1});
          }
          groups.push_back(bytes);
        }
        Value operand =
            target.buildInputOperand(sb, sloc, groups, layer.inputUnsigned);
        for (int64_t j = 0; j < tileVectors; ++j)
          next.push_back(target.multiplyAccumulate(
              sb, sloc, accs[i * tileVectors + j], operand, weights[j]));
      }
      return next;
    };

    auto taps = scf::ForOp::create(
        tb, tloc, zero, index(tb, tloc, g.getTaps()), index(tb, tloc, 1),
        init,
        [&](OpBuilder &lb, Location lloc, Value tap, ValueRange tapAccs) {
          Value tapOffset = g.tapOffset(lb, lloc, tap);
          Value firstGroup = arith::MulIOp::create(
              lb, lloc, tap, index(lb, lloc, groupsPerTap));
          SmallVector<Value> accs(tapAccs);
          if (wholeGroups > 0) {
            auto groups = scf::ForOp::create(
                lb, lloc, index(lb, lloc, 0), index(lb, lloc, wholeGroups),
                index(lb, lloc, 1), accs,
                [&](OpBuilder &gb, Location gloc, Value gi,
                    ValueRange groupAccs) {
                  Value offset = arith::AddIOp::create(
                      gb, gloc, tapOffset,
                      arith::MulIOp::create(gb, gloc, gi,
                                            index(gb, gloc, groupSize)));
                  Value group = arith::AddIOp::create(gb, gloc, firstGroup, gi);
                  scf::YieldOp::create(
                      gb, gloc,
                      step(gb, gloc, groupAccs, offset, group, groupSize));
                });
            accs.assign(groups.getResults().begin(), groups.getResults().end());
          }
          if (lastGroupSize > 0) {
            Value offset = arith::AddIOp::create(
                lb, lloc, tapOffset,
                index(lb, lloc, wholeGroups * groupSize));
            Value group = arith::AddIOp::create(
                lb, lloc, firstGroup, index(lb, lloc, wholeGroups));
            accs = step(lb, lloc, accs, offset, group, lastGroupSize);
          }
          scf::YieldOp::create(lb, lloc, accs);
        });

    Value result = tileOut;
    for (int64_t i = 0; i < rowVectors; ++i)
      for (int64_t j = 0; j < tileVectors; ++j) {
        auto [multiplier, shift] = params.get(tb, tloc, columns[j], lanes);
        Value narrowed = epilogue.apply(
            tb, tloc, taps.getResult(i * tileVectors + j), multiplier, shift);
        int64_t count = channelsPerVector;
        if (holdsLast && j + 1 == tileVectors)
          count = g.channels - (vectors - 1) * channelsPerVector;
        Value n = arith::MulIOp::create(tb, tloc, columns[j],
                                        index(tb, tloc, channelsPerVector));
        for (int64_t r = 0; r < rowsPerVector; ++r) {
          int64_t row = i * rowsPerVector + r;
          if (row >= validRows)
            continue;
          result = store(tb, tloc, result, narrowed, r * channelsPerVector,
                         count, rowIndex[row], n);
        }
      }
    return result;
  };

  out = emitTileLoops(b, loc, out, rows, vectors, tile, rowsPerVector,
                      emitTile);
  replaceLayer(b, rescale, layer.contraction, out);
}

/// Whether `rescale` requantizes a covered depthwise convolution; fills
/// `layer` (its weights [taps, channels]).
static std::optional<ContractionLayer>
matchDepthwise(qnn::IntRescaleOp rescale) {
  auto conv = rescale.getInput().getDefiningOp<qnn::IntDepthwiseConv2DOp>();
  if (!conv || !conv->hasOneUse() || !isByteTensor(rescale.getType()) ||
      conv.getInputZp() != 0 || !allZero(conv.getFilterZp()) ||
      !allZero(conv.getPadding()) || !isByteTensor(conv.getInput().getType()))
    return std::nullopt;
  auto inputType = cast<RankedTensorType>(conv.getInput().getType());
  auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
  auto resultType = cast<RankedTensorType>(conv.getType());
  // Channel multiplier 1: output channel c reads input channel c.
  if (resultType.getDimSize(3) != inputType.getDimSize(3) ||
      getElementTypeOrSelf(filterType).isUnsignedInteger())
    return std::nullopt;
  ContractionLayer layer;
  layer.contraction = conv;
  layer.input = conv.getInput();
  layer.inputUnsigned = getElementTypeOrSelf(inputType).isUnsignedInteger();
  Geometry &g = layer.geometry;
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
  g.channels = g.depth;
  std::optional<SmallVector<int64_t>> weights =
      qnn::getIntConstantValues(conv.getFilter());
  std::optional<SmallVector<int64_t>> bias =
      getOptionalConstant(conv.getBias(), g.channels);
  if (!weights || !bias)
    return std::nullopt;
  layer.weights = std::move(*weights);
  layer.bias = std::move(*bias);
  return layer;
}

/// Rewrites `rescale` of the depthwise `layer` into kernel loops: a tile is
/// `tile.rows` output pixels by `tile.vectors` vectors of channels, each
/// accumulator the i32 sum over the taps of the widened input and weight
/// vectors (no dot-product instruction: the reduction runs across taps, not
/// along a vector). A partial last vector of channels is a shorter vector.
static void emitDepthwiseKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                                const ContractionLayer &layer,
                                const KernelTarget &target, KernelTile tile) {
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

  auto outType = RankedTensorType::get({rows, g.channels}, b.getI8Type());
  Value out = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                      outType.getElementType());
  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value m0,
                      int64_t tileRows, int64_t validRows, Value v0,
                      int64_t tileVectors, bool holdsLast) -> Value {
    SmallVector<Value> rowIndex, rowOffsets;
    for (int64_t i = 0; i < validRows; ++i) {
      Value m = arith::AddIOp::create(tb, tloc, m0, index(tb, tloc, i));
      rowIndex.push_back(m);
      rowOffsets.push_back(g.rowOffset(tb, tloc, m));
    }
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
    SmallVector<Value> init;
    for (int64_t i = 0; i < validRows; ++i)
      for (int64_t j = 0; j < tileVectors; ++j)
        init.push_back(read(tb, tloc, biasTensor, {channels[j]}, sizes[j]));
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
    Value result = tileOut;
    for (int64_t i = 0; i < validRows; ++i)
      for (int64_t j = 0; j < tileVectors; ++j) {
        auto [multiplier, shift] = params.get(tb, tloc, columns[j], sizes[j]);
        Value narrowed = epilogue.apply(
            tb, tloc, taps.getResult(i * tileVectors + j), multiplier, shift);
        result = store(tb, tloc, result, narrowed, 0, sizes[j], rowIndex[i],
                       channels[j]);
      }
    return result;
  };
  out = emitTileLoops(b, loc, out, rows, vectors, tile, /*rowsPerVector=*/1,
                      emitTile);
  replaceLayer(b, rescale, layer.contraction, out);
}

LogicalResult qopt::codegen::lowerLayersToKernels(func::FuncOp func,
                                                  const KernelTarget &target,
                                                  const KernelTile &tile) {
  if (tile.rows < 1 || tile.vectors < 1 ||
      tile.rows % target.getRowsPerVector() != 0)
    return func.emitError("the kernel tile must have at least one vector and "
                          "a positive multiple of ")
           << target.getRowsPerVector() << " rows";
  std::vector<std::pair<qnn::IntRescaleOp, ContractionLayer>> contractions,
      depthwise;
  func.walk([&](qnn::IntRescaleOp rescale) {
    if (std::optional<ContractionLayer> layer =
            matchContraction(rescale, target))
      contractions.emplace_back(rescale, std::move(*layer));
    else if (std::optional<ContractionLayer> layer = matchDepthwise(rescale))
      depthwise.emplace_back(rescale, std::move(*layer));
  });
  if (contractions.empty() && depthwise.empty())
    return success();
  OpBuilder b(func.getContext());
  for (auto &[rescale, layer] : contractions) {
    b.setInsertionPoint(rescale);
    emitContractionKernel(b, rescale, layer, target, tile);
  }
  for (auto &[rescale, layer] : depthwise) {
    b.setInsertionPoint(rescale);
    emitDepthwiseKernel(b, rescale, layer, target, tile);
  }
  func->setAttr("target_features",
                LLVM::TargetFeaturesAttr::get(func.getContext(),
                                              target.getTargetFeatures()));
  return success();
}
