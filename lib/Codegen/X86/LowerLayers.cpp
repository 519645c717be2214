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
    // With AMX, the tile options are the AMX kernels' and the contractions
    // AMX leaves take vpdpbusd's default tile.
    codegen::KernelTile tile = x86::getDefaultTile(isa);
    std::optional<codegen::KernelTile> amxTile;
    if (isa == x86::X86Isa::Amx)
      amxTile = x86::getDefaultAmxTile();
    codegen::KernelTile &tuned = amxTile ? *amxTile : tile;
    if (tileRows != 0)
      tuned.rows = tileRows;
    if (tileVectors != 0)
      tuned.vectors = tileVectors;
    codegen::KernelTile depthwiseTile = x86::getDefaultDepthwiseTile(isa);
    if (depthwiseTileRows != 0)
      depthwiseTile.rows = depthwiseTileRows;
    if (depthwiseTileVectors != 0)
      depthwiseTile.vectors = depthwiseTileVectors;
    FailureOr<codegen::LayerKernelCounts> counts =
        codegen::lowerLayersToKernels(getOperation(),
                                      *x86::createKernelTarget(isa), tile,
                                      depthwiseTile, amxTile, parallel);
    if (failed(counts))
      return signalPassFailure();
    numKernels += counts->kernels;
    numGeneric += counts->generic;
  }
};

} // namespace
