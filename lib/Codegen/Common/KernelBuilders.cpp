//===- KernelBuilders.cpp - Shared pieces of the layer kernels ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/FormatVariadic.h"

namespace qopt::codegen::detail {

RankedTensorType getSignlessType(RankedTensorType type) {
  auto element = cast<IntegerType>(type.getElementType());
  return type.clone(IntegerType::get(type.getContext(), element.getWidth()));
}

Value castToSignless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType signless = getSignlessType(type);
  if (signless == type)
    return value;
  return UnrealizedConversionCastOp::create(b, loc, signless, value)
      .getResult(0);
}

Value collapse(OpBuilder &b, Location loc, Value value, int64_t rank) {
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

/// `values` truncated to T, the storage of `type`'s elements.
template <typename T>
static DenseElementsAttr getTruncated(RankedTensorType type,
                                      ArrayRef<int64_t> values) {
  SmallVector<T> narrow = llvm::map_to_vector(
      values, [](int64_t v) { return static_cast<T>(v); });
  return DenseElementsAttr::get(type, ArrayRef<T>(narrow));
}

Value createConstantTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                           Type elementType, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, elementType);
  unsigned width = elementType.getIntOrFloatBitWidth();
  // The packed weights of a layer, up to millions, built as native integers:
  // one APInt each was 3% of MobileNetV2's compile time.
  DenseElementsAttr attr;
  if (width == 8)
    attr = getTruncated<int8_t>(type, values);
  else if (width == 32)
    attr = getTruncated<int32_t>(type, values);
  else
    attr = DenseElementsAttr::get(
        type, llvm::map_to_vector(values, [&](int64_t v) {
          return APInt(64, v, /*isSigned=*/true).trunc(width);
        }));
  return arith::ConstantOp::create(b, loc, attr);
}

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value read(OpBuilder &b, Location loc, Value source, ValueRange indices,
           int64_t size) {
  auto type = VectorType::get(
      {size}, cast<ShapedType>(source.getType()).getElementType());
  return vector::TransferReadOp::create(b, loc, type, source, indices,
                                        /*padding=*/std::nullopt,
                                        ArrayRef<bool>{true});
}

Value slice(OpBuilder &b, Location loc, Value vector, int64_t offset,
            int64_t size) {
  if (offset == 0 && size == cast<VectorType>(vector.getType()).getDimSize(0))
    return vector;
  return vector::ExtractStridedSliceOp::create(b, loc, vector, offset, size, 1);
}

Panels getPanels(int64_t totalVectors, int64_t tileVectors,
                 bool lastVectorPartial) {
  Panels panels;
  panels.vectors = std::min(tileVectors, totalVectors);
  panels.full = totalVectors / panels.vectors;
  panels.last = totalVectors % panels.vectors;
  if (panels.last == 0 && lastVectorPartial) {
    --panels.full;
    panels.last = panels.vectors;
  }
  return panels;
}

Value emitPanelLoops(OpBuilder &b, Location loc, Value out,
                     const Panels &panels, bool parallel,
                     PanelEmitter emitPanel) {
  if (panels.full > 0) {
    auto loop = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, panels.full * panels.vectors),
        index(b, loc, panels.vectors), ValueRange{out},
        [&](OpBuilder &lb, Location lloc, Value v0, ValueRange args) {
          scf::YieldOp::create(lb, lloc,
                               emitPanel(lb, lloc, args.front(), v0,
                                         panels.vectors,
                                         /*holdsLast=*/false, parallel));
        });
    if (parallel)
      loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
    out = loop.getResult(0);
  }
  if (panels.last == 0)
    return out;
  return emitPanel(b, loc, out, index(b, loc, panels.full * panels.vectors),
                   panels.last, /*holdsLast=*/true, /*insideParallel=*/false);
}

namespace {
/// How the tiles of a convolution are shared out over threads: one marked
/// loop (one fork per layer) over `parts` x (panelCount() panels) x
/// `partRows` image rows, the part slowest, then the panel. With 2 parts,
/// each is half of the image rows; with 1, the panels follow each other,
/// the last (narrower) one at position `lastAt`, and a thread takes whole
/// panels but for the one it shares. A static schedule gives each of two
/// threads a contiguous half of the iterations, which it runs as one
/// thread runs the layer: panel by panel, the panel's weights read by all
/// its rows while they are in cache.
struct ThreadSplit {
  Panels panels;
  int64_t parts = 1, partRows = 1, lastAt = 0;

  int64_t getPanelCount() const {
    return panels.full + (panels.last > 0 ? 1 : 0);
  }
  int64_t getIterations() const { return parts * getPanelCount() * partRows; }
  /// The vectors of the panel at position `position` of a part.
  int64_t getPanelVectors(int64_t position) const {
    return panels.last > 0 && position == lastAt ? panels.last : panels.vectors;
  }
  /// The work of each of two threads that split the iterations statically
  /// (the first takes the odd one), `rowCost(vectors)` that of an image row
  /// of a panel of `vectors`.
  std::pair<int64_t, int64_t>
  getThreadWork(function_ref<int64_t(int64_t)> rowCost) const {
    int64_t iterations = getIterations();
    std::pair<int64_t, int64_t> work = {0, 0};
    for (int64_t i = 0; i < iterations; ++i)
      (i < (iterations + 1) / 2 ? work.first : work.second) +=
          rowCost(getPanelVectors(i / partRows % getPanelCount()));
    return work;
  }
};
} // namespace

/// About the instructions of one reduction step of a tile of `rows` x
/// `vectors`: a dot product per accumulator, a load per weight vector and
/// one per row.
static int64_t getTileCost(int64_t rows, int64_t vectors) {
  return rows * vectors + rows + vectors;
}

