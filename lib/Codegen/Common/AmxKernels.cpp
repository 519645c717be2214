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
// A run that is not whole 64-byte steps (a first convolution's 3 x 7 bytes,
// a 1x1 convolution of 24 channels) is read in whole steps anyway: past its
// end, into the bytes of the next pixels, whose weights are zero in the
// packed weights (any byte times zero adds zero, exactly). The last tiles of
// a layer would read past the end of the input that way; they read the run
// backward instead, from `overhang` bytes before its start, against a
// second copy of the packed weights that has the zeros first. A tile takes
// one or the other by its last row, at run time; the kernel covers a layer
// when no tile would have to do both (inputs of fewer bytes than a tile).
//
// LLVM configures the shape of each tile register once per function, so
// all the tiles of a layer have one shape: blocks of 16 rows (a partial
// tile starts earlier and recomputes rows of the tile before it) or, in
// image rows of fewer than 16 pixels, blocks of the whole row. qopt's LLVM
// optimizer gives each layer's loop nest a function of its own
// (Optimize.cpp).
//
// AMX moves tiles only to and from memory: the accumulator tiles are stored
// to a stack buffer (one per function, at its start; one per thread in a
// parallel loop, which --qopt-parallelize-tiles allocates) and read back by
// a loop over their rows into the epilogue the other kernels share
// (requantization, clamp, narrowing; two whole columns of a row, 32
// adjacent output bytes, are narrowed together). The epilogue is in the IR
// once per column of channels, not once per row: unrolled over rows, it was
// two thirds of a network's compile time. The accumulator tiles start from the
// bias (a tile load whose rows all read the same 16 channels), so the
// epilogue does not add it. The sums come from memory, so the
// requantization is told their range (getAccumulatorRange: the weights and
// bias bound it over any input), which lets x86 requantize them with one
// 64-bit product.
// Tile loads take memrefs: the kernel reads the buffers of its input and of
// its packed weights through read-only bufferization.to_buffer, which
// one-shot bufferization resolves.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qopt::codegen::detail {

/// Rows of a tile, bytes of a tile row, and i32 sums of an accumulator tile
/// row (output channels).
static constexpr int64_t kTileRows = 16, kTileBytes = 64, kTileChannels = 16;
/// Adjacent reduction steps in one i32 of the right-hand tile.
static constexpr int64_t kGroupSize = 4;
/// Marks the stack buffer of the accumulator tiles (getSumsBuffer).
static constexpr llvm::StringLiteral kAmxSumsAttr = "qopt.amx_sums";

/// The rows the kernel computes. A layer of stride 1 (a fully connected
/// one, a convolution of stride 1) computes one row per input pixel,
/// m = (n * H + y) * W + x, all of them one image row: the pixels of
/// consecutive rows are `depth` bytes apart throughout, so that every tile is
/// whole blocks of 16 rows, whatever the width of the image. The rows of the
/// input's last KW - 1 columns and KH - 1 image rows are no output pixels:
/// their sums are not stored (for a 3x3 convolution of 56x56 pixels, 3.5% of
/// the rows; of 7x7, 22%, against tiles of 7 rows otherwise). Other layers
/// compute their output pixels, image row by image row.
struct AmxRows {
  Geometry g;
  bool perInputPixel;

  explicit AmxRows(const Geometry &g)
      : g(g), perInputPixel(g.strideH == 1 && g.strideW == 1) {}

  int64_t getImageRows() const { return perInputPixel ? 1 : g.batch * g.outH; }
  /// Up to the last output pixel.
  int64_t getRowLength() const {
    return perInputPixel ? ((g.batch - 1) * g.inH + g.outH - 1) * g.inW + g.outW
                         : g.outW;
  }
  int64_t getCount() const { return getImageRows() * getRowLength(); }
  /// Whether some rows are no output pixels.
  bool hasUnstoredRows() const {
    return perInputPixel && (g.inW != g.outW || g.inH != g.outH);
  }
  /// The distance in the input between consecutive rows of a block.
  int64_t getRowStride() const { return g.getRowStride(); }

  /// The offset in the flattened input of row `m`.
  int64_t getOffset(int64_t m) const {
    return perInputPixel ? m * g.depth : g.rowOffset(m);
  }
  Value getOffset(OpBuilder &b, Location loc, Value m) const {
    if (perInputPixel)
      return arith::MulIOp::create(b, loc, m, index(b, loc, g.depth));
    return g.rowOffset(b, loc, m);
  }

