//===- SelectDotProducts.cpp - Grouped dot products to x86 intrinsics -----===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "qopt/Codegen/Common/RewriteConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::x86 {
#define GEN_PASS_DEF_X86SELECTDOTPRODUCTSPASS
#include "qopt/Codegen/X86/Passes.h.inc"
} // namespace qopt::x86

using namespace mlir;
using namespace qopt;

namespace {

/// One grouped dot product shape and the intrinsic that computes it.
struct DotInstruction {
  int64_t lanes, groupSize;
  unsigned inputWidth;
  bool inputUnsigned;
  StringLiteral intrinsic;
  /// Whether the intrinsic returns the sum without the accumulator.
  bool addsAccumulator;
};

static constexpr DotInstruction kVpdpbusd = {
    16, 4, 8, /*inputUnsigned=*/true, "llvm.x86.avx512.vpdpbusd.512", false};
static constexpr DotInstruction kVpmaddwd = {
    8, 2, 16, /*inputUnsigned=*/false, "llvm.x86.avx2.pmadd.wd", true};

struct SelectDotProduct : public RewritePattern {
  SelectDotProduct(MLIRContext *ctx, DotInstruction instruction)
      : RewritePattern(vector::MultiDimReductionOp::getOperationName(), 1, ctx),
        instruction(instruction) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    std::optional<codegen::GroupedDotProduct> dot =
        codegen::matchGroupedDotProduct(op);
    if (!dot || dot->lanes != instruction.lanes ||
        dot->groupSize != instruction.groupSize ||
        dot->inputUnsigned != instruction.inputUnsigned ||
        getElementTypeOrSelf(dot->input.getType()).getIntOrFloatBitWidth() !=
            instruction.inputWidth ||
        dot->weights.getType() != dot->input.getType())
      return rewriter.notifyMatchFailure(op, "not the instruction's shape");
    Location loc = op->getLoc();
    Type type = dot->acc.getType();
    StringAttr name = rewriter.getStringAttr(instruction.intrinsic);
    if (instruction.addsAccumulator) {
      Value sums =
          LLVM::CallIntrinsicOp::create(rewriter, loc, type, name,
                                        ValueRange{dot->input, dot->weights})
              .getResult(0);
      rewriter.replaceOpWithNewOp<arith::AddIOp>(op, dot->acc, sums);
      return success();
    }
    rewriter.replaceOp(op, LLVM::CallIntrinsicOp::create(
                               rewriter, loc, type, name,
                               ValueRange{dot->acc, dot->input, dot->weights})
                               .getResult(0));
    return success();
  }

  DotInstruction instruction;
};

struct X86SelectDotProductsPass
    : public x86::impl::X86SelectDotProductsPassBase<X86SelectDotProductsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    x86::populateSelectDotProductPatterns(patterns, isa);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns),
                                  qopt::codegen::getStructuredRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace

void x86::populateSelectDotProductPatterns(RewritePatternSet &patterns,
                                           X86Isa isa) {
  patterns.add<SelectDotProduct>(
      patterns.getContext(), isa == X86Isa::Avx2 ? kVpmaddwd : kVpdpbusd);
}
