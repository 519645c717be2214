#!/usr/bin/env python3
#===- npy.py - Write, print and compare .npy files in tests ---------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage:
#   npy.py write FILE DTYPE SHAPE VALUES
#       e.g. npy.py write a.npy '<f4' 2x3 1,2,3,4,5,6 (SHAPE '' is a scalar)
#   npy.py header FILE DTYPE SHAPE
#       writes the header of such a file and no data, for tests of files
#       whose data is missing, short or too long (append to it with echo)
#   npy.py print FILE
#       prints "DTYPE SHAPE VALUES" with VALUES nested as numpy prints them
#   npy.py compare ACTUAL EXPECTED [ACTUAL EXPECTED ...]
#       compares each pair bit for bit (dtype, shape and data), prints one
#       line per pair and "N of M identical"; exits 1 unless all are.
#   npy.py close TOLERANCE ACTUAL EXPECTED
#       compares the values of two files of one shape: prints the largest
#       |actual - expected| and "N of M within TOLERANCE"; exits 1 unless all
#       are (a quantized result against the float one it approximates).
#
# Standard library only (CI has no numpy): version 1.0 to 3.0 files,
# little-endian, C order, the dtypes qopt-run reads and writes.
#
#===-----------------------------------------------------------------------===#

import ast
import struct
import sys

MAGIC = b"\x93NUMPY"
# dtype -> struct format of one element.
FORMATS = {"<f2": "<e", "<f4": "<f", "<f8": "<d", "|i1": "<b", "|u1": "<B",
           "<i2": "<h", "<u2": "<H", "<i4": "<i", "<u4": "<I", "<i8": "<q"}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(MAGIC):
        sys.exit(f"{path}: not a .npy file")
    major = data[6]
    if major == 1:
        (length,), start = struct.unpack_from("<H", data, 8), 10
    else:
        (length,), start = struct.unpack_from("<I", data, 8), 12
    header = ast.literal_eval(data[start:start + length].decode("latin1"))
    if header["fortran_order"] or header["descr"] not in FORMATS:
        sys.exit(f"{path}: unsupported header {header}")
    return header["descr"], tuple(header["shape"]), data[start + length:]


def values(dtype, raw):
    fmt = FORMATS[dtype]
    return [v for (v,) in struct.iter_unpack(fmt, raw)]


def nest(flat, shape):
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0] if shape[0] else 0
    return [nest(flat[i * step:(i + 1) * step], shape[1:])
            for i in range(shape[0])]


def parse_shape(shape_text):
    return tuple(int(d) for d in shape_text.split("x") if d)


def encode_header(dtype, shape):
    """The magic, version 1.0 and the header of a file, padded as numpy does."""
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (
        dtype, shape)
    unpadded = len(MAGIC) + 4 + len(header) + 1
    header += " " * (-unpadded % 64) + "\n"
    return (MAGIC + b"\x01\x00" + struct.pack("<H", len(header)) +
            header.encode("latin1"))


def write(path, dtype, shape_text, values_text):
    shape = parse_shape(shape_text)
    fmt = FORMATS[dtype]
    parse = float if fmt in ("<e", "<f", "<d") else int
    flat = [parse(v) for v in values_text.split(",") if v.strip()]
    count = 1
    for d in shape:
        count *= d
    if len(flat) != count:
        sys.exit(f"{len(flat)} values for shape {shape}")
    with open(path, "wb") as f:
        f.write(encode_header(dtype, shape))
        f.write(b"".join(struct.pack(fmt, v) for v in flat))


def index_of(linear, shape):
    index = []
    for d in reversed(shape):
        index.append(linear % d)
        linear //= d
    return list(reversed(index))


def compare(actual_path, expected_path):
    """None if identical, else a description of the first difference."""
    a_dtype, a_shape, a_raw = read(actual_path)
    e_dtype, e_shape, e_raw = read(expected_path)
    if (a_dtype, a_shape) != (e_dtype, e_shape):
        return f"{a_dtype} {a_shape} but expected {e_dtype} {e_shape}"
    if a_raw == e_raw:
        return None
    a, e = values(a_dtype, a_raw), values(e_dtype, e_raw)
    diffs = [i for i in range(len(e))
             if struct.pack(FORMATS[a_dtype], a[i]) !=
             struct.pack(FORMATS[e_dtype], e[i])]
    first = diffs[0]
    return (f"{len(diffs)} of {len(e)} elements differ; first at "
            f"{index_of(first, e_shape)}: {a[first]} but expected {e[first]}")


def close(tolerance, actual_path, expected_path):
    a_dtype, a_shape, a_raw = read(actual_path)
    e_dtype, e_shape, e_raw = read(expected_path)
    if a_shape != e_shape:
        print(f"shape {a_shape} but expected {e_shape}")
        return 1
    a, e = values(a_dtype, a_raw), values(e_dtype, e_raw)
    differences = [abs(x - y) for x, y in zip(a, e)]
    within = sum(d <= float(tolerance) for d in differences)
    print(f"largest difference {max(differences, default=0):.6g}")
    print(f"{within} of {len(e)} within {tolerance}")
    return 0 if within == len(e) else 1


def main(argv):
    if len(argv) == 6 and argv[1] == "write":
        write(*argv[2:])
        return 0
    if len(argv) == 5 and argv[1] == "header":
        with open(argv[2], "wb") as f:
            f.write(encode_header(argv[3], parse_shape(argv[4])))
        return 0
    if len(argv) == 3 and argv[1] == "print":
        dtype, shape, raw = read(argv[2])
        print(dtype, shape, nest(values(dtype, raw), shape))
        return 0
    if len(argv) >= 4 and argv[1] == "compare" and len(argv) % 2 == 0:
        pairs = list(zip(argv[2::2], argv[3::2]))
        identical = 0
        for actual, expected in pairs:
            difference = compare(actual, expected)
            if difference is None:
                identical += 1
                print(f"{actual}: identical")
            else:
                print(f"{actual}: {difference}")
        print(f"{identical} of {len(pairs)} identical")
        return 0 if identical == len(pairs) else 1
    if len(argv) == 5 and argv[1] == "close":
        return close(*argv[2:])
    sys.exit(__doc__ or "usage: npy.py write|print|compare|close ...")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
