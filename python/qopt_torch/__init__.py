"""qopt_torch: PyTorch 1.13 quantized models as qopt MLIR.

    import qopt_torch
    text = qopt_torch.export(model, example_inputs, path=None, layout="nchw")

`model` is either prepared (eager prepare_qat / prepare with fused modules,
FX prepare_qat_fx / prepare_fx, observers calibrated or trained) or converted
(convert / convert_fx). A prepared model becomes the float level with every
observer's range as a qnn.range (weight observers' per-channel ranges on the
weights, reduce_range where the observer has it) and batch norms as
qnn.batch_norm; a converted model becomes the quantized level with PyTorch's
own scales, zero points, int8 weights and int32 biases. The module carries
qnn.scheme and qnn.numerics, so that qopt's tools with default options
reproduce PyTorch's parameters (and, with numerics="pytorch-qnnpack", its
qnnpack engine's arithmetic). See docs/pytorch.md.
"""

from .exporter import ExportError, export

__all__ = ["export", "ExportError"]
