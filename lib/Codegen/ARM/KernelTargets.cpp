//===- KernelTargets.cpp - AArch64 dot-product instructions ---------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The three AArch64 KernelTargets: what one step of the layer kernels'
// reduction is on each ISA level, and how its operands are laid out.
//
//  * dotprod, sdot Vd.4S, Vn.16B, Vm.16B: lane i += sum_{j<4} n[4i+j] * m[4i+j]
//    on signed bytes. The weight vector holds 4 steps of 4 channels; the
//    input operand repeats one row's 4 input bytes in every lane, a 32-bit
//    broadcast of a lane of a 16-byte load (4 groups per load) that the back
//    end folds into the by-lane form sdot Vd.4S, Vn.16B, Vm.4B[i].
//  * i8mm, smmla / usmmla Vd.4S, Vn.16B, Vm.16B: the 2 x 2 tile
//    d[2r + c] += sum_{j<8} n[8r + j] * m[8c + j], n the input (signed for
//    smmla, unsigned for usmmla), m signed. Lane 2r + c is row r, channel c,
//    the generator's layout with 2 rows per vector; the input operand is the
//    two rows' 8-byte groups one after the other. Depthwise layers, one
//    channel per lane, take dotprod's sdot instead (signed input only: the
//    arm_neon dialect has no usdot).
//  * neon: no byte dot product. The weights are packed as i16 and the input
//    byte widened to i16 (sign- or zero-extended), so that one widening
//    multiply-accumulate adds a 16 x 16 -> 32-bit product to each lane:
//    smlal Vd.4S, Vn.4H, Vm.H[i], G = 1 step of 4 channels. (A mul Vt.8H of
//    two steps followed by sadalp would do 8 products in 2 instructions,
//    the same rate; written with plain arith ops, LLVM pushes the pairwise
//    shuffles into the operands and ends with mul + saddw and spills, and
//    the saddlp intrinsic would be an llvm.call_intrinsic, whose unknown
//    memory effects buffer deallocation rejects.)
//
// The instructions are the arm_neon dialect's intrinsic ops
// (arm_neon.intr.sdot, .smmla, .usmmla), which translate to the LLVM
// intrinsics llvm.aarch64.neon.* and, unlike llvm.call_intrinsic, declare
// that they have no memory effects: the kernels are built on tensors, before
// bufferization and buffer deallocation, which reject ops whose effects are
// unknown.
//
// None of the instructions saturates: each i32 lane wraps as the scalar
// loops' sums do, and the reordering of an integer sum changes no bit.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/ARM/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using qopt::codegen::KernelTarget;

namespace {

/// `value` (a 1-D vector of `bits` bits) repeated in every 32-bit lane of a
/// 128-bit vector of `elementType`: bitcast to one i32, broadcast, bitcast.
Value broadcastWord(OpBuilder &b, Location loc, Value value, Type elementType) {
  Type i32 = b.getI32Type();
  Value word =
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), value);
  Value lanes =
      vector::BroadcastOp::create(b, loc, VectorType::get({4}, i32), word);
  int64_t count = 128 / elementType.getIntOrFloatBitWidth();
  return vector::BitCastOp::create(
      b, loc, VectorType::get({count}, elementType), lanes);
}

class NeonTarget final : public KernelTarget {
public:
  int64_t getLanes() const override { return 4; }
  int64_t getGroupSize() const override { return 1; }
  unsigned getWeightBitWidth() const override { return 16; }
  bool supportsInput(bool) const override { return true; }

  Value buildInputOperand(OpBuilder &b, Location loc, ValueRange groups,
                          bool isUnsigned) const override {
    assert(groups.size() == 1 && "one row per vector");
    // The row's byte, widened to i16 (a u8 stays non-negative) and repeated
    // in the 4 lanes.
    auto oneType = VectorType::get({1}, b.getI16Type());
    Value one =
        isUnsigned
            ? arith::ExtUIOp::create(b, loc, oneType, groups[0]).getResult()
            : arith::ExtSIOp::create(b, loc, oneType, groups[0]).getResult();
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({4}, b.getI16Type()), one);
  }

  Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value input,
                           Value weights, bool) const override {
    // acc + sext(input) * sext(weights), 16 x 16 -> 32 bits: smlal Vd.4S,
    // Vn.4H, Vm.H[i] once the input's broadcast is a lane of a register.
    auto wideType = VectorType::get({4}, b.getI32Type());
    Value x = arith::ExtSIOp::create(b, loc, wideType, input);
    Value w = arith::ExtSIOp::create(b, loc, wideType, weights);
    Value products = arith::MulIOp::create(b, loc, x, w);
    return arith::AddIOp::create(b, loc, acc, products);
  }

  StringRef getTargetFeatures() const override {
    return qopt::arm::getTargetFeatures(qopt::arm::ArmIsa::Neon);
  }
};