/// Whether two threads that take the whole panels of an output row, the
/// first ceil(panels / 2) of them as a static schedule gives, would write
/// parts of the same 64-byte cache lines (or there are not two panels).
static bool panelSplitSharesLines(Value out, int64_t totalVectors,
                                  const Panels &panels) {
  if (panels.full < 2)
    return true;
  auto type = cast<RankedTensorType>(out.getType());
  int64_t lanes = llvm::PowerOf2Ceil(
      llvm::divideCeil(type.getShape().back(), totalVectors));
  int64_t firstBytes = (panels.full + 1) / 2 * panels.vectors * lanes *
                       llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  return firstBytes % kCacheLineBytes != 0;
}

/// The first thread's whole row tiles when two threads share out a row of
/// `fullRowTiles` tiles of `rows` and a last one of `lastRows` (the second
/// takes the rest): the split whose busier thread has the fewest rows.
static int64_t getFirstRowTiles(int64_t rows, int64_t fullRowTiles,
                                int64_t lastRows) {
  int64_t total = fullRowTiles * rows + lastRows;
  int64_t first = std::min<int64_t>(fullRowTiles,
                                    llvm::divideCeil(total / 2, rows));
  auto busier = [&](int64_t tiles) {
    return std::max(tiles * rows, total - tiles * rows);
  };
  return first > 0 && busier(first - 1) < busier(first) ? first - 1 : first;
}

/// Whether two threads should take halves of a row's tiles rather than
/// panels: where panels would share cache lines, and where halves of the
/// tiles are about as even as the panels (measured on AMX: ResNet-18's
/// 28x28x128->128 scales 1.45x on halves of 26 tiles, 1.12-1.31x on 2 of 4
/// panels; 14x14x256->256 better on 4 of 8 panels than on 3 of 6 tiles
/// and a last one).
static bool prefersRowHalves(Value out, int64_t totalVectors,
                             const Panels &panels, int64_t rows,
                             int64_t fullRowTiles, int64_t lastRows,
                             int64_t firstRowTiles) {
  if (panelSplitSharesLines(out, totalVectors, panels))
    return true;
  int64_t total = fullRowTiles * rows + lastRows;
  int64_t first = firstRowTiles * rows;
  double rowShare = double(std::max(first, total - first)) / total;
  int64_t panelCount = panels.full + (panels.last > 0 ? 1 : 0);
  double panelShare = double((panelCount + 1) / 2) / panelCount;
  return rowShare <= panelShare + 0.02;
}

/// The tiles of a kernel of one image row for two threads: a marked loop of
/// two iterations over every panel, the first for `firstHalf`
/// (getFirstRowTiles) of the whole row tiles, the second for the others and
/// the partial last tile.
static Value emitRowHalves(OpBuilder &b, Location loc, Value out,
                           const Panels &panels, int64_t rows,
                           int64_t fullRowTiles, int64_t lastRows,
                           int64_t lastTileRows, int64_t firstHalf,
                           TileEmitter emitTile, PartPrologue prologue) {
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, 2), index(b, loc, 1),
      ValueRange{out},
      [&](OpBuilder &lb, Location lloc, Value part, ValueRange args) {
        auto c = [&](int64_t v) { return index(lb, lloc, v); };
        if (prologue)
          prologue(lb, lloc, part,
                   {0, firstHalf * rows, fullRowTiles * rows + lastRows});
        Value isSecond = arith::CmpIOp::create(
            lb, lloc, arith::CmpIPredicate::ne, part, c(0));
        Value begin = arith::SelectOp::create(lb, lloc, isSecond,
                                              c(firstHalf * rows), c(0));
        Value end = arith::SelectOp::create(
            lb, lloc, isSecond, c(fullRowTiles * rows), c(firstHalf * rows));
        scf::YieldOp::create(
            lb, lloc,
            emitPanelLoops(
                lb, lloc, args.front(), panels, /*parallel=*/false,
                [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
                    int64_t panelVectors, bool holdsLast, bool) {
                  Value result =
                      scf::ForOp::create(
                          pb, ploc, begin, end, index(pb, ploc, rows),
                          ValueRange{panelOut},
                          [&](OpBuilder &tb, Location tloc, Value m0,
                              ValueRange tileArgs) {
                            scf::YieldOp::create(
                                tb, tloc,
                                emitTile(tb, tloc, tileArgs.front(), m0, rows,
                                         rows, v0, panelVectors, holdsLast));
                          })
                          .getResult(0);
                  if (lastRows == 0)
                    return result;
                  return scf::IfOp::create(
                             pb, ploc, isSecond,
                             [&](OpBuilder &tb, Location tloc) {
                               scf::YieldOp::create(
                                   tb, tloc,
                                   emitTile(tb, tloc, result,
                                            index(tb, tloc,
                                                  fullRowTiles * rows),
                                            lastTileRows, lastRows, v0,
                                            panelVectors, holdsLast));
                             },
                             [&](OpBuilder &eb, Location eloc) {
                               scf::YieldOp::create(eb, eloc, result);
                             })
                      .getResult(0);
                }));
      });
  loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
  remarkThreadSplit(
      loc,
      llvm::formatv(
          "tiles shared out by halves of the row: 2 threads take "
          "{0} and {1} of {2} whole tiles of {3} rows{4}, over "
          "every panel",
          firstHalf, fullRowTiles - firstHalf, fullRowTiles, rows,
          lastRows > 0
              ? llvm::formatv(" (the second also the last {0})", lastRows).str()
              : std::string())
          .str());
  return loop.getResult(0);
}

