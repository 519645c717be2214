//===- KernelTargets.cpp - The x86 dot-product instructions ---------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The kernels are generated with the target-independent grouped dot
// product; SelectDotProducts.cpp turns it into the instruction after
// bufferization.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace qopt;
using namespace qopt::x86;

/// The group of one row as an i32 (its bytes, or 16-bit halves, in order),
/// repeated in `lanes` lanes and viewed as `operandType`.
static Value broadcastAsI32(OpBuilder &b, Location loc, Value group,
                            int64_t lanes, VectorType operandType) {
  Value word = vector::BitCastOp::create(
      b, loc, VectorType::get({1}, b.getI32Type()), group);
  Value scalar = vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0});
  Value repeated = vector::BroadcastOp::create(
      b, loc, VectorType::get({lanes}, b.getI32Type()), scalar);
  return vector::BitCastOp::create(b, loc, operandType, repeated);
}

namespace {

/// vpdpbusd zmm: lane l += sum_{e < 4} u8(input[4l + e]) * s8(weights[4l + e]).
/// With AMX, the kernels it leaves to vpdpbusd run in functions that also
/// hold tile instructions.
class Avx512VnniTarget : public codegen::KernelTarget {
public:
  explicit Avx512VnniTarget(X86Isa isa) : isa(isa) {}

  int64_t getLanes() const override { return 16; }
  int64_t getGroupSize() const override { return 4; }
  bool supportsInput(bool isUnsigned) const override { return isUnsigned; }
  bool hasDepthwiseDotProduct() const override { return true; }
  bool interleavesByOneShuffle() const override { return true; }
  bool interleavesKernelRows() const override {
    return isa != X86Isa::Avx512Vnni;
  }
  int64_t getNarrowedVectors() const override { return 4; }
  // AVX-512 IFMA (vpmadd52luq), which Cascade Lake lacks.
  bool offsetsAccumulators() const override {
    return isa != X86Isa::Avx512Vnni;
  }

  Value buildInputOperand(OpBuilder &b, Location loc, ValueRange groups,
                          bool) const override {
    return broadcastAsI32(b, loc, groups.front(), 16,
                          VectorType::get({64}, b.getI8Type()));
  }

  Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value input,
                           Value weights, bool inputUnsigned) const override {
    return codegen::buildGroupedDotProduct(b, loc, acc, input, inputUnsigned,
                                           weights);
  }

  // AVX-512 VBMI's two-source byte permutation (vpermt2b) interleaves the
  // depthwise input columns and the kernel rows of the first layers.
  StringRef getTargetFeatures() const override {
    switch (isa) {
    case X86Isa::Avx512Vnni:
      return "+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx512vnni";
    case X86Isa::Avx512Ifma:
      return "+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx512vnni,"
             "+avx512ifma,+avx512vbmi";
    case X86Isa::Amx:
      return "+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx512vnni,"
             "+avx512ifma,+avx512vbmi,+amx-tile,+amx-int8";
    case X86Isa::Avx2:
      break;
    }
    llvm_unreachable("not an AVX-512 ISA");
  }

  // Zen 5 issues two vpdpbusd zmm per cycle (the bench's peak), of latency
  // 4 (LLVM's model): 8 accumulators keep it busy. Measured there (one
  // thread, the conv layers of MobileNetV2 and ResNet-18, tiles of 1 to 4
  // vectors): the tile this model picks is the fastest or within 2% of it;
  // 6 x 4 is up to 1.28x slower (7-pixel rows: a tile of 6 and one of 1;
  // its 24 accumulators spill in the epilogue), 7 x 3 up to 1.08x and
  // 7 x 4 up to 1.17x.
  std::optional<codegen::TileCostModel> getTileCostModel() const override {
    return codegen::TileCostModel{/*maxVectors=*/2, /*minAccumulators=*/8,
                                  /*maxAccumulators=*/16};
  }

private:
  X86Isa isa;
};

/// vpmaddwd ymm on 16-bit operands: lane l += input[2l] * weights[2l] +
/// input[2l + 1] * weights[2l + 1]. The input bytes are widened with their
/// signedness, so both u8 and s8 inputs take it; no pair of 8-bit products
/// overflows the i32 lane.
class Avx2Target : public codegen::KernelTarget {
public:
  int64_t getLanes() const override { return 8; }
  int64_t getGroupSize() const override { return 2; }
  unsigned getWeightBitWidth() const override { return 16; }
  bool supportsInput(bool) const override { return true; }

  Value buildInputOperand(OpBuilder &b, Location loc, ValueRange groups,
                          bool isUnsigned) const override {
    auto wideType = VectorType::get({2}, b.getI16Type());
    Value group = groups.front();
    Value wide =
        isUnsigned
            ? arith::ExtUIOp::create(b, loc, wideType, group).getResult()
            : arith::ExtSIOp::create(b, loc, wideType, group).getResult();
    return broadcastAsI32(b, loc, wide, 8,
                          VectorType::get({16}, b.getI16Type()));
  }

  Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value input,
                           Value weights, bool) const override {
    // The input was widened with its signedness: as i16 it is signed.
    return codegen::buildGroupedDotProduct(b, loc, acc, input,
                                           /*inputUnsigned=*/false, weights);
  }

  StringRef getTargetFeatures() const override { return "+avx2"; }
};

} // namespace

std::unique_ptr<codegen::KernelTarget> x86::createKernelTarget(X86Isa isa) {
  switch (isa) {
  case X86Isa::Avx512Vnni:
  case X86Isa::Avx512Ifma:
  case X86Isa::Amx:
    return std::make_unique<Avx512VnniTarget>(isa);
  case X86Isa::Avx2:
    return std::make_unique<Avx2Target>();
  }
  llvm_unreachable("unknown x86 ISA");
}

codegen::KernelTile x86::getDefaultTile(X86Isa isa) {
  switch (isa) {
  case X86Isa::Avx512Vnni:
  case X86Isa::Avx512Ifma:
  case X86Isa::Amx:
    // Chosen per layer (Avx512VnniTarget::getTileCostModel).
    return {0, 0};
  case X86Isa::Avx2:
    // 6 x 2 accumulators, 2 weight vectors, the input and the product fit
    // the 16 ymm registers.
    return {6, 2};
  }
  llvm_unreachable("unknown x86 ISA");
}

codegen::KernelTile x86::getDefaultDepthwiseTile(X86Isa isa) {
  switch (isa) {
  case X86Isa::Avx512Vnni:
  case X86Isa::Avx512Ifma:
  case X86Isa::Amx:
    // 6 x 2 accumulators leave registers for the per-channel requantization
    // constants of the epilogue and the interleaved input columns; measured
    // (56x56x144, one thread) 61 GOP/s against 52 with 6 x 4.
    return {6, 2};
  case X86Isa::Avx2:
    return {6, 2};
  }
  llvm_unreachable("unknown x86 ISA");
}

codegen::KernelTile x86::getDefaultAmxTile() {
  // 2 x 2 accumulator tiles, 2 input and 2 weight tiles: the 8 tile
  // registers, 4 tdpbusd per 4 tile loads.
  return {32, 2};
}
