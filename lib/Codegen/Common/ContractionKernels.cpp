//===- ContractionKernels.cpp - Fully connected and conv2d kernels --------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The register-tiled kernels of the contractions: the dot-product
// instruction of the target over packed weights and the input read in
// place (see LayerKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"
#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Remarks.h"
#include "llvm/Support/FormatVariadic.h"

namespace qopt::codegen::detail {

/// The covered contraction that `rescale` requantizes, if any.
std::optional<Layer> matchContraction(qnn::IntRescaleOp rescale,
                                      const KernelTarget &target,
                                      StringRef &whyNot) {
  Operation *producer = rescale.getInput().getDefiningOp();
  if (!producer || !producer->hasOneUse()) {
    whyNot = "its result is not requantized by a single qnn.int.rescale";
    return std::nullopt;
  }
  if (!isByteTensor(rescale.getType())) {
    whyNot = "it is not requantized to 8 bits";
    return std::nullopt;
  }
  Layer layer;
  layer.contraction = producer;
  Value weights, bias;
  if (auto fc = dyn_cast<qnn::IntFullyConnectedOp>(producer)) {
    if (fc.getInputZp() != 0 || !allZero(fc.getWeightsZp())) {
      whyNot = "it has zero points (--qopt-expand-zero-points expands them "
               "when the weights are constant)";
      return std::nullopt;
    }
    auto inputType = cast<RankedTensorType>(fc.getInput().getType());
    if (inputType.getRank() != 2) {
      whyNot = "its input is not a [batch, depth] matrix";
      return std::nullopt;
    }
    layer.input = fc.getInput();
    weights = fc.getWeights();
    bias = fc.getBias();
    Geometry &g = layer.geometry;
    // One image row of M pixels of depth K: row m starts at m * K.
    g.outW = g.inW = inputType.getDimSize(0);
    g.depth = inputType.getDimSize(1);
    g.channels = cast<RankedTensorType>(weights.getType()).getDimSize(0);
  } else if (auto conv = dyn_cast<qnn::IntConv2DOp>(producer)) {
    if (conv.getGroups() != 1) {
      whyNot = "it is a grouped convolution (the kernels take groups = 1)";
      return std::nullopt;
    }
    if (!hasExpandedZeroPoints(conv, whyNot))
      return std::nullopt;
    layer.input = conv.getInput();
    weights = conv.getFilter();
    bias = conv.getBias();
    layer.geometry = getConvGeometry(conv);
    layer.geometry.channels =
        cast<RankedTensorType>(weights.getType()).getDimSize(0);
  } else {
    whyNot = "it is not a fully connected layer or a convolution";
    return std::nullopt;
  }
  if (!isByteTensor(layer.input.getType()) ||
      !isByteTensor(weights.getType()) ||
      getElementTypeOrSelf(weights.getType()).isUnsignedInteger()) {
    whyNot = "its input is not 8-bit or its weights not signed 8-bit";
    return std::nullopt;
  }
  layer.inputUnsigned =
      getElementTypeOrSelf(layer.input.getType()).isUnsignedInteger();
  if (!target.supportsInput(layer.inputUnsigned)) {
    whyNot = layer.inputUnsigned
                 ? "the target's instruction does not take unsigned input"
                 : "the target's instruction does not take signed input";
    return std::nullopt;
  }
  std::optional<SmallVector<int64_t>> weightValues =
      qnn::getIntConstantValues(weights);
  std::optional<SmallVector<int64_t>> biasValues =
      getOptionalConstant(bias, layer.geometry.channels);
  if (!weightValues || !biasValues) {
    whyNot = "its weights or bias are not constant";
    return std::nullopt;
  }
  layer.weights = std::move(*weightValues);
  layer.bias = std::move(*biasValues);
  return layer;
}

SmallVector<int64_t> packWeightValues(const Layer &layer,
                                      const KernelTarget &target,
                                      int64_t vectors, int64_t groupsPerRun,
                                      int64_t lead, int64_t panelVectors) {
  const Geometry &g = layer.geometry;
  int64_t groupSize = target.getGroupSize();
  int64_t channelsPerVector = target.getLanes() / target.getRowsPerVector();
  int64_t runLength = g.getRunLength();
  int64_t depthTotal = g.getRuns() * runLength;
  int64_t groups = g.getRuns() * groupsPerRun;
  SmallVector<int64_t> packed;
  packed.reserve(vectors * groups * channelsPerVector * groupSize);
  for (int64_t v0 = 0; v0 < vectors; v0 += panelVectors)
    for (int64_t group = 0; group < groups; ++group)
      for (int64_t v = v0; v < std::min(v0 + panelVectors, vectors); ++v) {
        int64_t run = group / groupsPerRun;
        int64_t first = group % groupsPerRun * groupSize;
        for (int64_t c = 0; c < channelsPerVector; ++c)
          for (int64_t e = 0; e < groupSize; ++e) {
            int64_t channel = v * channelsPerVector + c;
            int64_t step = first + e - lead;
            bool valid = channel < g.channels && step >= 0 && step < runLength;
            packed.push_back(valid ? layer.weights[channel * depthTotal +
                                                   run * runLength + step]
                                   : 0);
          }
      }
  return packed;
}

Value packWeights(OpBuilder &b, Location loc, const Layer &layer,
                  const KernelTarget &target, int64_t vectors,
                  int64_t groupsPerRun, int64_t panelVectors) {
  int64_t groups = layer.geometry.getRuns() * groupsPerRun;
  return createConstantTensor(
      b, loc,
      {vectors * groups,
       target.getLanes() / target.getRowsPerVector() * target.getGroupSize()},
      b.getIntegerType(target.getWeightBitWidth()),
      packWeightValues(layer, target, vectors, groupsPerRun, /*lead=*/0,
                       panelVectors));
}

Value createBiasLanes(OpBuilder &b, Location loc, const Layer &layer,
                      int64_t vectors, int64_t lanes, int64_t rowsPerVector,
                      int64_t offset) {
  int64_t channelsPerVector = lanes / rowsPerVector;
  int64_t channels = layer.geometry.channels;
  SmallVector<int64_t> biasLanes;
  for (int64_t v = 0; v < vectors; ++v)
    for (int64_t r = 0; r < rowsPerVector; ++r)
      for (int64_t c = 0; c < channelsPerVector; ++c) {
        int64_t channel = v * channelsPerVector + c;
        biasLanes.push_back((channel < channels ? layer.bias[channel] : 0) +
                            offset);
      }
  return createConstantTensor(b, loc, {vectors, lanes}, b.getI32Type(),
                              biasLanes);
}

qnn::IntegerRange getInputRange(const Layer &layer) {
  return layer.inputUnsigned ? qnn::IntegerRange{0, 255}
                             : qnn::IntegerRange{-128, 127};
}

qnn::IntegerRange getAccumulatorRange(const Layer &layer) {
  qnn::IntegerRange input = getInputRange(layer);
  int64_t channels = layer.geometry.channels;
  int64_t depth = layer.weights.size() / channels;
  qnn::IntegerRange range{0, 0};
  for (int64_t c = 0; c < channels; ++c) {
    int64_t positive = 0, negative = 0;
    for (int64_t w : ArrayRef(layer.weights).slice(c * depth, depth))
      (w > 0 ? positive : negative) += w;
    qnn::IntegerRange sums = qnn::getAccumulatorRange(
        input, positive, negative, layer.bias[c]);
    range.min = std::min(range.min, sums.min);
    range.max = std::max(range.max, sums.max);
  }
  return range;
}

KernelTile chooseContractionTile(Location loc, const Layer &layer,
                                 const KernelTarget &target,
                                 KernelTile pinned) {
  if (pinned.rows != 0 && pinned.vectors != 0)
    return pinned;
  TileCostModel model = *target.getTileCostModel();
  const Geometry &g = layer.geometry;
  int64_t rowsPerVector = target.getRowsPerVector();
  int64_t channelsPerVector = target.getLanes() / rowsPerVector;
  int64_t layerVectors = llvm::divideCeil(g.channels, channelsPerVector);
  // The dot products and loads of one reduction step of an image row's
  // tiles, as emitTileLoops makes them.
  auto getCost = [&](KernelTile tile) {
    Panels panels = getPanels(layerVectors, tile.vectors,
                              g.channels % channelsPerVector != 0);
    int64_t rows =
        std::min<int64_t>(tile.rows, llvm::alignTo(g.outW, rowsPerVector));
    int64_t lastRows = llvm::alignTo(g.outW % rows, rowsPerVector);
    std::pair<int64_t, int64_t> cost = {0, 0};
    auto add = [&](int64_t tileRows, int64_t tileVectors, int64_t count) {
      int64_t rowVectors = tileRows / rowsPerVector;
      cost.first +=
          count * std::max(rowVectors * tileVectors, model.minAccumulators);
      cost.second += count * (rowVectors + tileVectors);
    };
    for (auto [panelVectors, count] :
         {std::pair(panels.vectors, panels.full),
          std::pair(panels.last, int64_t(panels.last > 0))}) {
      add(rows, panelVectors, count * (g.outW / rows));
      if (lastRows > 0)
        add(lastRows, panelVectors, count);
    }
    return cost;
  };
  // Divided rather than multiplied: a pinned size may be any int64_t.
  auto fits = [&](KernelTile tile) {
    return tile.rows / rowsPerVector <= model.maxAccumulators / tile.vectors;
  };
  // maxVectors bounds the tiles whose rows share each weight vector, held
  // in a register; a tile of one row vector reads each weight vector once
  // (the dot product's memory operand) and may take as many columns as
  // hide the dot product's latency (a fully connected layer of one batch
  // row).
  int64_t oneRowVectors = std::max(model.maxVectors, model.minAccumulators);
  // The smallest tile when the pinned size leaves none within the model.
  KernelTile best = {pinned.rows ? pinned.rows : rowsPerVector,
                     pinned.vectors ? pinned.vectors : 1};
  std::pair<int64_t, int64_t> bestCost = getCost(best);
  for (int64_t vectors = 1; vectors <= oneRowVectors; ++vectors)
    for (int64_t rows = rowsPerVector;
         fits({rows, vectors}) &&
         (vectors <= model.maxVectors || rows == rowsPerVector);
         rows += rowsPerVector) {
      KernelTile candidate = {pinned.rows ? pinned.rows : rows,
                              pinned.vectors ? pinned.vectors : vectors};
      std::pair<int64_t, int64_t> cost = getCost(candidate);
      if (fits(candidate) && cost < bestCost)
        std::tie(best, bestCost) = std::make_pair(candidate, cost);
    }
  remark::analysis(
      loc, remark::RemarkOpts::name("KernelTile").category("qopt-kernel-tiles"))
      << llvm::formatv("register tile of {0} rows x {1} vector(s): {2} dot "
                       "products and {3} loads per reduction step of an "
                       "image row of {4} rows and {5} vector(s)",
                       best.rows, best.vectors, bestCost.first, bestCost.second,
                       g.outW, layerVectors)
             .str();
  return best;
}

/// Whether the kernel reads the layer's kernel rows interleaved
/// (interleaveKernelRows): where the target's copy is cheap and a window
/// then takes fewer groups. A run of KW x C bytes that is not whole groups
/// ends in a partial one, a whole dot product for a byte or two, which is
/// also slower to load: 7x7x3 takes 37 groups instead of 42 (7 of them of
/// one byte), 3x3x3 7 instead of 9.
static bool interleavesKernelRows(const Geometry &g,
                                  const KernelTarget &target) {
  if (!target.interleavesKernelRows() || !canInterleaveKernelRows(g))
    return false;
  int64_t groupSize = target.getGroupSize();
  return llvm::divideCeil(g.getTaps() * g.depth, groupSize) <
         g.kernelH * llvm::divideCeil(g.kernelW * g.depth, groupSize);
}

/// Rewrites `rescale` of `original` into kernel loops.
void emitContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                           const Layer &original, const KernelTarget &target,
                           KernelTile tile, bool parallel) {
  Location loc = rescale.getLoc();
  const Layer layer = interleavesKernelRows(original.geometry, target)
                          ? interleaveKernelRows(b, loc, original)
                          : original;
  const Geometry &g = layer.geometry;
  int64_t lanes = target.getLanes();
  int64_t rowsPerVector = target.getRowsPerVector();
  int64_t channelsPerVector = lanes / rowsPerVector;
  int64_t groupSize = target.getGroupSize();
  int64_t vectors = llvm::divideCeil(g.channels, channelsPerVector);
  // Groups never straddle two runs: a run's partial last group reads fewer
  // bytes (its packed weights are zero past the run).
  int64_t groupsPerRun = llvm::divideCeil(g.getRunLength(), groupSize);
  int64_t wholeGroups = g.getRunLength() / groupSize;
  int64_t lastGroupSize = g.getRunLength() % groupSize;
  int64_t groupsPerLoad = std::max<int64_t>(1, target.getGroupsPerLoad());
  int64_t rows = g.getRows();

  // The input that the tiles read and the offset in the input of its first
  // byte (null: the input itself): a part's padded rows if the layer reads
  // a padded copy of its own, else the input.
  Value tileInput, tileBase;
  std::optional<PartPaddedInput> partPadded;
  qnn::IntPadOp pad = getImagePad(layer.input);
  // The tiles read no byte past a run: no slack. Copied in vectors of an
  // accumulator's bytes.
  if (pad)
    partPadded.emplace(b, loc, pad, /*vectorBytes=*/4 * lanes, /*slack=*/0);
  else
    tileInput = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  // Panel-major: a reduction step of a tile reads its columns' weight
  // vectors from consecutive lines, one stream per tile.
  Value packed = packWeights(b, loc, layer, target, vectors, groupsPerRun,
                             std::min(tile.vectors, vectors));
  // A network's weights come from memory at every call (ResNet-18's 11.7
  // MB), a panel's when its first tile reads them: a layer of few output
  // pixels, which reads each weight byte for few dot products, waits for
  // them (7x7x512: 2.4 MB for 49 pixels, 1.2x slower than with its weights
  // in cache). Each reduction step of a tile prefetches the lines of the
  // next panel at the same place, into L2, while the panel's other tiles
  // compute from cache. A panel of one tile (a fully connected layer of one
  // batch row) has no other tiles to hide the stream behind, and its
  // prefetches double the memory operations of a step whose every weight is
  // a load (1 x 8: 8 prefetches beside 9 loads per 8 dot products): with
  // them FC 1280->1000 took 1.1-1.35x the time with its weights in L3, FC
  // 512->1000 1.4-1.7x in L2, and the networks, whose weights come from
  // memory, were no faster with them. A line of packed weights is a cache
  // line on x86; shorter lines (ARM, AVX2) would take several prefetches
  // per cache line.
  auto packedType = cast<RankedTensorType>(packed.getType());
  bool oneTilePerPanel = g.batch * g.outH == 1 && tile.rows >= g.outW;
  bool prefetchesPanels =
      rows <= kMaxPrefetchingRows && vectors > tile.vectors &&
      !oneTilePerPanel &&
      packedType.getDimSize(1) * packedType.getElementTypeBitWidth() / 8 >=
          kCacheLineBytes;
  Value packedBuffer =
      prefetchesPanels
          ? getReadOnlyBuffer(b, loc, packed,
                              MemRefType::get(packedType.getShape(),
                                              packedType.getElementType()))
          : Value();
  // The next panel's first line, relative to the tile's panel's, where a
  // panel as wide follows; else 0: the panel prefetches its own lines
  // again, cache hits.
  auto getPrefetchOffset = [&](OpBuilder &pb, Location ploc, Value v0,
                               int64_t tileVectors) -> Value {
    Value followed = arith::CmpIOp::create(
        pb, ploc, arith::CmpIPredicate::sle,
        arith::AddIOp::create(pb, ploc, v0, index(pb, ploc, 2 * tileVectors)),
        index(pb, ploc, vectors));
    return arith::SelectOp::create(
        pb, ploc, followed,
        index(pb, ploc, tileVectors * g.getRuns() * groupsPerRun),
        index(pb, ploc, 0));
  };
  Epilogue epilogue(rescale);
  // Where the target asks for it and the accumulators are known to be in
  // [-2^19, 2^19) (the requantization's input, after its zero point), they
  // start at the bias plus qnn::kOffsetProductBias, which the epilogue
  // subtracts again (KernelTarget::offsetsAccumulators): short reductions,
  // whose epilogue is a large part of their time.
  qnn::IntegerRange range = getAccumulatorRange(layer);
  int64_t offset =
      target.offsetsAccumulators() &&
              range.min - epilogue.inputZp >= -qnn::kOffsetProductBias &&
              range.max - epilogue.inputZp < qnn::kOffsetProductBias
          ? qnn::kOffsetProductBias
          : 0;
  epilogue.inputZp += offset;
  epilogue.accumulatorRange = {range.min + offset, range.max + offset};
  Value bias =
      createBiasLanes(b, loc, layer, vectors, lanes, rowsPerVector, offset);
  LaneParams params(b, loc, rescale, vectors, lanes, rowsPerVector);

  Value out = createKernelOutput(b, loc, rows, g.channels);

  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value m0,
                      int64_t tileRows, int64_t validRows, Value v0,
                      int64_t tileVectors, bool holdsLast) -> Value {
    // Padding rows of a partial tile read the last row again and are not
    // stored.
    TileRows tileRowsAt = getTileRows(tb, tloc, g, m0, tileRows, validRows);
    ArrayRef<Value> rowIndex = tileRowsAt.indices;
    SmallVector<Value> rowOffsets = tileRowsAt.offsets;
    if (tileBase)
      for (Value &offset : rowOffsets)
        offset = arith::SubIOp::create(tb, tloc, offset, tileBase);
    SmallVector<Value> columns;
    for (int64_t j = 0; j < tileVectors; ++j)
      columns.push_back(
          arith::AddIOp::create(tb, tloc, v0, index(tb, tloc, j)));
    // The panel's first packed line: the panels before it hold v0 vectors.
    Value panelLines = arith::MulIOp::create(
        tb, tloc, v0, index(tb, tloc, g.getRuns() * groupsPerRun));
    Value prefetchOffset =
        prefetchesPanels ? getPrefetchOffset(tb, tloc, v0, tileVectors)
                         : Value();
    int64_t rowVectors = tileRows / rowsPerVector;
    SmallVector<Value> init;
    Value zero = index(tb, tloc, 0);
    // One read per column of the bias, which every row of the tile shares.
    SmallVector<Value> biasVectors;
    for (Value column : columns)
      biasVectors.push_back(read(tb, tloc, bias, {column, zero}, lanes));
    for (int64_t i = 0; i < rowVectors; ++i)
      llvm::append_range(init, biasVectors);

    // `count` reduction steps: the groups of `size` bytes at `offset` (and
    // the next count - 1 groups) from each row, read with one load per row,
    // against the packed vectors of groups `group` ... + count - 1.
    auto step = [&](OpBuilder &sb, Location sloc, ValueRange accs, Value offset,
                    Value group, int64_t size, int64_t count) {
      SmallVector<Value> rowBytes;
      for (int64_t row = 0; row < tileRows; ++row) {
        Value at = arith::AddIOp::create(sb, sloc, rowOffsets[row], offset);
        Value bytes = read(sb, sloc, tileInput, {at}, size * count);
        if (size < groupSize) {
          auto groupType = VectorType::get({groupSize}, sb.getI8Type());
          bytes = vector::InsertStridedSliceOp::create(
              sb, sloc, bytes,
              to_linalg::createIntConstant(sb, sloc, groupType, 0),
              ArrayRef<int64_t>{0}, ArrayRef<int64_t>{1});
        }
        rowBytes.push_back(bytes);
      }
      SmallVector<Value> next(accs);
      for (int64_t u = 0; u < count; ++u) {
        Value groupIndex =
            arith::AddIOp::create(sb, sloc, group, index(sb, sloc, u));
        Value groupLine = arith::AddIOp::create(
            sb, sloc, panelLines,
            arith::MulIOp::create(sb, sloc, groupIndex,
                                  index(sb, sloc, tileVectors)));
        SmallVector<Value> weights;
        for (int64_t j = 0; j < tileVectors; ++j) {
          Value line =
              arith::AddIOp::create(sb, sloc, groupLine, index(sb, sloc, j));
          weights.push_back(read(sb, sloc, packed, {line, index(sb, sloc, 0)},
                                 channelsPerVector * groupSize));
          if (prefetchesPanels)
            memref::PrefetchOp::create(
                sb, sloc, packedBuffer,
                ValueRange{
                    arith::AddIOp::create(sb, sloc, line, prefetchOffset),
                    index(sb, sloc, 0)},
                /*isWrite=*/false, /*localityHint=*/2, /*isDataCache=*/true);
        }
        for (int64_t i = 0; i < rowVectors; ++i) {
          SmallVector<Value> groups;
          for (int64_t r = 0; r < rowsPerVector; ++r)
            groups.push_back(slice(sb, sloc, rowBytes[i * rowsPerVector + r],
                                   u * groupSize, groupSize));
          Value operand =
              target.buildInputOperand(sb, sloc, groups, layer.inputUnsigned);
          for (int64_t j = 0; j < tileVectors; ++j)
            next[i * tileVectors + j] = target.multiplyAccumulate(
                sb, sloc, next[i * tileVectors + j], operand, weights[j],
                layer.inputUnsigned);
        }
      }
      return next;
    };

    auto runs = scf::ForOp::create(
        tb, tloc, zero, index(tb, tloc, g.getRuns()), index(tb, tloc, 1), init,
        [&](OpBuilder &lb, Location lloc, Value run, ValueRange runAccs) {
          Value runOffset = g.runOffset(lb, lloc, run);
          Value firstGroup = arith::MulIOp::create(
              lb, lloc, run, index(lb, lloc, groupsPerRun));
          SmallVector<Value> accs(runAccs);
          // Whole groups, `groupsPerLoad` at a time, then one at a time.
          int64_t loadedGroups = wholeGroups / groupsPerLoad * groupsPerLoad;
          auto groupStep = [&](OpBuilder &gb, Location gloc, ValueRange in,
                               Value gi, int64_t count) {
            Value offset = arith::AddIOp::create(
                gb, gloc, runOffset,
                arith::MulIOp::create(gb, gloc, gi,
                                      index(gb, gloc, groupSize)));
            Value group = arith::AddIOp::create(gb, gloc, firstGroup, gi);
            return step(gb, gloc, in, offset, group, groupSize, count);
          };
          if (loadedGroups > 0) {
            auto groups = scf::ForOp::create(
                lb, lloc, index(lb, lloc, 0), index(lb, lloc, loadedGroups),
                index(lb, lloc, groupsPerLoad), accs,
                [&](OpBuilder &gb, Location gloc, Value gi,
                    ValueRange groupAccs) {
                  scf::YieldOp::create(
                      gb, gloc,
                      groupStep(gb, gloc, groupAccs, gi, groupsPerLoad));
                });
            accs.assign(groups.getResults().begin(), groups.getResults().end());
          }
          for (int64_t gi = loadedGroups; gi < wholeGroups; ++gi)
            accs = groupStep(lb, lloc, accs, index(lb, lloc, gi), 1);
          if (lastGroupSize > 0) {
            Value offset = arith::AddIOp::create(
                lb, lloc, runOffset, index(lb, lloc, wholeGroups * groupSize));
            Value group = arith::AddIOp::create(lb, lloc, firstGroup,
                                                index(lb, lloc, wholeGroups));
            accs = step(lb, lloc, accs, offset, group, lastGroupSize, 1);
          }
          scf::YieldOp::create(lb, lloc, accs);
        });

    // The rescale parameters, read after the reduction so that they do not
    // hold registers during it; once per column.
    SmallVector<std::pair<Value, Value>> scales;
    for (Value column : columns)
      scales.push_back(params.get(tb, tloc, column, lanes));
    auto isFull = [&](int64_t j) {
      return getColumnChannels(g, vectors, channelsPerVector, j, tileVectors,
                               holdsLast) == channelsPerVector;
    };
    Value result = tileOut;
    for (int64_t i = 0; i < rowVectors; ++i)
      for (int64_t j = 0, count; j < tileVectors; j += count) {
        // With a row per vector, a row's columns are adjacent in the
        // output: whole ones are narrowed together, up to
        // target.getNarrowedVectors() (x86: saturating packs and one vpermd
        // for the lot, against a clamp and a 2-uop vpmovusdb each).
        count = 1;
        while (rowsPerVector == 1 &&
               2 * count <= target.getNarrowedVectors() &&
               j + 2 * count <= tileVectors &&
               llvm::all_of(llvm::seq(j, j + 2 * count), isFull))
          count *= 2;
        SmallVector<Value> scaled;
        for (int64_t k = j; k < j + count; ++k) {
          auto [multiplier, shift] = scales[k];
          scaled.push_back(epilogue.scale(tb, tloc,
                                          runs.getResult(i * tileVectors + k),
                                          multiplier, shift));
        }
        Value narrowed =
            epilogue.narrow(tb, tloc, concatenate(tb, tloc, scaled));
        int64_t stored = (count - 1) * channelsPerVector +
                         getColumnChannels(g, vectors, channelsPerVector,
                                           j + count - 1, tileVectors,
                                           holdsLast);
        Value n = arith::MulIOp::create(tb, tloc, columns[j],
                                        index(tb, tloc, channelsPerVector));
        for (int64_t r = 0; r < rowsPerVector; ++r) {
          int64_t row = i * rowsPerVector + r;
          if (row >= validRows)
            continue;
          result = store(tb, tloc, result, narrowed, r * channelsPerVector,
                         stored, rowIndex[row], n);
        }
      }
    return result;
  };

  // A part's padded rows, which its tiles then read.
  auto copyPartRows = [&](OpBuilder &pb, Location ploc, Value part,
                          ArrayRef<int64_t> starts) {
    std::tie(tileInput, tileBase) = partPadded->emit(
        pb, ploc, part, starts, [&](int64_t begin, int64_t end) {
          return std::make_pair(g.rowOffset(begin),
                                g.rowOffset(end - 1) + g.getReadExtent());
        });
  };
  // On one thread, one copy of all the rows: parts would copy the rows
  // they share once each.
  if (partPadded && !parallel)
    copyPartRows(b, loc, index(b, loc, 0), {0, rows});
  out = emitTileLoops(
      b, loc, out, g.batch * g.outH, g.outW, vectors, tile, rowsPerVector,
      emitTile, rows * g.channels * g.getTaps() * g.depth,
      g.channels % channelsPerVector != 0,
      partPadded && parallel ? PartPrologue(copyPartRows) : nullptr);
  replaceLayer(b, rescale, layer.contraction, out);
  // The pad that the padded copy of the layer's own, or its interleaved
  // copy, read in place of it.
  Operation *readPad = pad ? pad.getOperation() : layer.pad;
  if (readPad && readPad->use_empty())
    readPad->erase();
}

} // namespace qopt::codegen::detail