Value emitTileLoops(OpBuilder &b, Location loc, Value out, int64_t imageRows,
                    int64_t rowLength, int64_t totalVectors, KernelTile tile,
                    int64_t rowsPerVector, TileEmitter emitTile,
                    int64_t multiplyAccumulates, bool lastVectorPartial,
                    PartPrologue prologue) {
  Panels panels = getPanels(totalVectors, tile.vectors, lastVectorPartial);
  int64_t rows =
      std::min<int64_t>(tile.rows, llvm::alignTo(rowLength, rowsPerVector));
  int64_t fullRowTiles = rowLength / rows;
  int64_t lastRows = rowLength % rows;
  int64_t lastTileRows = llvm::alignTo(lastRows, rowsPerVector);

  // The tiles of a panel loop's iterations, those of a row loop's and those
  // of the image rows of different panels write disjoint parts of the
  // output: such loops are marked kParallelTilesAttr for
  // --qopt-parallelize-tiles. One loop per layer is: for a convolution, a
  // loop over its panels and image rows (ThreadSplit); for a fully connected
  // layer (one image row) halves of its row tiles, else the panel loop when
  // it has panels to share, and the row tiles of the panels outside it
  // (or, for a row of one tile, the convolution's split of the panels).
  bool parallel = multiplyAccumulates >= kMinParallelWork;

  // The tiles of one image row: a loop over the whole tiles and the partial
  // last one.
  auto emitImageRow = [&](OpBuilder &rb, Location rloc, Value rowOut,
                          Value rowStart, Value v0, int64_t panelVectors,
                          bool holdsLast, bool markTiles) -> Value {
    Value result = rowOut;
    if (fullRowTiles > 0) {
      auto loop = scf::ForOp::create(
          rb, rloc, index(rb, rloc, 0), index(rb, rloc, fullRowTiles * rows),
          index(rb, rloc, rows), ValueRange{rowOut},
          [&](OpBuilder &lb, Location lloc, Value ow, ValueRange args) {
            Value m0 = arith::AddIOp::create(lb, lloc, rowStart, ow);
            scf::YieldOp::create(lb, lloc,
                                 emitTile(lb, lloc, args.front(), m0, rows,
                                          rows, v0, panelVectors, holdsLast));
          });
      if (markTiles && fullRowTiles >= 2)
        loop->setAttr(kParallelTilesAttr, rb.getUnitAttr());
      result = loop.getResult(0);
    }
    if (lastRows > 0) {
      Value m0 = arith::AddIOp::create(rb, rloc, rowStart,
                                       index(rb, rloc, fullRowTiles * rows));
      result = emitTile(rb, rloc, result, m0, lastTileRows, lastRows, v0,
                        panelVectors, holdsLast);
    }
    return result;
  };

  if (imageRows == 1 && parallel && fullRowTiles >= 2 * kMinRowTilesPerThread) {
    int64_t firstRowTiles = getFirstRowTiles(rows, fullRowTiles, lastRows);
    if (prefersRowHalves(out, totalVectors, panels, rows, fullRowTiles,
                         lastRows, firstRowTiles))
      return emitRowHalves(b, loc, out, panels, rows, fullRowTiles, lastRows,
                           lastTileRows, firstRowTiles, emitTile, prologue);
  }
  // With a prologue, each of two threads takes half of the panels after
  // a prologue of all the rows of its own (a loop of two iterations): a
  // marked panel loop would run it per panel.
  if (imageRows == 1 && prologue && parallel && panels.full >= 2) {
    int64_t firstPanels = (panels.full + 1) / 2;
    auto loop = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, 2), index(b, loc, 1),
        ValueRange{out},
        [&](OpBuilder &lb, Location lloc, Value part, ValueRange args) {
          auto c = [&](int64_t v) { return index(lb, lloc, v); };
          prologue(lb, lloc, part, {0, rowLength});
          Value isSecond = arith::CmpIOp::create(
              lb, lloc, arith::CmpIPredicate::ne, part, c(0));
          Value begin = arith::SelectOp::create(
              lb, lloc, isSecond, c(firstPanels * panels.vectors), c(0));
          Value end = arith::SelectOp::create(lb, lloc, isSecond,
                                              c(panels.full * panels.vectors),
                                              c(firstPanels * panels.vectors));
          Value result =
              scf::ForOp::create(lb, lloc, begin, end, c(panels.vectors),
                                 ValueRange{args.front()},
                                 [&](OpBuilder &pb, Location ploc, Value v0,
                                     ValueRange panelArgs) {
                                   scf::YieldOp::create(
                                       pb, ploc,
                                       emitImageRow(pb, ploc, panelArgs.front(),
                                                    index(pb, ploc, 0), v0,
                                                    panels.vectors,
                                                    /*holdsLast=*/false,
                                                    /*markTiles=*/false));
                                 })
                  .getResult(0);
          if (panels.last > 0)
            result =
                scf::IfOp::create(
                    lb, lloc, isSecond,
                    [&](OpBuilder &tb, Location tloc) {
                      scf::YieldOp::create(
                          tb, tloc,
                          emitImageRow(
                              tb, tloc, result, index(tb, tloc, 0),
                              index(tb, tloc, panels.full * panels.vectors),
                              panels.last, /*holdsLast=*/true,
                              /*markTiles=*/false));
                    },
                    [&](OpBuilder &eb, Location eloc) {
                      scf::YieldOp::create(eb, eloc, result);
                    })
                    .getResult(0);
          scf::YieldOp::create(lb, lloc, result);
        });
    loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
    remarkThreadSplit(
        loc, llvm::formatv("tiles shared out by halves of the panels, each "
                           "after a prologue of its own: 2 threads take {0} "
                           "and {1} of {2} panel(s)",
                           firstPanels,
                           panels.full - firstPanels + (panels.last > 0),
                           panels.full + (panels.last > 0))
                 .str());
    return loop.getResult(0);
  }
  if (prologue && (imageRows == 1 || !parallel))
    prologue(b, loc, index(b, loc, 0), {0, imageRows * rowLength});
  // One image row of one tile per panel, the last panel narrower: the
  // panel split below, which puts the last panel where the threads' shares
  // meet, rather than a marked loop of the whole panels and the last one
  // after it on one thread (a fully connected layer of one batch row in
  // tiles of 1 x 8: 7 panels on the threads, then 1 alone).
  bool splitsPanels = imageRows == 1 && parallel && !prologue &&
                      panels.full > 0 && panels.last > 0 &&
                      fullRowTiles + (lastRows > 0 ? 1 : 0) == 1;
  if (imageRows == 1 && !splitsPanels)
    return emitPanelLoops(
        b, loc, out, panels, parallel && panels.full >= 2,
        [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
            int64_t panelVectors, bool holdsLast, bool insideParallel) {
          return emitImageRow(pb, ploc, panelOut, index(pb, ploc, 0), v0,
                              panelVectors, holdsLast,
                              parallel && !insideParallel);
        });
  if (!parallel)
    return emitPanelLoops(
        b, loc, out, panels, /*parallel=*/false,
        [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
            int64_t panelVectors, bool holdsLast, bool) {
          auto loop = scf::ForOp::create(
              pb, ploc, index(pb, ploc, 0),
              index(pb, ploc, imageRows * rowLength),
              index(pb, ploc, rowLength), ValueRange{panelOut},
              [&](OpBuilder &lb, Location lloc, Value rowStart,
                  ValueRange args) {
                scf::YieldOp::create(lb, lloc,
                                     emitImageRow(lb, lloc, args.front(),
                                                  rowStart, v0, panelVectors,
                                                  holdsLast,
                                                  /*markTiles=*/false));
              });
          return loop.getResult(0);
        });

  // The split whose busier thread of two has the least work: halves of the
  // image rows when they are even, else the panels with the last one where
  // a thread's share ends. The whole image rows of a part, and its panels'
  // order, change nothing else: every thread count gets the same tiles.
  auto rowCost = [&](int64_t vectors) {
    return fullRowTiles * getTileCost(rows, vectors) +
           (lastRows > 0 ? getTileCost(lastTileRows, vectors) : 0);
  };
  ThreadSplit split;
  split.panels = panels;
  std::pair<int64_t, int64_t> work = {0, 0};
  auto consider = [&](ThreadSplit candidate) {
    std::pair<int64_t, int64_t> candidateWork =
        candidate.getThreadWork(rowCost);
    if (work.first + work.second == 0 ||
        std::max(candidateWork.first, candidateWork.second) <
            std::max(work.first, work.second))
      std::tie(split, work) = std::make_pair(candidate, candidateWork);
  };
  ThreadSplit halves = split;
  halves.lastAt = panels.full;
  if (imageRows % 2 == 0) {
    halves.parts = 2;
    halves.partRows = imageRows / 2;
    consider(halves);
  }
  for (int64_t lastAt = panels.last > 0 ? panels.full : 0; lastAt >= 0;
       --lastAt) {
    ThreadSplit panelMajor = split;
    panelMajor.parts = 1;
    panelMajor.partRows = imageRows;
    panelMajor.lastAt = lastAt;
    consider(panelMajor);
  }
  int64_t iterations = split.getIterations();
  int64_t total = work.first + work.second;
  remarkThreadSplit(
      loc, llvm::formatv(
               "tiles shared out by {0}: {1} iterations of {2} panel(s) x {3} "
               "image row(s){4}; 2 threads take {5} and {6} iterations, "
               "{7:F1}% and {8:F1}% of the work",
               split.parts == 2 ? "halves of the image rows"
                                : "panels, then image rows",
               iterations, split.getPanelCount(), split.partRows,
               split.parts == 2 ? " per half" : "", (iterations + 1) / 2,
               iterations / 2, 100.0 * work.first / total,
               100.0 * work.second / total)
               .str());

  int64_t panelCount = split.getPanelCount();
  // Iteration `i` of the split, on `iterOut`.
  auto emitIteration = [&](OpBuilder &lb, Location lloc, Value iterOut,
                           Value i) {
    auto c = [&](int64_t v) { return index(lb, lloc, v); };
    auto div = [&](Value x, int64_t y) -> Value {
      return arith::DivUIOp::create(lb, lloc, x, c(y));
    };
    auto rem = [&](Value x, int64_t y) -> Value {
      return arith::RemUIOp::create(lb, lloc, x, c(y));
    };
    // Iteration i is image row r of the panel at `position` of part k.
    Value partIteration = rem(i, panelCount * split.partRows);
    Value position = div(partIteration, split.partRows);
    Value row = arith::AddIOp::create(
        lb, lloc,
        arith::MulIOp::create(lb, lloc, div(i, panelCount * split.partRows),
                              c(split.partRows)),
        rem(partIteration, split.partRows));
    Value rowStart = arith::MulIOp::create(lb, lloc, row, c(rowLength));
    auto emitFullPanel = [&](OpBuilder &fb, Location floc) {
      // The full panels before the last one, then after it.
      Value panel = position;
      if (panels.last > 0 && split.lastAt < panels.full)
        panel = arith::SubIOp::create(
            fb, floc, position,
            arith::IndexCastUIOp::create(
                fb, floc, fb.getIndexType(),
                arith::CmpIOp::create(fb, floc, arith::CmpIPredicate::ugt,
                                      position, c(split.lastAt))));
      Value v0 = arith::MulIOp::create(fb, floc, panel, c(panels.vectors));
      return emitImageRow(fb, floc, iterOut, rowStart, v0, panels.vectors,
                          /*holdsLast=*/false,
                          /*markTiles=*/false);
    };
    Value result;
    if (panels.last == 0) {
      result = emitFullPanel(lb, lloc);
    } else if (panels.full == 0) {
      result = emitImageRow(lb, lloc, iterOut, rowStart, c(0), panels.last,
                            /*holdsLast=*/true,
                            /*markTiles=*/false);
    } else {
      Value isLast = arith::CmpIOp::create(lb, lloc, arith::CmpIPredicate::eq,
                                           position, c(split.lastAt));
      auto branch = scf::IfOp::create(
          lb, lloc, isLast,
          [&](OpBuilder &tb, Location tloc) {
            scf::YieldOp::create(
                tb, tloc,
                emitImageRow(tb, tloc, iterOut, rowStart,
                             index(tb, tloc, panels.full * panels.vectors),
                             panels.last, /*holdsLast=*/true,
                             /*markTiles=*/false));
          },
          [&](OpBuilder &eb, Location eloc) {
            scf::YieldOp::create(eb, eloc, emitFullPanel(eb, eloc));
          });
      result = branch.getResult(0);
    }
    return result;
  };
  auto emitIterations = [&](OpBuilder &lb, Location lloc, Value iterOut,
                            Value begin, Value end) {
    return scf::ForOp::create(
               lb, lloc, begin, end, index(lb, lloc, 1), ValueRange{iterOut},
               [&](OpBuilder &ib, Location iloc, Value i, ValueRange args) {
                 scf::YieldOp::create(ib, iloc,
                                      emitIteration(ib, iloc, args.front(), i));
               })
        .getResult(0);
  };
  if (!prologue) {
    auto loop =
        emitIterations(b, loc, out, index(b, loc, 0), index(b, loc, iterations))
            .getDefiningOp();
    loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
    return loop->getResult(0);
  }
  // With a prologue, the two threads' halves of the iterations that a
  // static schedule gives them, each after a prologue of the rows it reads:
  // its image rows, or all of them when it takes panels.
  int64_t half = (iterations + 1) / 2;
  SmallVector<int64_t> starts = {0};
  if (split.parts == 2)
    starts.push_back(split.partRows * rowLength);
  starts.push_back(imageRows * rowLength);
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, 2), index(b, loc, 1),
      ValueRange{out},
      [&](OpBuilder &lb, Location lloc, Value part, ValueRange args) {
        prologue(lb, lloc, part, starts);
        Value begin =
            arith::MulIOp::create(lb, lloc, part, index(lb, lloc, half));
        Value end = arith::MinUIOp::create(
            lb, lloc,
            arith::AddIOp::create(lb, lloc, begin, index(lb, lloc, half)),
            index(lb, lloc, iterations));
        scf::YieldOp::create(
            lb, lloc, emitIterations(lb, lloc, args.front(), begin, end));
      });
  loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
  return loop.getResult(0);
}

