//===- KernelBuilders.cpp - Shared pieces of the layer kernels ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

Value createConstantTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                           Type elementType, ArrayRef<int64_t> values) {
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> bits = llvm::map_to_vector(values, [&](int64_t v) {
    return APInt(64, v, /*isSigned=*/true).trunc(width);
  });
  auto type = RankedTensorType::get(shape, elementType);
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, bits));
}

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value read(OpBuilder &b, Location loc, Value source, ValueRange indices,
           int64_t size) {
  auto type = VectorType::get(
      {size}, cast<RankedTensorType>(source.getType()).getElementType());
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

Value emitTileLoops(OpBuilder &b, Location loc, Value out, int64_t imageRows,
                    int64_t rowLength, int64_t totalVectors, KernelTile tile,
                    int64_t rowsPerVector, TileEmitter emitTile,
                    int64_t multiplyAccumulates, bool lastVectorPartial) {
  Panels panels = getPanels(totalVectors, tile.vectors, lastVectorPartial);
  int64_t rows =
      std::min<int64_t>(tile.rows, llvm::alignTo(rowLength, rowsPerVector));
  int64_t fullRowTiles = rowLength / rows;
  int64_t lastRows = rowLength % rows;

  // The tiles of a panel loop's iterations, and those of a row loop's, write
  // disjoint parts of the output: such loops are marked kParallelTilesAttr
  // for --qopt-parallelize-tiles. One loop of a nest is: the loop over image
  // rows of a convolution (each panel's rows shared out, one fork per
  // panel); for a fully connected layer (one image row) the panel loop when
  // it has panels to share, and the row tiles of the panels outside it.
  bool parallel = multiplyAccumulates >= kMinParallelWork;
  bool parallelImageRows = parallel && imageRows >= kMinParallelImageRows;
  bool parallelPanels = parallel && !parallelImageRows && panels.full >= 2;

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
      result =
          emitTile(rb, rloc, result, m0, llvm::alignTo(lastRows, rowsPerVector),
                   lastRows, v0, panelVectors, holdsLast);
    }
    return result;
  };

  auto emitPanel = [&](OpBuilder &pb, Location ploc, Value panelOut, Value v0,
                       int64_t panelVectors, bool holdsLast,
                       bool insideParallel) -> Value {
    bool markTiles = parallel && !insideParallel && !parallelImageRows;
    if (imageRows == 1)
      return emitImageRow(pb, ploc, panelOut, index(pb, ploc, 0), v0,
                          panelVectors, holdsLast, markTiles);
    auto loop = scf::ForOp::create(
        pb, ploc, index(pb, ploc, 0), index(pb, ploc, imageRows * rowLength),
        index(pb, ploc, rowLength), ValueRange{panelOut},
        [&](OpBuilder &lb, Location lloc, Value rowStart, ValueRange args) {
          scf::YieldOp::create(lb, lloc,
                               emitImageRow(lb, lloc, args.front(), rowStart,
                                            v0, panelVectors, holdsLast,
                                            markTiles));
        });
    if (parallelImageRows && !insideParallel)
      loop->setAttr(kParallelTilesAttr, pb.getUnitAttr());
    return loop.getResult(0);
  };

  return emitPanelLoops(b, loc, out, panels, parallelPanels, emitPanel);
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