  /// The output row of row `m`, and whether it is one (null: always).
  std::pair<Value, Value> getOutputRow(OpBuilder &b, Location loc,
                                       Value m) const {
    if (!hasUnstoredRows())
      return {m, nullptr};
    auto c = [&](int64_t v) { return index(b, loc, v); };
    Value y = arith::DivUIOp::create(b, loc, m, c(g.inW));
    Value x = arith::RemUIOp::create(b, loc, m, c(g.inW));
    Value inRow =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, c(g.outW));
    // One image: the rows end at its last output pixel, so every image row
    // y is an output row.
    if (g.batch == 1)
      return {arith::AddIOp::create(
                  b, loc, arith::MulIOp::create(b, loc, y, c(g.outW)), x),
              inRow};
    Value n = arith::DivUIOp::create(b, loc, y, c(g.inH));
    Value oh = arith::RemUIOp::create(b, loc, y, c(g.inH));
    Value isPixel = arith::AndIOp::create(
        b, loc, inRow,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, oh,
                              c(g.outH)));
    // (n * OH + oh) * OW + x
    Value row = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(
            b, loc,
            arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, n, c(g.outH)), oh),
            c(g.outW)),
        x);
    return {row, isPixel};
  }

  /// The rows of a tile's blocks: 16, all of a shorter image row, or, in an
  /// image row of output pixels (a strided convolution's), as few blocks of
  /// at most 16 rows as cover it, of equal size: 28 pixels are two blocks of
  /// 14, one tile of two blocks, rather than blocks of 16 in tiles of one
  /// block (the second recomputing 4 rows of the first), whose weight tiles
  /// each serve one multiplication instead of two.
  int64_t getBlockRows() const {
    int64_t length = getRowLength();
    if (perInputPixel)
      return std::min(kTileRows, length);
    return llvm::divideCeil(length, llvm::divideCeil(length, kTileRows));
  }
  /// The rows of the kernel's tiles of at most `rows` rows (a multiple of
  /// 16): whole blocks, at least one, of which an image row has at least
  /// one.
  int64_t getTileRows(int64_t rows) const {
    int64_t blockRows = getBlockRows();
    return std::min(std::max<int64_t>(1, rows / blockRows),
                    getRowLength() / blockRows) *
           blockRows;
  }
  /// The first row of the tile (of `rows` rows) that computes row `m`:
  /// tiles start every `rows` rows of an image row (emitTileLoops), and a
  /// partial last one starts earlier, by what its whole blocks add.
  int64_t getTileStart(int64_t rows, int64_t m) const {
    int64_t length = getRowLength();
    int64_t rowStart = m / length * length;
    int64_t start = rowStart + (m - rowStart) / rows * rows;
    int64_t validRows = std::min(rows, rowStart + length - start);
    return start - (llvm::alignTo(validRows, getBlockRows()) - validRows);
  }
};

/// The bytes that a run's last step reads past the run.
static int64_t getOverhang(const Geometry &g) {
  return llvm::alignTo(g.getRunLength(), kTileBytes) - g.getRunLength();
}

/// The bytes from a row's offset to the end of its last run's last step,
/// read forward.
static int64_t getReadExtent(const Geometry &g) {
  return g.getReadExtent() + getOverhang(g);
}

/// The first row whose runs, read forward in whole steps, end past the
/// input (the rows' count if none). Rows are in input order: it is the last
/// run's end that decides, and from this row on every row reads past it.
static int64_t getFirstOverreadingRow(const AmxRows &rows) {
  const Geometry &g = rows.g;
  int64_t size = g.batch * g.inH * g.inW * g.depth;
  int64_t end = getReadExtent(g);
  int64_t first = 0, last = rows.getCount();
  while (first < last) {
    int64_t mid = first + (last - first) / 2;
    if (rows.getOffset(mid) + end > size)
      last = mid;
    else
      first = mid + 1;
  }
  return first;
}

