//===- LowerLayers.cpp - Requantized layers to AArch64 kernels ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// --qopt-arm-lower-layers: the target-independent kernel generator of
// Codegen/Common with the KernelTarget of one AArch64 ISA level.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/ARM/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace qopt::arm {
#define GEN_PASS_DEF_ARMLOWERLAYERSPASS
#include "qopt/Codegen/ARM/Passes.h.inc"
} // namespace qopt::arm

using namespace mlir;

FailureOr<qopt::codegen::LayerKernelCounts>
qopt::arm::lowerLayers(func::FuncOp func, ArmIsa isa,
                       codegen::KernelTile tile) {
  codegen::KernelTile defaults = getDefaultTile(isa);
  if (tile.rows == 0)
    tile.rows = defaults.rows;
  if (tile.vectors == 0)
    tile.vectors = defaults.vectors;
  std::unique_ptr<codegen::KernelTarget> target = createKernelTarget(isa);
  if (tile.rows < 0 || tile.vectors < 0 ||
      tile.rows % target->getRowsPerVector() != 0)
    return func.emitError("tile of ")
           << tile.rows << " rows x " << tile.vectors
           << " vectors: sizes must be positive, rows a multiple of "
           << target->getRowsPerVector();
  return codegen::lowerLayersToKernels(func, *target, tile, tile);
}

namespace {

struct ARMLowerLayersPass
    : public qopt::arm::impl::ARMLowerLayersPassBase<ARMLowerLayersPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<qopt::codegen::LayerKernelCounts> counts =
        qopt::arm::lowerLayers(getOperation(), isa, {tileRows, tileVectors});
    if (failed(counts))
      return signalPassFailure();
    numKernels += counts->kernels;
    numGeneric += counts->generic;
  }
};

} // namespace
