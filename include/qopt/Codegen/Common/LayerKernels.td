//===- LayerKernels.td - Layer-kernel pass statistics ------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_LAYERKERNELS_TD
#define QOPT_CODEGEN_COMMON_LAYERKERNELS_TD

include "mlir/Pass/PassBase.td"

// The statistics of every --qopt-<arch>-lower-layers pass, filled from
// qopt::codegen::lowerLayersToKernels' LayerKernelCounts.
defvar LayerKernelStatistics = [
  Statistic<"numKernels", "layers-to-kernels",
            "Layers lowered to the target's register-tiled kernels">,
  Statistic<"numGeneric", "layers-to-generic-loops",
            "Layers left to generic loops (each gets a remark saying why)">,
];

#endif // QOPT_CODEGEN_COMMON_LAYERKERNELS_TD