/// Whether the kernel reads the layer's kernel rows interleaved
/// (interleaveKernelRows): a layer of few input channels (a first
/// convolution's 3) has runs of a few bytes, each padded to a whole 64-byte
/// step (a 3x3 kernel's 9 bytes, 3 steps per tile), so its tiles spend their
/// time on zeros. Interleaved, a window is one run of KW x KH x C adjacent
/// bytes (27: 1 step; 7x7x3 = 147: 3 steps instead of 7). Only where that at
/// least halves the steps: the copy writes each input byte KH / strideH
/// times.
static bool interleavesKernelRows(const Geometry &g) {
  if (!canInterleaveKernelRows(g))
    return false;
  int64_t steps = g.kernelH * llvm::divideCeil(g.kernelW * g.depth, kTileBytes);
  int64_t interleavedSteps =
      llvm::divideCeil(g.getTaps() * g.depth, kTileBytes);
  return 2 * interleavedSteps <= steps;
}

/// The geometry that the kernel reads: the layer's, or its interleaved one.
static Geometry getKernelGeometry(const Geometry &g) {
  return interleavesKernelRows(g) ? getInterleavedGeometry(g) : g;
}

bool coversAmxContraction(const Layer &layer, const KernelTile &tile,
                          StringRef &whyNot) {
  // A run that is not whole steps is read forward past its end, or, in the
  // tiles that would read past the input's end, backward from before its
  // start (see the file comment): the first of those tiles must be able to.
  AmxRows rows(getKernelGeometry(layer.geometry));
  int64_t overreading = getFirstOverreadingRow(rows);
  if (overreading < rows.getCount() &&
      rows.getOffset(rows.getTileStart(rows.getTileRows(tile.rows),
                                       overreading)) < getOverhang(rows.g)) {
    whyNot = "its input is too small to read its runs of adjacent input "
             "bytes (kernel width x depth) in whole 64-byte steps";
    return false;
  }
  return true;
}

bool prefersAmxContraction(const Layer &layer) {
  // Measured with bench/run.sh (speed relative to oneDNN's, vpdpbusd ->
  // AMX, two AMX runs on a loaded machine): the reductions of MobileNetV2's
  // thin layers, down to 16 bytes per output, gain or break even (1x1
  // convolution of 16 channels to 96: 0.82 -> 0.67, 2.02; of 24 to 144:
  // 1.00 -> 0.99, 1.30; 3x3 stride 2 of 3 channels: 0.44 -> 0.42, 0.65; of
  // 32 to 192: 1.26 -> 1.37, 1.69); below that a step is mostly zeros and
  // the requantization, which the vpdpbusd kernels do straight from their
  // registers, is all that is left.
  const Geometry &g = layer.geometry;
  if (g.getTaps() * g.depth < 16)
    return false;
  // Fewer than 16 rows leave the tiles mostly empty, in a shape of their
  // own, which, without a loop over image rows, would not even stay in the
  // layer's own function (LLVM configures the tile registers' shapes once
  // per function).
  AmxRows rows(g);
  return rows.getRowLength() >= kTileRows || rows.getImageRows() > 1;
}

/// The stack buffer through which the accumulator tiles of a kernel tile of
/// up to `rows` rows and `vectors` columns reach the epilogue, rows of i32
/// sums, column after column: one per function and tile shape, which all its
/// AMX kernels share, at the start of the function (a static allocation,
/// not one per kernel or per tile; the threads of a parallel loop get their
/// own, see --qopt-parallelize-tiles).
static Value getSumsBuffer(OpBuilder &b, int64_t rows, int64_t vectors) {
  Operation *scope = b.getInsertionBlock()->getParentOp();
  while (!scope->hasTrait<OpTrait::AutomaticAllocationScope>())
    scope = scope->getParentOp();
  Block &entry = scope->getRegion(0).front();
  auto type = MemRefType::get({vectors * rows, kTileChannels}, b.getI32Type());
  for (auto alloca : entry.getOps<memref::AllocaOp>())
    if (alloca.getType() == type && alloca->hasAttr(kAmxSumsAttr))
      return alloca;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&entry);
  auto alloca = memref::AllocaOp::create(b, scope->getLoc(), type);
  alloca->setAttr(kAmxSumsAttr, b.getUnitAttr());
  return alloca;
}

