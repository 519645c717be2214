//===- LowerLayers.cpp - The qopt-x86-lower-layers pass -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

namespace qopt::x86 {
#define GEN_PASS_DEF_X86LOWERLAYERSPASS
#include "qopt/Codegen/X86/Passes.h.inc"
} // namespace qopt::x86

using namespace mlir;
using namespace qopt;

namespace {

struct X86LowerLayersPass
    : public x86::impl::X86LowerLayersPassBase<X86LowerLayersPass> {
  using Base::Base;

  void runOnOperation() override {
    codegen::KernelTile tile = x86::getDefaultTile(isa);
    if (tileRows != 0)
      tile.rows = tileRows;
    if (tileVectors != 0)
      tile.vectors = tileVectors;
    codegen::KernelTile depthwiseTile = x86::getDefaultDepthwiseTile(isa);
    if (depthwiseTileRows != 0)
      depthwiseTile.rows = depthwiseTileRows;
    if (depthwiseTileVectors != 0)
      depthwiseTile.vectors = depthwiseTileVectors;
    FailureOr<codegen::LayerKernelCounts> counts =
        codegen::lowerLayersToKernels(
            getOperation(), *x86::createKernelTarget(isa), tile, depthwiseTile);
    if (failed(counts))
      return signalPassFailure();
    numKernels += counts->kernels;
    numGeneric += counts->generic;
  }
};

} // namespace
