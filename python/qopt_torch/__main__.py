"""python3 -m qopt_torch MODEL.pt -o model.mlir --input-shape 1,3,224,224"""

import argparse
import sys

import torch

from .exporter import ExportError, export


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m qopt_torch",
        description="Export a torch.save'd quantized PyTorch module as qopt "
                    "MLIR.")
    parser.add_argument("model", help="a file written by torch.save(module)")
    parser.add_argument("-o", "--output", required=True,
                        help="the MLIR file to write")
    parser.add_argument("--input-shape", required=True,
                        help="the example input's shape, e.g. 1,3,224,224")
    parser.add_argument("--layout", choices=["nchw", "nhwc"], default="nchw")
    parser.add_argument("--numerics", default="pytorch-qnnpack",
                        help="the qnn.numerics the module states")
    args = parser.parse_args(argv)
    model = torch.load(args.model)
    shape = [int(d) for d in args.input_shape.split(",")]
    try:
        export(model, (torch.rand(shape),), path=args.output,
               layout=args.layout, numerics=args.numerics)
    except ExportError as error:
        print(f"qopt_torch: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
