//===- AmxKernels.cpp - Contraction kernels on x86 AMX tiles --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The fully connected and conv2d kernels of the x86-amx target, on Intel
// AMX's tdpbusd (u8 input) or tdpbssd (s8 input): one instruction adds the
// product of a tile of up to 16 rows x 64 input bytes and a tile of 16 groups
// of 4 weights x 16 channels to a tile of 16 x 16 i32 sums. The right-hand
// tile is 16 rows of vpdpbusd's packed weight vector (16 channels x 4
// weights), so the kernels take the same packed weights. A kernel tile holds
// one accumulator tile per 16 output rows and 16 channels (2 x 2 by default:
// with two input and two weight tiles, the 8 tile registers) for the whole
// reduction. The input is read in place as the other kernels read it: the
// rows of a tile are consecutive pixels of one output row, at the constant
// distance Geometry::getRowStride() in the flattened input, which is the
// stride of the tile load; a run's bytes are its columns, 64 at a time.
//
// LLVM configures the shape of each tile register once per function, so
// all the tiles of a layer have one shape: blocks of 16 rows (a partial
// tile starts earlier and recomputes rows of the tile before it) or, in
// image rows of fewer than 16 pixels, blocks of the whole row; runs are
// whole 64-byte steps. qopt's LLVM optimizer gives each layer's loop nest a
// function of its own (Optimize.cpp).
//
// AMX moves tiles only to and from memory: each accumulator tile is stored
// to a stack buffer (in an alloca scope, so that threads and loop iterations
// do not share it) and read back row by row into the epilogue the other
// kernels share (requantization, clamp, narrowing). The bias is added there,
// after the reduction rather than before it: the same i32 sum modulo 2^32.
// Tile loads take memrefs: the kernel reads the buffers of its input and of
// its packed weights through read-only bufferization.to_buffer, which
// one-shot bufferization resolves.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace qopt::codegen::detail {

/// Rows of a tile, bytes of a tile row, and i32 sums of an accumulator tile
/// row (output channels).
static constexpr int64_t kTileRows = 16, kTileBytes = 64, kTileChannels = 16;
/// Adjacent reduction steps in one i32 of the right-hand tile.
static constexpr int64_t kGroupSize = 4;

/// The geometry the kernel tiles: a 1x1 convolution of stride 1 as one
/// image row of all its pixels (they are `depth` bytes apart throughout), so
/// that its tiles are whole blocks of 16 rows.
static Geometry getAmxGeometry(const Geometry &g) {
  if (g.kernelH != 1 || g.kernelW != 1 || g.strideH != 1 || g.strideW != 1)
    return g;
  Geometry flat = g;
  flat.outW = flat.inW = g.getRows();
  flat.batch = flat.outH = flat.inH = 1;
  return flat;
}

bool coversAmxContraction(const Layer &layer, StringRef &whyNot) {
  // Every step is 64 bytes of each row (see the file comment).
  Geometry g = getAmxGeometry(layer.geometry);
  if (g.getRunLength() % kTileBytes != 0) {
    whyNot = "its runs of adjacent input bytes (kernel width x depth) are "
             "not a multiple of 64 bytes";
    return false;
  }
  // Image rows of fewer than 16 pixels take tiles of fewer rows, a shape
  // of their own, which a loop over image rows keeps in the layer's own
  // function (LLVM configures the tile registers' shapes once per function).
  if (g.outW < kTileRows && g.batch * g.outH == 1) {
    whyNot = "it has fewer than 16 rows";
    return false;
  }
  return true;
}

/// The buffer of `tensor`, of type `type`, which the kernel only reads.
static Value getReadOnlyBuffer(OpBuilder &b, Location loc, Value tensor,
                               MemRefType type) {
  return bufferization::ToBufferOp::create(b, loc, type, tensor,
                                           /*read_only=*/true);
}

void emitAmxContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                              const Layer &layer, const KernelTarget &target,
                              KernelTile tile) {
  assert(target.getLanes() == kTileChannels &&
         target.getGroupSize() == kGroupSize &&
         target.getRowsPerVector() == 1 && target.getWeightBitWidth() == 8 &&
         "AMX's right-hand tiles are vpdpbusd's packed weights");
  Location loc = rescale.getLoc();
  MLIRContext *ctx = b.getContext();
  Geometry g = getAmxGeometry(layer.geometry);
  // Blocks of 16 rows of an image row, or all of a shorter one.
  int64_t blockRows = std::min(kTileRows, g.outW);
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  int64_t vectors = llvm::divideCeil(g.channels, kTileChannels);
  int64_t runLength = g.getRunLength();
  int64_t groupsPerRun = runLength / kGroupSize;
  int64_t stepsPerRun = runLength / kTileBytes;

  Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
  Value inputBuffer = getReadOnlyBuffer(
      b, loc, input,
      MemRefType::get(cast<RankedTensorType>(input.getType()).getShape(), i8,
                      StridedLayoutAttr::get(ctx, ShapedType::kDynamic, {1})));
  Value packed = packWeights(b, loc, layer, target, vectors, groupsPerRun);
  Value packedBuffer = getReadOnlyBuffer(
      b, loc, packed,
      MemRefType::get(cast<RankedTensorType>(packed.getType()).getShape(), i8));
  Value bias = createBiasLanes(b, loc, layer, vectors, kTileChannels,
                               /*rowsPerVector=*/1);
  LaneParams params(b, loc, rescale, vectors, kTileChannels,
                    /*rowsPerVector=*/1);
  Epilogue epilogue(rescale);
  Value out = createKernelOutput(b, loc, g.getRows(), g.channels);

  auto emitTile = [&](OpBuilder &tb, Location tloc, Value tileOut, Value m0,
                      int64_t, int64_t validRows, Value v0,
                      int64_t tileVectors, bool holdsLast) -> Value {
    // One input tile per block. A partial tile, the last of its image row,
    // starts earlier instead: it computes some rows of the tile before it
    // again and stores the same values.
    int64_t blocks = llvm::divideCeil(validRows, blockRows);
    int64_t overlap = blocks * blockRows - validRows;
    if (overlap > 0)
      m0 = arith::SubIOp::create(tb, tloc, m0, index(tb, tloc, overlap));
    Value firstOffset = g.rowOffset(tb, tloc, m0);
    Value rowStride = index(tb, tloc, g.getRowStride());
    SmallVector<Value> blockOffsets, columns;
    for (int64_t i = 0; i < blocks; ++i)
      blockOffsets.push_back(arith::AddIOp::create(
          tb, tloc, firstOffset,
          index(tb, tloc, i * blockRows * g.getRowStride())));
    for (int64_t j = 0; j < tileVectors; ++j)
      columns.push_back(
          arith::AddIOp::create(tb, tloc, v0, index(tb, tloc, j)));
    auto accType = amx::TileType::get({blockRows, kTileChannels}, i32);
    auto inputType = amx::TileType::get({blockRows, kTileBytes}, i8);
    auto weightType =
        amx::TileType::get({kTileBytes / kGroupSize, kTileBytes}, i8);
    SmallVector<Value> init;
    for (int64_t i = 0; i < blocks * tileVectors; ++i)
      init.push_back(amx::TileZeroOp::create(tb, tloc, accType));

    // One reduction step: 64 bytes of every row from `offset` past its first
    // byte, against the 16 weight groups from `group`.
    auto step = [&](OpBuilder &sb, Location sloc, ValueRange accs,
                    Value offset, Value group) {
      Value zero = index(sb, sloc, 0);
      SmallVector<Value> lhs, rhs;
      for (int64_t i = 0; i < blocks; ++i)
        lhs.push_back(amx::TileLoadOp::create(
            sb, sloc, inputType, inputBuffer,
            ValueRange{arith::AddIOp::create(sb, sloc, blockOffsets[i],
                                             offset)},
            rowStride));
      for (Value column : columns)
        rhs.push_back(amx::TileLoadOp::create(sb, sloc, weightType,
                                              packedBuffer,
                                              ValueRange{column, group, zero}));
      SmallVector<Value> next;
      for (int64_t i = 0; i < blocks; ++i)
        for (int64_t j = 0; j < tileVectors; ++j) {
          Value acc = accs[i * tileVectors + j];
          next.push_back(amx::TileMulIOp::create(
              sb, sloc, acc.getType(), lhs[i], rhs[j], acc,
              /*isZextLhs=*/layer.inputUnsigned, /*isZextRhs=*/false));
        }
      return next;
    };

    auto runs = scf::ForOp::create(
        tb, tloc, index(tb, tloc, 0), index(tb, tloc, g.getRuns()),
        index(tb, tloc, 1), init,
        [&](OpBuilder &lb, Location lloc, Value run, ValueRange runAccs) {
          Value runOffset = g.runOffset(lb, lloc, run);
          Value firstGroup = arith::MulIOp::create(
              lb, lloc, run, index(lb, lloc, groupsPerRun));
          auto steps = scf::ForOp::create(
              lb, lloc, index(lb, lloc, 0), index(lb, lloc, stepsPerRun),
              index(lb, lloc, 1), runAccs,
              [&](OpBuilder &sb, Location sloc, Value s, ValueRange accs) {
                Value offset = arith::AddIOp::create(
                    sb, sloc, runOffset,
                    arith::MulIOp::create(sb, sloc, s,
                                          index(sb, sloc, kTileBytes)));
                Value group = arith::AddIOp::create(
                    sb, sloc, firstGroup,
                    arith::MulIOp::create(
                        sb, sloc, s,
                        index(sb, sloc, kTileBytes / kGroupSize)));
                scf::YieldOp::create(sb, sloc,
                                     step(sb, sloc, accs, offset, group));
              });
          scf::YieldOp::create(lb, lloc, steps.getResults());
        });

    // Each accumulator tile through a stack buffer into vector<16xi32> rows,
    // then the epilogue.
    auto rowType = VectorType::get({kTileChannels}, i32);
    Value result = tileOut;
    for (int64_t j = 0; j < tileVectors; ++j) {
      Value zero = index(tb, tloc, 0);
      Value biasRow = read(tb, tloc, bias, {columns[j], zero}, kTileChannels);
      auto [multiplier, shift] =
          params.get(tb, tloc, columns[j], kTileChannels);
      int64_t count = getColumnChannels(g, vectors, kTileChannels, j,
                                        tileVectors, holdsLast);
      Value n = arith::MulIOp::create(tb, tloc, columns[j],
                                      index(tb, tloc, kTileChannels));
      for (int64_t i = 0; i < blocks; ++i) {
        auto scope = memref::AllocaScopeOp::create(
            tb, tloc, SmallVector<Type>(blockRows, rowType));
        {
          OpBuilder::InsertionGuard guard(tb);
          tb.createBlock(&scope.getBodyRegion());
          Value buffer = memref::AllocaOp::create(
              tb, tloc, MemRefType::get({blockRows, kTileChannels}, i32));
          Value c0 = index(tb, tloc, 0);
          amx::TileStoreOp::create(tb, tloc, buffer, ValueRange{c0, c0},
                                   runs.getResult(i * tileVectors + j));
          SmallVector<Value> sums;
          for (int64_t r = 0; r < blockRows; ++r)
            sums.push_back(vector::LoadOp::create(
                tb, tloc, rowType, buffer, ValueRange{index(tb, tloc, r), c0}));
          memref::AllocaScopeReturnOp::create(tb, tloc, sums);
        }
        for (int64_t r = 0; r < blockRows; ++r) {
          Value sums =
              arith::AddIOp::create(tb, tloc, scope.getResult(r), biasRow);
          Value narrowed =
              epilogue.apply(tb, tloc, sums, multiplier, shift);
          Value m = arith::AddIOp::create(tb, tloc, m0,
                                          index(tb, tloc, i * blockRows + r));
          result = store(tb, tloc, result, narrowed, 0, count, m, n);
        }
      }
    }
    return result;
  };

  // Whole blocks, at least one of which an image row has.
  tile.rows = std::min(tile.rows, g.outW / blockRows * blockRows);
  out = emitTileLoops(b, loc, out, g.batch * g.outH, g.outW, vectors, tile,
                      /*rowsPerVector=*/1, emitTile,
                      g.getRows() * g.channels * g.getTaps() * g.depth,
                      g.channels % kTileChannels != 0);
  replaceLayer(b, rescale, layer.contraction, out);
}

} // namespace qopt::codegen::detail