/// The bytes of the padded input that rows [begin, end) of the kernel read
/// (PartPaddedInput), with the tile of a partial last tile that starts up
/// to a block earlier.
static std::pair<int64_t, int64_t> getReadBytes(const AmxRows &rows,
                                                int64_t begin, int64_t end) {
  int64_t first = std::max<int64_t>(0, begin - rows.getBlockRows());
  return {rows.getOffset(first) - getOverhang(rows.g),
          rows.getOffset(end - 1) + getReadExtent(rows.g)};
}

void emitAmxContractionKernel(OpBuilder &b, qnn::IntRescaleOp rescale,
                              const Layer &original, const KernelTarget &target,
                              KernelTile tile, bool parallel) {
  assert(target.getLanes() == kTileChannels &&
         target.getGroupSize() == kGroupSize &&
         target.getRowsPerVector() == 1 && target.getWeightBitWidth() == 8 &&
         "AMX's right-hand tiles are vpdpbusd's packed weights");
  Location loc = rescale.getLoc();
  MLIRContext *ctx = b.getContext();
  const Layer layer = interleavesKernelRows(original.geometry)
                          ? interleaveKernelRows(b, loc, original)
                          : original;
  const Geometry &g = layer.geometry;
  AmxRows rows(g);
  int64_t blockRows = rows.getBlockRows();
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  int64_t vectors = llvm::divideCeil(g.channels, kTileChannels);
  int64_t stepsPerRun = llvm::divideCeil(g.getRunLength(), kTileBytes);
  int64_t groupsPerRun = stepsPerRun * kTileBytes / kGroupSize;
  int64_t overhang = getOverhang(g);
  int64_t overreading = getFirstOverreadingRow(rows);

  // The buffer that the tiles read and the offset in the input of its
  // first byte (null: the input itself): a part's padded rows if the layer
  // reads a padded copy of its own, else the input.
  Value tileInput, tileBase;
  std::optional<PartPaddedInput> partPadded;
  qnn::IntPadOp pad = getImagePad(layer.input);
  // Inputs of fewer than 64 channels (the 3-channel first layers, whose
  // window's taps are to be packed into one reduction step instead) keep
  // the padded copy of the whole input at stride 2.
  if (pad && (rows.perInputPixel || g.depth >= kTileBytes)) {
    partPadded.emplace(b, loc, pad, kTileBytes,
                       llvm::alignTo(getOverhang(g), kTileBytes));
  } else {
    Value input = collapse(b, loc, castToSignless(b, loc, layer.input), 1);
    tileInput = getReadOnlyBuffer(
        b, loc, input,
        MemRefType::get(
            cast<RankedTensorType>(input.getType()).getShape(), i8,
            StridedLayoutAttr::get(ctx, ShapedType::kDynamic, {1})));
  }
  // The packed weights of the forward reads, then, if a run is not whole
  // steps, those of the backward reads: [variants, vectors, groups, 64].
  SmallVector<int64_t> packedValues =
      packWeightValues(layer, target, vectors, groupsPerRun, /*lead=*/0);
  if (overhang != 0)
    llvm::append_range(packedValues,
                       packWeightValues(layer, target, vectors, groupsPerRun,
                                        /*lead=*/overhang));
  SmallVector<int64_t> packedShape = {overhang != 0 ? 2 : 1, vectors,
                                      g.getRuns() * groupsPerRun, kTileBytes};
  Value packed = createConstantTensor(b, loc, packedShape, i8, packedValues);
  Value packedBuffer =
      getReadOnlyBuffer(b, loc, packed, MemRefType::get(packedShape, i8));
  Value bias = createBiasLanes(b, loc, layer, vectors, kTileChannels,
                               /*rowsPerVector=*/1);
  Value biasBuffer = getReadOnlyBuffer(
      b, loc, bias, MemRefType::get({vectors, kTileChannels}, i32));
  LaneParams params(b, loc, rescale, vectors, kTileChannels,
                    /*rowsPerVector=*/1);
  Epilogue epilogue(rescale);
  epilogue.accumulatorRange = getAccumulatorRange(layer);
  Value out = createKernelOutput(b, loc, g.getRows(), g.channels);
  // A tile stores at most tile.rows rows per column (getTileRows).
  int64_t sumsRows = tile.rows;
  Value sumsBuffer = getSumsBuffer(b, sumsRows, tile.vectors);

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
    Value firstOffset = rows.getOffset(tb, tloc, m0);
    // Backward (variant 1) when the tile's last row would read past the
    // input's end.
    Value variant = index(tb, tloc, 0);
    if (overreading < rows.getCount()) {
      Value lastRow = arith::AddIOp::create(
          tb, tloc, m0, index(tb, tloc, blocks * blockRows - 1));
      Value backward =
          arith::CmpIOp::create(tb, tloc, arith::CmpIPredicate::uge, lastRow,
                                index(tb, tloc, overreading));
      variant = arith::SelectOp::create(tb, tloc, backward, index(tb, tloc, 1),
                                        variant);
      firstOffset = arith::SubIOp::create(
          tb, tloc, firstOffset,
          arith::MulIOp::create(tb, tloc, variant, index(tb, tloc, overhang)));
    }
    if (tileBase)
      firstOffset = arith::SubIOp::create(tb, tloc, firstOffset, tileBase);
    Value rowStride = index(tb, tloc, rows.getRowStride());
    SmallVector<Value> blockOffsets, columns;
    for (int64_t i = 0; i < blocks; ++i)
      blockOffsets.push_back(arith::AddIOp::create(
          tb, tloc, firstOffset,
          index(tb, tloc, i * blockRows * rows.getRowStride())));
    for (int64_t j = 0; j < tileVectors; ++j)
      columns.push_back(
          arith::AddIOp::create(tb, tloc, v0, index(tb, tloc, j)));
    auto accType = amx::TileType::get({blockRows, kTileChannels}, i32);
    auto inputType = amx::TileType::get({blockRows, kTileBytes}, i8);
    auto weightType =
        amx::TileType::get({kTileBytes / kGroupSize, kTileBytes}, i8);
    // The accumulators start from the bias, every row of a column's tile
    // the same 16 channels (a tile load of row stride 0), which saves the
    // epilogue an add per 16 sums.
    Value c0 = index(tb, tloc, 0);
    SmallVector<Value> init;
    for (int64_t i = 0; i < blocks; ++i)
      for (Value column : columns)
        init.push_back(amx::TileLoadOp::create(tb, tloc, accType, biasBuffer,
                                               ValueRange{column, c0}, c0));

    // One reduction step: 64 bytes of every row from `offset` past its first
    // byte, against the 16 weight groups from `group`.
    auto step = [&](OpBuilder &sb, Location sloc, ValueRange accs,
                    Value offset, Value group) {
      Value zero = index(sb, sloc, 0);
      SmallVector<Value> lhs, rhs;
      for (int64_t i = 0; i < blocks; ++i)
        lhs.push_back(
            amx::TileLoadOp::create(sb, sloc, inputType, tileInput,
                                    ValueRange{arith::AddIOp::create(
                                        sb, sloc, blockOffsets[i], offset)},
                                    rowStride));
      for (Value column : columns)
        rhs.push_back(
            amx::TileLoadOp::create(sb, sloc, weightType, packedBuffer,
                                    ValueRange{variant, column, group, zero}));
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

    // Every accumulator tile to the stack buffer, then a loop over the rows
    // that requantizes each row's columns: an epilogue per row in the IR
    // would be 16 per block and column, most of the code of a network (and
    // of its compile time); a loop per column would compute each row's
    // place in the output once per column.
    for (int64_t j = 0; j < tileVectors; ++j)
      for (int64_t i = 0; i < blocks; ++i)
        amx::TileStoreOp::create(
            tb, tloc, sumsBuffer,
            ValueRange{index(tb, tloc, j * sumsRows + i * blockRows), c0},
            runs.getResult(i * tileVectors + j));
    SmallVector<Value> multipliers, shifts, firstChannels;
    SmallVector<int64_t> counts;
    for (int64_t j = 0; j < tileVectors; ++j) {
      auto [multiplier, shift] =
          params.get(tb, tloc, columns[j], kTileChannels);
      multipliers.push_back(multiplier);
      shifts.push_back(shift);
      counts.push_back(getColumnChannels(g, vectors, kTileChannels, j,
                                         tileVectors, holdsLast));
      firstChannels.push_back(arith::MulIOp::create(
          tb, tloc, columns[j], index(tb, tloc, kTileChannels)));
    }
    auto rowType = VectorType::get({kTileChannels}, i32);
    auto loop = scf::ForOp::create(
        tb, tloc, c0, index(tb, tloc, blocks * blockRows), index(tb, tloc, 1),
        ValueRange{tileOut},
        [&](OpBuilder &lb, Location lloc, Value r, ValueRange args) {
          Value m = arith::AddIOp::create(lb, lloc, m0, r);
          auto [outRow, isPixel] = rows.getOutputRow(lb, lloc, m);
          Value result = args.front();
          auto requantize = [&](int64_t j) {
            Value sumsRow = arith::AddIOp::create(
                lb, lloc, r, index(lb, lloc, j * sumsRows));
            Value sums = vector::LoadOp::create(lb, lloc, rowType, sumsBuffer,
                                                ValueRange{sumsRow, c0});
            return epilogue.scale(lb, lloc, sums, multipliers[j],
                                       shifts[j]);
          };
          for (int64_t j = 0; j < tileVectors; ++j) {
            // Two whole columns of a row are 32 adjacent output bytes,
            // narrowed together: x86 packs both with two instructions and
            // a permutation, where each column alone takes a clamp and
            // vpmovusdb's two shuffles.
            if (!isPixel && j + 1 < tileVectors && counts[j] == kTileChannels &&
                counts[j + 1] == kTileChannels) {
              Value first = requantize(j);
              Value second = requantize(j + 1);
              Value pair = vector::ShuffleOp::create(
                  lb, lloc, first, second,
                  llvm::to_vector(llvm::seq<int64_t>(0, 2 * kTileChannels)));
              result = store(lb, lloc, result, epilogue.narrow(lb, lloc, pair),
                             0, 2 * kTileChannels, outRow, firstChannels[j]);
              ++j;
              continue;
            }
            Value narrowed = epilogue.narrow(lb, lloc, requantize(j));
            int64_t count = counts[j];
            if (!isPixel) {
              result = store(lb, lloc, result, narrowed, 0, count, outRow,
                             firstChannels[j]);
              continue;
            }
            // A row that is no output pixel writes no lane (at row 0, which
            // exists), without a branch on tensors.
            Value lanes = arith::SelectOp::create(lb, lloc, isPixel,
                                                  index(lb, lloc, count), c0);
            Value mask = vector::CreateMaskOp::create(
                lb, lloc, VectorType::get({count}, lb.getI1Type()),
                ValueRange{lanes});
            result =
                vector::TransferWriteOp::create(
                    lb, lloc, slice(lb, lloc, narrowed, 0, count), result,
                    ValueRange{
                        arith::SelectOp::create(lb, lloc, isPixel, outRow, c0),
                        firstChannels[j]},
                    AffineMapAttr::get(
                        AffineMap::getMinorIdentityMap(2, 1, lb.getContext())),
                    mask, lb.getBoolArrayAttr({true}))
                    .getResult();
          }
          scf::YieldOp::create(lb, lloc, result);
        });
    return loop.getResult(0);
  };

  // A part's padded rows, which its tiles then read.
  auto copyPartRows = [&](OpBuilder &pb, Location ploc, Value part,
                          ArrayRef<int64_t> starts) {
    std::tie(tileInput, tileBase) = partPadded->emit(
        pb, ploc, part, starts, [&](int64_t begin, int64_t end) {
          return getReadBytes(rows, begin, end);
        });
  };
  tile.rows = rows.getTileRows(tile.rows);
  // On one thread, one copy of all the rows: parts would copy the rows
  // they share (all of them, where threads take halves of the panels) once
  // each.
  if (partPadded && !parallel)
    copyPartRows(b, loc, index(b, loc, 0), {0, rows.getCount()});
  out = emitTileLoops(
      b, loc, out, rows.getImageRows(), rows.getRowLength(), vectors, tile,
      /*rowsPerVector=*/1, emitTile,
      g.getRows() * g.channels * g.getTaps() * g.depth,
      g.channels % kTileChannels != 0,
      partPadded && parallel ? PartPrologue(copyPartRows) : nullptr);
  replaceLayer(b, rescale, layer.contraction, out);
  // The pad that the padded copy of the layer's own, or its interleaved
  // copy, read in place of it.
  Operation *readPad = partPadded ? pad.getOperation() : layer.pad;
  if (readPad && readPad->use_empty())
    readPad->erase();
}

} // namespace qopt::codegen::detail