class DotprodTarget final : public KernelTarget {
public:
  int64_t getLanes() const override { return 4; }
  int64_t getGroupSize() const override { return 4; }
  // One 16-byte load per row feeds 4 sdot by lane (sdot v.4s, v.16b,
  // v.4b[i]) instead of a 4-byte load and a dup per group.
  int64_t getGroupsPerLoad() const override { return 4; }
  // sdot only: ui8 activations are moved to i8 before, by
  // --qopt-expand-zero-points=signed-input (usdot would need i8mm).
  bool supportsInput(bool isUnsigned) const override { return !isUnsigned; }
  // A depthwise step is one sdot (vector form) over 4 taps of 4 channels,
  // instead of 4 smlal on widened bytes.
  bool hasDepthwiseDotProduct() const override { return true; }

  Value buildInputOperand(OpBuilder &b, Location loc, ValueRange groups,
                          bool isUnsigned) const override {
    assert(groups.size() == 1 && !isUnsigned && "one signed row per vector");
    return broadcastWord(b, loc, groups[0], b.getI8Type());
  }

  Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value input,
                           Value weights, bool) const override {
    // The broadcast input second: LLVM selects the by-lane form of sdot
    // only for its second multiplicand (the product is symmetric).
    return arm_neon::SdotOp::create(b, loc, acc.getType(), acc, weights, input);
  }

  StringRef getTargetFeatures() const override {
    return qopt::arm::getTargetFeatures(qopt::arm::ArmIsa::Dotprod);
  }
};

/// smmla for signed input, usmmla for unsigned.
class I8mmTarget final : public KernelTarget {
public:
  int64_t getLanes() const override { return 4; }
  int64_t getRowsPerVector() const override { return 2; }
  int64_t getGroupSize() const override { return 8; }
  bool supportsInput(bool) const override { return true; }

  Value buildInputOperand(OpBuilder &b, Location loc, ValueRange groups,
                          bool isUnsigned) const override {
    assert(groups.size() == 2 && "two rows per vector");
    SmallVector<int64_t, 16> concat(16);
    for (int64_t i = 0; i < 16; ++i)
      concat[i] = i;
    return vector::ShuffleOp::create(b, loc, groups[0], groups[1], concat);
  }

  Value multiplyAccumulate(OpBuilder &b, Location loc, Value acc, Value input,
                           Value weights, bool inputUnsigned) const override {
    if (inputUnsigned)
      return arm_neon::UsmmlaOp::create(b, loc, acc.getType(), acc, input,
                                        weights);
    return arm_neon::SmmlaOp::create(b, loc, acc.getType(), acc, input,
                                     weights);
  }

  // i8mm implies dotprod: depthwise layers of signed input take sdot.
  const KernelTarget &getDepthwiseTarget() const override {
    return depthwise;
  }

  StringRef getTargetFeatures() const override {
    return qopt::arm::getTargetFeatures(qopt::arm::ArmIsa::I8mm);
  }

private:
  DotprodTarget depthwise;
};

} // namespace

std::unique_ptr<KernelTarget>
qopt::arm::createKernelTarget(ArmIsa isa) {
  switch (isa) {
  case ArmIsa::Neon:
    return std::make_unique<NeonTarget>();
  case ArmIsa::Dotprod:
    return std::make_unique<DotprodTarget>();
  case ArmIsa::I8mm:
    return std::make_unique<I8mmTarget>();
  }
  llvm_unreachable("unknown ArmIsa");
}

qopt::codegen::KernelTile qopt::arm::getDefaultTile(ArmIsa isa) {
  switch (isa) {
  case ArmIsa::Neon:
  case ArmIsa::Dotprod:
    return {/*rows=*/4, /*vectors=*/4};
  case ArmIsa::I8mm:
    return {/*rows=*/4, /*vectors=*/8};
  }
  llvm_unreachable("unknown ArmIsa");
}

StringRef qopt::arm::getTargetFeatures(ArmIsa isa) {
  switch (isa) {
  case ArmIsa::Neon:
    return "+neon";
  case ArmIsa::Dotprod:
    return "+neon,+dotprod";
  case ArmIsa::I8mm:
    return "+neon,+dotprod,+i8mm";
  }
  llvm_unreachable("unknown ArmIsa");
}