TileRows getTileRows(OpBuilder &b, Location loc, const Geometry &g, Value m0,
                     int64_t rows, int64_t validRows) {
  TileRows tile;
  Value firstOffset = g.rowOffset(b, loc, m0);
  for (int64_t i = 0; i < rows; ++i) {
    int64_t row = std::min(i, validRows - 1);
    tile.indices.push_back(
        arith::AddIOp::create(b, loc, m0, index(b, loc, row)));
    tile.offsets.push_back(arith::AddIOp::create(
        b, loc, firstOffset, index(b, loc, row * g.getRowStride())));
  }
  return tile;
}

Value createKernelOutput(OpBuilder &b, Location loc, int64_t rows,
                         int64_t channels) {
  return tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{rows, channels},
                                 b.getI8Type());
}

Value concatenate(OpBuilder &b, Location loc, ArrayRef<Value> values) {
  SmallVector<Value> joined(values);
  while (joined.size() > 1) {
    SmallVector<Value> pairs;
    for (size_t i = 0; i < joined.size(); i += 2) {
      int64_t n = cast<VectorType>(joined[i].getType()).getDimSize(0);
      pairs.push_back(vector::ShuffleOp::create(
          b, loc, joined[i], joined[i + 1],
          llvm::to_vector(llvm::seq<int64_t>(0, 2 * n))));
    }
    joined = std::move(pairs);
  }
  return joined.front();
}

