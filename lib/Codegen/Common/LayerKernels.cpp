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
// tile reads them), image rows and tiles of `tile.rows` pixels of one row,
// the runs (kernel rows, whose KW x C steps are adjacent in the input), the
// groups of a run. The accumulators are the iteration arguments of the
// reduction loops, so LLVM keeps them in registers, and the epilogue
// requantizes them as soon as the reduction ends. Partial tiles (last rows,
// last panel, last partial vector of channels) are static copies of the
// tile with fewer rows or vectors, so that every vector op has a static
// shape; a partial vector computes all its lanes (the packed weights are
// zero there) and stores only the valid ones.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"

#include "KernelBuilders.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"

using namespace mlir;
using namespace qopt::codegen;
using namespace qopt::codegen::detail;

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
      b, loc, VectorType::get({lanes, size / lanes}, b.getI32Type()), products);
  return vector::MultiDimReductionOp::create(b, loc, grouped, acc,
                                             ArrayRef<bool>{false, true},
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
  return GroupedDotProduct{reduction.getAcc(), x->getOperand(0),
                           w.getIn(),          isa<arith::ExtUIOp>(x),
                           type.getDimSize(0), type.getDimSize(1)};
}

FailureOr<LayerKernelCounts> qopt::codegen::lowerLayersToKernels(
    func::FuncOp func, const KernelTarget &target, const KernelTile &tile,
    const KernelTile &depthwiseTile, std::optional<KernelTile> amxTile,
    bool parallel) {
  // Sizes of 0 are chosen per layer, by the target's model.
  int64_t least = target.getTileCostModel() ? 0 : 1;
  if (tile.rows < least || tile.vectors < least ||
      tile.rows % target.getRowsPerVector() != 0)
    return func.emitError("the kernel tile must have at least one vector and "
                          "a positive multiple of ")
           << target.getRowsPerVector() << " rows";
  if (amxTile && (amxTile->rows < 16 || amxTile->rows % 16 != 0 ||
                  amxTile->vectors < 1))
    return func.emitError("the AMX kernel tile must have a positive multiple "
                          "of 16 rows and at least one vector");
  if (depthwiseTile.rows < 1 || depthwiseTile.vectors < 1)
    return func.emitError("the depthwise kernel tile must have at least one "
                          "pixel and one vector");
  // A layer is matched right before it is rewritten, in program order: its
  // input may be the output of a layer rewritten just before (a convolution
  // feeding a convolution), which matching all layers up front would hold
  // as a stale value. Rewriting erases only the layer and its rescale, so
  // the layers collected here stay valid.
  SmallVector<Operation *> layerOps;
  func.walk([&](Operation *op) {
    if (isa<qnn::IntFullyConnectedOp, qnn::IntConv2DOp,
            qnn::IntDepthwiseConv2DOp>(op))
      layerOps.push_back(op);
  });
  LayerKernelCounts counts;
  OpBuilder b(func.getContext());
  for (Operation *op : layerOps) {
    StringRef whyNot =
        "its result is not requantized by a single qnn.int.rescale";
    auto rescale = op->hasOneUse()
                       ? dyn_cast<qnn::IntRescaleOp>(*op->user_begin())
                       : nullptr;
    std::optional<Layer> layer;
    if (rescale && isa<qnn::IntDepthwiseConv2DOp>(op))
      layer = matchDepthwise(rescale, whyNot);
    else if (rescale)
      layer = matchContraction(rescale, target, whyNot);
    if (!layer) {
      ++counts.generic;
      op->emitRemark("left to generic loops: ") << whyNot;
      continue;
    }
    b.setInsertionPoint(rescale);
    if (isa<qnn::IntDepthwiseConv2DOp>(op)) {
      emitDepthwiseKernel(b, rescale, *layer, target.getDepthwiseTarget(),
                          depthwiseTile);
      ++counts.kernels;
      continue;
    }
    // With AMX, a contraction goes to the kernel expected to be faster; a
    // remark says why one that AMX would suit does not take it.
    StringRef whyNotAmx;
    if (amxTile && prefersAmxContraction(*layer) &&
        coversAmxContraction(*layer, *amxTile, whyNotAmx))
      emitAmxContractionKernel(b, rescale, *layer, target, *amxTile, parallel);
    else {
      if (!whyNotAmx.empty())
        op->emitRemark("not on AMX tiles: ") << whyNotAmx;
      emitContractionKernel(
          b, rescale, *layer, target,
          chooseContractionTile(rescale.getLoc(), *layer, target, tile),
          parallel);
    }
    ++counts.kernels;
  }
  if (counts.kernels == 0)
    return counts;
  func->setAttr("target_features",
                LLVM::TargetFeaturesAttr::get(func.getContext(),
                                              target.getTargetFeatures()));
  return counts;
}