Value store(OpBuilder &b, Location loc, Value out, Value values, int64_t lane,
            int64_t count, Value m, Value n) {
  return vector::TransferWriteOp::create(
             b, loc, slice(b, loc, values, lane, count), out, ValueRange{m, n},
             ArrayRef<bool>{true})
      .getResult();
}

std::optional<SmallVector<int64_t>> getOptionalConstant(Value value,
                                                        int64_t size) {
  if (!value)
    return SmallVector<int64_t>(size, 0);
  return qnn::getIntConstantValues(value);
}

bool allZero(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v == 0; });
}

qnn::IntPadOp getImagePad(Value input) {
  auto pad = input.getDefiningOp<qnn::IntPadOp>();
  if (!pad)
    return nullptr;
  // [low, high] per NHWC dimension.
  ArrayRef<int64_t> p = pad.getPadding();
  auto unpadded = cast<RankedTensorType>(pad.getInput().getType());
  if (p.size() != 8 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0 ||
      llvm::any_of(p, [](int64_t v) { return v < 0; }) ||
      unpadded.getDimSize(1) == 0 || unpadded.getDimSize(2) == 0)
    return nullptr;
  return pad;
}

void foldInputPad(Layer &layer) {
  qnn::IntPadOp pad = getImagePad(layer.input);
  if (!pad)
    return;
  auto unpadded = cast<RankedTensorType>(pad.getInput().getType());
  layer.input = pad.getInput();
  layer.pad = pad;
  layer.padValue = pad.getValue();
  Geometry &g = layer.geometry;
  g.inH = unpadded.getDimSize(1);
  g.inW = unpadded.getDimSize(2);
  g.padTop = pad.getPadding()[2];
  g.padLeft = pad.getPadding()[4];
}

Value getReadOnlyBuffer(OpBuilder &b, Location loc, Value tensor,
                        MemRefType type) {
  return bufferization::ToBufferOp::create(b, loc, type, tensor,
                                           /*read_only=*/true);
}

PartPaddedInput::PartPaddedInput(OpBuilder &b, Location loc, qnn::IntPadOp pad,
                                 int64_t vectorBytes, int64_t slack)
    : padding(pad.getPadding()), padValue(pad.getValue()),
      shape(cast<RankedTensorType>(pad.getType()).getShape()),
      vectorBytes(vectorBytes), slack(slack) {
  Value input = collapse(b, loc, castToSignless(b, loc, pad.getInput()), 1);
  unpadded = getReadOnlyBuffer(
      b, loc, input,
      MemRefType::get(
          cast<RankedTensorType>(input.getType()).getShape(), b.getI8Type(),
          StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {1})));
}

std::pair<Value, Value> PartPaddedInput::emit(
    OpBuilder &b, Location loc, Value part, ArrayRef<int64_t> starts,
    function_ref<std::pair<int64_t, int64_t>(int64_t, int64_t)> getReadBytes)
    const {
  ArrayRef<int64_t> p = padding;
  int64_t top = p[2], left = p[4], right = p[5];
  int64_t imageH = shape[1], depth = shape[3];
  int64_t height = imageH - p[2] - p[3], width = shape[2] - left - right;
  int64_t rowBytes = getRowBytes();
  auto c = [&](int64_t v) { return index(b, loc, v); };
  // The per-part constants, selected by the part.
  auto select = [&](ArrayRef<int64_t> values) {
    Value value = c(values.front());
    for (size_t i = 1; i < values.size(); ++i)
      value = arith::SelectOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, part, c(i)),
          c(values[i]), value);
    return value;
  };
  SmallVector<int64_t> firstRows, endRows, bases;
  int64_t bytes = 0;
  for (size_t i = 0; i + 1 < starts.size(); ++i) {
    auto [firstByte, endByte] = getReadBytes(starts[i], starts[i + 1]);
    int64_t first = std::max<int64_t>(0, firstByte) / rowBytes;
    int64_t end =
        std::min<int64_t>(getImageRows(), llvm::divideCeil(endByte, rowBytes));
    firstRows.push_back(first);
    endRows.push_back(end);
    bases.push_back(first * rowBytes - slack);
    bytes = std::max(bytes, (end - first) * rowBytes + 2 * slack);
  }
  Type i8 = b.getI8Type();
  auto buffer = memref::AllocOp::create(b, loc, MemRefType::get({bytes}, i8),
                                        b.getI64IntegerAttr(kCacheLineBytes));
  Value border = arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(i8, APInt(64, padValue, /*isSigned=*/true).trunc(8)));
  // `bytes` bytes from `to` in the buffer: the pad value, or those from
  // `from` in the pad's input; whole vectors, then the rest.
  auto emitBytes = [&](OpBuilder &rb, Location rloc, Value to, Value from,
                       int64_t bytes) {
    auto emitVector = [&](OpBuilder &vb, Value offset, int64_t size) {
      auto type = VectorType::get({size}, i8);
      Value vector =
          from
              ? vector::TransferReadOp::create(
                    vb, rloc, type, unpadded,
                    ValueRange{arith::AddIOp::create(vb, rloc, from, offset)},
                    /*padding=*/std::nullopt, ArrayRef<bool>{true})
                    .getResult()
              : vector::BroadcastOp::create(vb, rloc, type, border).getResult();
      vector::TransferWriteOp::create(
          vb, rloc, vector, buffer,
          ValueRange{arith::AddIOp::create(vb, rloc, to, offset)},
          ArrayRef<bool>{true});
    };
    int64_t whole = bytes / vectorBytes * vectorBytes;
    if (whole > 0)
      scf::ForOp::create(
          rb, rloc, index(rb, rloc, 0), index(rb, rloc, whole),
          index(rb, rloc, vectorBytes), ValueRange{},
          [&](OpBuilder &lb, Location, Value offset, ValueRange) {
            emitVector(lb, offset, vectorBytes);
            scf::YieldOp::create(lb, rloc);
          });
    if (whole < bytes)
      emitVector(rb, index(rb, rloc, whole), bytes - whole);
  };
  Value firstRow = select(firstRows);
  scf::ForOp::create(
      b, loc, firstRow, select(endRows), c(1), ValueRange{},
      [&](OpBuilder &lb, Location lloc, Value y, ValueRange) {
        auto lc = [&](int64_t v) { return index(lb, lloc, v); };
        Value to = arith::AddIOp::create(
            lb, lloc,
            arith::MulIOp::create(lb, lloc,
                                  arith::SubIOp::create(lb, lloc, y, firstRow),
                                  lc(rowBytes)),
            lc(slack));
        Value n = arith::DivUIOp::create(lb, lloc, y, lc(imageH));
        Value row = arith::SubIOp::create(
            lb, lloc, arith::RemUIOp::create(lb, lloc, y, lc(imageH)), lc(top));
        // Rows above the image wrap around to large unsigned values.
        Value inside = arith::CmpIOp::create(
            lb, lloc, arith::CmpIPredicate::ult, row, lc(height));
        scf::IfOp::create(
            lb, lloc, inside,
            [&](OpBuilder &tb, Location tloc) {
              Value from = arith::MulIOp::create(
                  tb, tloc,
                  arith::AddIOp::create(
                      tb, tloc,
                      arith::MulIOp::create(tb, tloc, n,
                                            index(tb, tloc, height)),
                      row),
                  index(tb, tloc, width * depth));
              emitBytes(tb, tloc, to, nullptr, left * depth);
              emitBytes(tb, tloc,
                        arith::AddIOp::create(tb, tloc, to,
                                              index(tb, tloc, left * depth)),
                        from, width * depth);
              emitBytes(
                  tb, tloc,
                  arith::AddIOp::create(
                      tb, tloc, to, index(tb, tloc, (left + width) * depth)),
                  nullptr, right * depth);
              scf::YieldOp::create(tb, tloc);
            },
            [&](OpBuilder &eb, Location eloc) {
              emitBytes(eb, eloc, to, nullptr, rowBytes);
              scf::YieldOp::create(eb, eloc);
            });
        scf::YieldOp::create(lb, lloc);
      });
  return {buffer, select(bases)};
}

/// The bytes of a vector of the interleaved copy, which holds whole pixels
/// of KH x C bytes.
static constexpr int64_t kInterleavedVectorBytes = 64;

bool canInterleaveKernelRows(const Geometry &g) {
  return g.dilationW == 1 && g.kernelH > 1 &&
         g.kernelH * g.depth <= kInterleavedVectorBytes;
}

Geometry getInterleavedGeometry(const Geometry &g) {
  Geometry interleaved = g;
  interleaved.inH = g.outH;
  interleaved.depth = g.kernelH * g.depth;
  interleaved.kernelH = 1;
  interleaved.strideH = interleaved.dilationH = 1;
  return interleaved;
}

// Each vector of the copy is whole pixels, gathered from one masked 64-byte
// read of each of the KH input rows by two-source byte shuffles (vpermt2b on
// x86).
Layer interleaveKernelRows(OpBuilder &b, Location loc, const Layer &layer) {
  const Geometry &padded = layer.geometry;
  Layer source = layer;
  foldInputPad(source);
  const Geometry &g = source.geometry;
  Type i8 = b.getI8Type();
  int64_t pixelBytes = g.kernelH * g.depth;
  int64_t pixels = kInterleavedVectorBytes / pixelBytes;
  int64_t rowBytes = padded.inW * pixelBytes;
  int64_t copyRows = g.batch * g.outH;
  auto c = [&](OpBuilder &ib, int64_t v) { return index(ib, loc, v); };

  // Byte i of the vector that holds the kernel rows up to kh, pixel x from
  // read pixel x - lead for the `valid` pixels from `lead`. A vector without
  // padding starts from row 0's read; one with padding from the pad value,
  // in every byte that no read replaces.
  auto getShuffleMask = [&](int64_t kh, int64_t lead, int64_t valid) {
    bool whole = lead == 0 && valid == pixels;
    bool fromRead = kh == 1 && whole;
    SmallVector<int64_t> mask;
    for (int64_t i = 0; i < kInterleavedVectorBytes; ++i) {
      int64_t x = i / pixelBytes, row = i % pixelBytes / g.depth,
              readByte = (x - lead) * g.depth + i % g.depth;
      bool read = x >= lead && x < lead + valid;
      if (x >= pixels || (whole && row > kh))
        mask.push_back(vector::ShuffleOp::kPoisonIndex);
      else if (row == kh)
        mask.push_back(read ? kInterleavedVectorBytes + readByte : i);
      else
        mask.push_back(fromRead ? readByte : i);
    }
    return mask;
  };

  Value input = collapse(b, loc, castToSignless(b, loc, source.input), 1);
  Value copy = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{copyRows * rowBytes}, i8);
  auto vectorType = VectorType::get({kInterleavedVectorBytes}, i8);
  auto maskType = VectorType::get({kInterleavedVectorBytes}, b.getI1Type());
  // Masked, 1-D, in bounds where the mask is set.
  auto identity =
      AffineMapAttr::get(AffineMap::getMinorIdentityMap(1, 1, b.getContext()));
  ArrayAttr inBounds = b.getBoolArrayAttr({true});
  auto padByte = static_cast<int8_t>(source.padValue);
  Value padValue = arith::ConstantIntOp::create(b, loc, i8, padByte);
  Value padVector = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vectorType, b.getI8IntegerAttr(padByte)));
  Value noLanes =
      vector::ConstantMaskOp::create(b, loc, maskType, ArrayRef<int64_t>{0});
  bool padsRows = g.inH != padded.inH;
  auto rowLoop = scf::ForOp::create(
      b, loc, c(b, 0), c(b, copyRows), c(b, 1), ValueRange{copy},
      [&](OpBuilder &lb, Location, Value r, ValueRange rowArgs) {
        // Kernel row kh of output row oh of image n reads padded row
        // oh * sh + kh * dh, input row y = that - padTop if y < H (as an
        // unsigned number), else nothing (at row 0).
        Value n = arith::DivUIOp::create(lb, loc, r, c(lb, g.outH));
        Value oh = arith::RemUIOp::create(lb, loc, r, c(lb, g.outH));
        Value image = arith::MulIOp::create(lb, loc, n, c(lb, g.inH));
        // The row's copy; `checkRows` for the rows whose kernel rows may be
        // padding.
        auto emitRow = [&](OpBuilder &rb, Value dest, bool checkRows) {
          SmallVector<Value> rowOffsets, rowValid;
          for (int64_t kh = 0; kh < g.kernelH; ++kh) {
            Value y = arith::SubIOp::create(
                rb, loc, arith::MulIOp::create(rb, loc, oh, c(rb, g.strideH)),
                c(rb, g.padTop - kh * g.dilationH));
            if (checkRows) {
              Value valid = arith::CmpIOp::create(
                  rb, loc, arith::CmpIPredicate::ult, y, c(rb, g.inH));
              y = arith::SelectOp::create(rb, loc, valid, y, c(rb, 0));
              rowValid.push_back(valid);
            }
            rowOffsets.push_back(arith::MulIOp::create(
                rb, loc, arith::AddIOp::create(rb, loc, image, y),
                c(rb, g.inW * g.depth)));
          }
          Value rowStart = arith::MulIOp::create(rb, loc, r, c(rb, rowBytes));
          // The vector of `count` pixels from pixel x, of which `valid` from
          // pixel x + lead read input pixels from x + lead - padLeft.
          auto emitVector = [&](OpBuilder &vb, Value x, int64_t count,
                                int64_t lead, int64_t valid,
                                Value dest) -> Value {
            auto mask = [&](int64_t lanes) -> Value {
              return vector::ConstantMaskOp::create(vb, loc, maskType,
                                                    ArrayRef<int64_t>{lanes});
            };
            Value readMask = mask(valid * g.depth);
            Value readStart = arith::MulIOp::create(
                vb, loc,
                arith::AddIOp::create(vb, loc, x, c(vb, lead - g.padLeft)),
                c(vb, g.depth));
            Value pixelsOfRows =
                lead == 0 && valid == pixels ? Value() : padVector;
            for (int64_t kh = 0; kh < g.kernelH && valid > 0; ++kh) {
              Value rowMask = readMask;
              if (checkRows)
                rowMask = arith::SelectOp::create(vb, loc, rowValid[kh],
                                                  readMask, noLanes);
              Value rowBytesRead = vector::TransferReadOp::create(
                                       vb, loc, vectorType, input,
                                       ValueRange{arith::AddIOp::create(
                                           vb, loc, rowOffsets[kh], readStart)},
                                       identity, padValue, rowMask, inBounds)
                                       .getResult();
              pixelsOfRows = !pixelsOfRows
                                 ? rowBytesRead
                                 : vector::ShuffleOp::create(
                                       vb, loc, pixelsOfRows, rowBytesRead,
                                       getShuffleMask(kh, lead, valid))
                                       .getResult();
            }
            Value writeStart = arith::AddIOp::create(
                vb, loc, rowStart,
                arith::MulIOp::create(vb, loc, x, c(vb, pixelBytes)));
            return vector::TransferWriteOp::create(
                       vb, loc, pixelsOfRows, dest, ValueRange{writeStart},
                       identity, mask(count * pixelBytes), inBounds)
                .getResult();
          };
          // Vectors of pixels [begin, end), static.
          auto emitVectors = [&](Value dest, int64_t begin, int64_t end) {
            for (int64_t x = begin; x < end; x += pixels) {
              int64_t count = std::min(pixels, end - x);
              int64_t first = std::clamp<int64_t>(g.padLeft, x, x + count);
              int64_t last =
                  std::clamp<int64_t>(g.padLeft + g.inW, first, x + count);
              dest = emitVector(rb, c(rb, x), count, first - x, last - first,
                                dest);
            }
            return dest;
          };
          // The whole vectors of input pixels in a loop; the padding and the
          // rest around it.
          int64_t loopEnd = g.padLeft + g.inW / pixels * pixels;
          Value result = emitVectors(dest, 0, g.padLeft);
          if (loopEnd > g.padLeft)
            result =
                scf::ForOp::create(
                    rb, loc, c(rb, g.padLeft), c(rb, loopEnd), c(rb, pixels),
                    ValueRange{result},
                    [&](OpBuilder &vb, Location, Value x, ValueRange args) {
                      scf::YieldOp::create(
                          vb, loc,
                          emitVector(vb, x, pixels, 0, pixels, args.front()));
                    })
                    .getResult(0);
          return emitVectors(result, loopEnd, padded.inW);
        };
        if (!padsRows) {
          scf::YieldOp::create(lb, loc, emitRow(lb, rowArgs.front(), false));
          return;
        }
        // Only the first and last output rows of an image read padding
        // rows: the others do without the row tests and their masks.
        int64_t firstInner = llvm::divideCeil(g.padTop, g.strideH);
        int64_t lastReadable =
            g.inH - 1 + g.padTop - (g.kernelH - 1) * g.dilationH;
        int64_t innerEnd = std::clamp<int64_t>(
            lastReadable < 0 ? 0 : lastReadable / g.strideH + 1, firstInner,
            g.outH);
        Value inner = arith::AndIOp::create(
            lb, loc,
            arith::CmpIOp::create(lb, loc, arith::CmpIPredicate::uge, oh,
                                  c(lb, firstInner)),
            arith::CmpIOp::create(lb, loc, arith::CmpIPredicate::ult, oh,
                                  c(lb, innerEnd)));
        auto ifOp = scf::IfOp::create(
            lb, loc, inner,
            [&](OpBuilder &tb, Location) {
              scf::YieldOp::create(tb, loc,
                                   emitRow(tb, rowArgs.front(), false));
            },
            [&](OpBuilder &eb, Location) {
              scf::YieldOp::create(eb, loc, emitRow(eb, rowArgs.front(), true));
            });
        scf::YieldOp::create(lb, loc, ifOp.getResults());
      });
  // Rows write disjoint bytes: the threads share them where they share the
  // layer's tiles (emitTileLoops).
  if (copyRows > 1 &&
      g.getRows() * g.channels * g.getTaps() * g.depth >= kMinParallelWork)
    rowLoop->setAttr(kParallelTilesAttr, b.getUnitAttr());

  Layer interleaved = layer;
  interleaved.input = rowLoop.getResult(0);
  interleaved.pad = source.pad;
  interleaved.geometry = getInterleavedGeometry(padded);
  int64_t taps = g.getTaps();
  for (int64_t o = 0; o < g.channels; ++o)
    for (int64_t kw = 0; kw < g.kernelW; ++kw)
      for (int64_t kh = 0; kh < g.kernelH; ++kh)
        for (int64_t i = 0; i < g.depth; ++i)
          interleaved
              .weights[((o * g.kernelW + kw) * g.kernelH + kh) * g.depth + i] =
              layer.weights[((o * taps) + kh * g.kernelW + kw) * g.depth + i];
  return interleaved;
}

bool isByteTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         tensor.getElementType().isInteger(8);
}

void replaceLayer(OpBuilder &b, qnn::IntRescaleOp rescale, Operation *producer,
                  Value out) {
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

} // namespace qopt::codegen::detail
