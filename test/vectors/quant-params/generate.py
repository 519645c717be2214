#!/usr/bin/python3
"""Reference vectors for include/qopt/Dialect/QNN/Utils/QuantParams.h.

Run by hand from the repository root with Debian's interpreter, which has
python3-torch (PyTorch 1.13, built without FBGEMM) and python3-numpy
(`apt-get install -y --no-install-recommends python3-torch python3-numpy`):

    /usr/bin/python3 test/vectors/quant-params/generate.py

It rewrites the JSON files beside it. The output is deterministic (fixed seed);
unittests/Dialect/QNN/Utils/QuantParamsTest.cpp checks every row and knows the
row counts printed at the end, so regenerating with different counts needs the
test updated too.

Where the expected values come from:
  * PyTorch: the real library. Scales and zero points from MinMaxObserver /
    PerChannelMinMaxObserver, quantized values from torch.quantize_per_tensor /
    torch.quantize_per_channel(...).int_repr(). A float32 model of ATen's
    quantize_val is used only to find inputs that are exact ties, and is
    checked against torch on every element.
  * gemmlowp and TensorFlow: the straightforward Python re-implementations
    below, written from the reference C++ (see QuantParams.h): gemmlowp /
    TFLite ChooseQuantizationParams in double, TensorFlow's Nudge and TFLite's
    AffineQuantize in numpy float32. Rounding is done exactly with Decimal.

qopt's own choices, which no reference defines, are encoded here as in
QuantParams.h: the range {0} gets scale 1.0 and zero point qmin (affine) or the
symmetric zero point for gemmlowp and TensorFlow; symmetric ranges for gemmlowp
and symmetric unsigned storage for TensorFlow use the middle of the storage
range. A null scale means chooseQuantParams must fail (the scale is not finite
and positive: float overflow or underflow); a null bias means quantizeBias must
fail. Strict JSON has no NaN or infinity, so those inputs are tested in C++.

Files (each a JSON object with "columns" and "rows", or "cases"):
  ranges.json    (min, max, storage, symmetric, convention) -> (scale, zp)
  weights.json   float32 tensors, per channel and per tensor, with each
                 convention's parameters and quantized values
  quantize.json  (convention, scale, zp, storage, value) -> quantized value:
                 ties, clamping, values that are not float32
  bias.json      (value, scale) -> int32 or null
"""

import json
import math
import os
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import torch
from torch.ao.quantization.observer import MinMaxObserver, PerChannelMinMaxObserver

F32 = np.float32
OUT_DIR = os.path.dirname(os.path.abspath(__file__))
CONVENTIONS = ("gemmlowp", "tensorflow", "pytorch")
# uint8, int8, narrow int8, and PyTorch's "customized" quint8 range of
# reduce_range observers, whose symmetric zero point is 63.
STORAGES = ((0, 255), (-128, 127), (-127, 127), (0, 127))
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

# ---------------------------------------------------------------------------
# Exact rounding of a double (every float32 is one).


def round_half_away(x):
    """std::round / TfLiteRound: ties away from zero (Decimal's ROUND_HALF_UP)."""
    return int(Decimal(float(x)).to_integral_value(rounding=ROUND_HALF_UP))


def round_half_even(x):
    """torch.round / nearbyint in the default rounding mode."""
    return int(Decimal(float(x)).to_integral_value(rounding=ROUND_HALF_EVEN))


def clamp(q, qmin, qmax):
    return min(max(q, qmin), qmax)


def middle(qmin, qmax):
    """ceil((qmin + qmax) / 2), the middle of the storage range: the symmetric
    zero point of gemmlowp and TensorFlow (0 for int8, 128 for uint8)."""
    return -((-(qmin + qmax)) // 2)


def valid_scale(scale):
    return math.isfinite(scale) and scale > 0


# ---------------------------------------------------------------------------
# gemmlowp: ChooseQuantizationParams (doc/quantization_example.cc, TFLite's
# quantization_util.h for any storage range), double arithmetic.


def gemmlowp_params(rmin, rmax, qmin, qmax, symmetric):
    rmin, rmax = min(rmin, 0.0), max(rmax, 0.0)
    if rmin == rmax:
        return 1.0, middle(qmin, qmax) if symmetric else qmin
    if symmetric:
        scale = max(-rmin, rmax) / ((qmax - qmin) / 2)
        return (scale, middle(qmin, qmax)) if valid_scale(scale) else (None, None)
    scale = (rmax - rmin) / (qmax - qmin)
    if not valid_scale(scale):
        return None, None
    zero_point_from_min = qmin - rmin / scale
    zero_point_from_max = qmax - rmax / scale
    zero_point_from_min_error = abs(qmin) + abs(rmin / scale)
    zero_point_from_max_error = abs(qmax) + abs(rmax / scale)
    zero_point = (
        zero_point_from_min
        if zero_point_from_min_error < zero_point_from_max_error
        else zero_point_from_max
    )
    if zero_point < qmin:
        return scale, qmin
    if zero_point > qmax:
        return scale, qmax
    return scale, round_half_away(zero_point)


def gemmlowp_quantize(value, scale, zero_point, qmin, qmax):
    """gemmlowp's Quantize: std::round(zero_point + value / scale), clamped."""
    transformed = zero_point + value / scale
    if transformed <= qmin:
        return qmin
    if transformed >= qmax:
        return qmax
    return round_half_away(transformed)


# ---------------------------------------------------------------------------
# TensorFlow: Nudge (fake_quant_ops_functor.h) / TFLite's
# GetAsymmetricQuantizationParams and GetSymmetricScalesFromMaxMin, float32.


def tensorflow_params(rmin, rmax, qmin, qmax, symmetric):
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        fmin, fmax = F32(min(rmin, 0.0)), F32(max(rmax, 0.0))
        if not (np.isfinite(fmin) and np.isfinite(fmax)):
            return None, None
        if fmin == fmax:
            return 1.0, middle(qmin, qmax) if symmetric else qmin
        if symmetric:
            zero_point = middle(qmin, qmax)
            scale = F32(max(-fmin, fmax)) / F32(qmax - zero_point)
            return (float(scale), zero_point) if valid_scale(scale) else (None, None)
        qmin_f, qmax_f = F32(qmin), F32(qmax)
        scale = (fmax - fmin) / (qmax_f - qmin_f)
        if not valid_scale(scale):
            return None, None
        zero_point_from_min = qmin_f - fmin / scale
        assert zero_point_from_min.dtype == np.float32
    if zero_point_from_min < qmin_f:
        return float(scale), qmin
    if zero_point_from_min > qmax_f:
        return float(scale), qmax
    return float(scale), round_half_away(zero_point_from_min)


def tensorflow_quotient(value, scale):
    with np.errstate(over="ignore"):
        quotient = F32(value) / F32(scale)
    assert quotient.dtype == np.float32
    return quotient


def tensorflow_quantize(value, scale, zero_point, qmin, qmax):
    """TFLite's AffineQuantize: TfLiteRound(value / float(scale)) + zp, clamped."""
    quotient = tensorflow_quotient(value, scale)
    assert reference_defined("tensorflow", value, scale)
    return clamp(round_half_away(quotient) + zero_point, qmin, qmax)


# ---------------------------------------------------------------------------
# PyTorch: the real observers and quantize functions.


def torch_observer(qmin, qmax, symmetric, axis):
    """The observer a PyTorch user configures for this storage range."""
    dtype = torch.quint8 if qmin >= 0 else torch.qint8
    # The dtype's default range must not be passed explicitly: it would make
    # the observer's range "customized", which moves quint8's symmetric zero
    # point from 128 to 127.
    custom = {} if (qmin, qmax) in ((0, 255), (-128, 127)) else dict(quant_min=qmin, quant_max=qmax)
    if axis is None:
        qscheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
        return MinMaxObserver(dtype=dtype, qscheme=qscheme, **custom), dtype
    qscheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
    return PerChannelMinMaxObserver(ch_axis=axis, dtype=dtype, qscheme=qscheme, **custom), dtype


def torch_params(rmin, rmax, qmin, qmax, symmetric):
    """MinMaxObserver fed a float32 tensor whose min and max are rmin, rmax."""
    observer, _ = torch_observer(qmin, qmax, symmetric, None)
    observer(torch.tensor([rmin, rmax], dtype=torch.float32))
    scale, zero_point = observer.calculate_qparams()
    scale = float(scale.item())
    if not valid_scale(scale):
        return None, None
    return scale, int(zero_point.item())


def torch_product(value, scale):
    with np.errstate(over="ignore"):
        product = F32(value) * (F32(1) / F32(scale))
    assert product.dtype == np.float32
    return product


def torch_quantize_model(value, scale, zero_point, qmin, qmax):
    """ATen's quantize_val without FBGEMM: zp + nearbyint(value * (1.0f / scale))."""
    assert reference_defined("pytorch", value, scale)
    return clamp(round_half_even(torch_product(value, scale)) + zero_point, qmin, qmax)


def torch_quantize(values, scales, zero_points, axis, dtype):
    x = torch.tensor(values, dtype=torch.float32)
    if axis is None:
        q = torch.quantize_per_tensor(x, scales[0], zero_points[0], dtype)
    else:
        q = torch.quantize_per_channel(
            x,
            torch.tensor(scales, dtype=torch.float64),
            torch.tensor(zero_points, dtype=torch.int64),
            axis,
            dtype,
        )
    return q.int_repr().to(torch.int64)


def reference_defined(convention, value, scale):
    """Whether the reference's conversion of the rounded value to an integer
    is defined: TFLite converts to int32, ATen to int64 (which on x86 turns
    overflow into the minimum); gemmlowp clamps in float first."""
    if convention == "tensorflow":
        return abs(tensorflow_quotient(value, scale)) < 2.0**31
    if convention == "pytorch":
        return abs(torch_product(value, scale)) < 2.0**62
    return True


PARAMS = {"gemmlowp": gemmlowp_params, "tensorflow": tensorflow_params, "pytorch": torch_params}
QUANTIZE = {
    "gemmlowp": gemmlowp_quantize,
    "tensorflow": tensorflow_quantize,
    "pytorch": torch_quantize_model,
}


def is_tie(convention, value, scale, zero_point):
    """Whether the quantity the convention rounds is exactly k + 0.5."""
    if convention == "gemmlowp":
        rounded = zero_point + value / scale
    elif convention == "tensorflow":
        rounded = float(F32(value) / F32(scale))
    else:
        rounded = float(F32(value) * (F32(1) / F32(scale)))
    return rounded - math.floor(rounded) == 0.5


# ---------------------------------------------------------------------------
# Output.


def write_json(name, header, rows_key, rows):
    """One row or case per line, so that diffs stay readable."""
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as f:
        f.write("{\n")
        for key, value in header.items():
            f.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
        f.write(f"  {json.dumps(rows_key)}: [\n")
        f.write(",\n".join("    " + json.dumps(row, allow_nan=False) for row in rows))
        f.write("\n  ]\n}\n")
    return os.path.getsize(path)


# ---------------------------------------------------------------------------
# ranges.json


def tie_range(qmin, qmax, zero_point, scale):
    """A range whose exact zero point qmin - min / scale is `zero_point`."""
    return ((qmin - zero_point) * scale, (qmax - zero_point) * scale)


def near_tie_ranges(rng, count):
    """Ranges close to zero-point ties whose float32 bounds make the rounding
    depend on how the convention computes the zero point: `count` each where
    gemmlowp's min pair is used and the max pair would round differently,
    the other way round, and where TensorFlow's float32 zero point differs
    from gemmlowp's double one."""
    found = {"min": [], "max": [], "float32": []}
    while any(len(ranges) < count for ranges in found.values()):
        qmin, qmax = STORAGES[rng.integers(len(STORAGES))]
        zero_point = int(rng.integers(qmin, qmax)) + 0.5
        scale = float(rng.uniform(1e-3, 1.0))
        rmin, rmax = (float(F32(b)) for b in tie_range(qmin, qmax, zero_point, scale))
        scale = (rmax - rmin) / (qmax - qmin)
        from_min = round_half_away(qmin - rmin / scale)
        from_max = round_half_away(qmax - rmax / scale)
        _, chosen = gemmlowp_params(rmin, rmax, qmin, qmax, False)
        _, tf_zero_point = tensorflow_params(rmin, rmax, qmin, qmax, False)
        if from_min != from_max:
            kind = "min" if chosen == from_min else "max"
        elif tf_zero_point != chosen:
            kind = "float32"
        else:
            continue
        if len(found[kind]) < count:
            found[kind].append((rmin, rmax))
    return [r for ranges in found.values() for r in ranges]


def range_cases(rng):
    ranges = [
        # Degenerate and constant ranges.
        (0.0, 0.0), (-0.0, 0.0), (0.5, 0.5), (-3.0, -3.0), (7.25, 7.25), (1e-9, 1e-9),
        # Ordinary ranges, all-positive and all-negative ones.
        (0.0, 6.0), (-1.0, 1.0), (-1.5, 2.25), (0.0, 1.9921875), (-128.0, 127.0),
        (-0.5, 0.25), (-3.2, 0.1), (-0.1, 3.2), (0.5, 6.0), (1.0, 2.0), (2.5, 255.0),
        (-6.0, -0.5), (-1.0, -1e-3), (-1.0, 0.0), (0.0, 1.0),
        # Bounds that are not float32 values.
        (-0.1, 0.7), (-1.0 / 3.0, 2.0 / 3.0), (-2.0 / 7.0, 1e-5),
        # Tiny: the PyTorch eps clamp, float32 denormals and underflow.
        (1e-9, 2e-9), (-2e-9, -1e-9), (-1e-30, 1e-30), (0.0, 1e-38), (0.0, 1e-45),
        (0.0, 1e-50), (-5e-324, 0.0), (0.0, 1e-310),
        # Huge: float32 and double overflow of max - min or of the bounds.
        (-1e30, 1e30), (0.0, 1e38), (0.0, 3e38), (-3e38, 3e38), (-1e300, 1e300),
        (-1.7e308, 1.7e308),
    ]
    # Exact zero-point ties for each storage range (power-of-two and other
    # short scales, so that every convention computes them exactly).
    for qmin, qmax in STORAGES:
        for zero_point, scale in (
            (2.5, 2.0**-4), (3.5, 2.0**-4), (0.5, 2.0**-6), (-0.5, 2.0**-6),
            (-100.5, 3 * 2.0**-8), (126.5, 5 * 2.0**-7), (64.5, 1.0),
        ):
            if qmin < zero_point < qmax:
                ranges.append(tie_range(qmin, qmax, zero_point, scale))
    ranges += near_tie_ranges(rng, 3)
    for _ in range(14):
        magnitude = 10.0 ** rng.uniform(-4, 3)
        a, b = sorted(float(F32(v)) for v in rng.normal(0, magnitude, 2) + rng.normal(0, magnitude))
        ranges.append((a, b))

    rows = []
    for rmin, rmax in ranges:
        for qmin, qmax in STORAGES:
            for symmetric in (False, True):
                row = [rmin, rmax, qmin, qmax, int(symmetric)]
                for convention in CONVENTIONS:
                    row += PARAMS[convention](rmin, rmax, qmin, qmax, symmetric)
                rows.append(row)
    check_per_channel_observer(ranges)
    return rows


def check_per_channel_observer(ranges):
    """PerChannelMinMaxObserver must agree with MinMaxObserver range by range,
    so that ranges.json speaks for both."""
    finite = [r for r in ranges if all(abs(b) < 1e38 for b in r)]
    x = torch.tensor(finite, dtype=torch.float32)
    for qmin, qmax in STORAGES:
        for symmetric in (False, True):
            observer, _ = torch_observer(qmin, qmax, symmetric, 0)
            observer(x)
            scales, zero_points = observer.calculate_qparams()
            for (rmin, rmax), s, z in zip(finite, scales.tolist(), zero_points.tolist()):
                expected = torch_params(rmin, rmax, qmin, qmax, symmetric)
                assert (s, z) == expected or (expected[0] is None and not valid_scale(s)), (rmin, rmax)


# ---------------------------------------------------------------------------
# weights.json

WEIGHT_CASES = (
    # name, shape, axis (None: per tensor), storage, symmetric
    ("conv2d_ohwi_per_channel_symmetric_i8", (4, 3, 3, 2), 0, (-128, 127), True),
    ("conv2d_ohwi_per_channel_symmetric_narrow_i8", (4, 3, 3, 2), 0, (-127, 127), True),
    ("depthwise_1hwo_per_channel_symmetric_narrow_i8", (1, 3, 3, 4), 3, (-127, 127), True),
    ("fully_connected_per_channel_affine_i8", (5, 12), 0, (-128, 127), False),
    ("fully_connected_per_channel_affine_u8", (4, 12), 0, (0, 255), False),
    ("fully_connected_per_channel_symmetric_u8", (3, 12), 0, (0, 255), True),
    ("per_tensor_affine_u8", (5, 7), None, (0, 255), False),
    ("per_tensor_affine_i8", (6, 6), None, (-128, 127), False),
    ("per_tensor_symmetric_i8", (3, 10), None, (-128, 127), True),
    ("per_tensor_symmetric_narrow_i8", (4, 8), None, (-127, 127), True),
)
TIES_PER_CONVENTION = 2


def channel_extremes(rng, design, qmin, qmax, symmetric):
    """The min and max of one channel. "exact" channels have a short scale
    (and, affine, a zero point that is a tie), so that values that are ties
    in double exist for gemmlowp too."""
    if design == "exact":
        scale = float(rng.choice([1, 3, 5])) * 2.0 ** -int(rng.integers(5, 9))
        if symmetric:
            return -(qmax - qmin) / 2 * scale, (qmax - qmin) / 2 * scale
        zero_point = int(rng.integers(qmin + 1, qmax - 1)) + 0.5
        return tie_range(qmin, qmax, zero_point, scale)
    spread = 10.0 ** rng.uniform(-2, 0.5)
    low, high = sorted(float(F32(v)) for v in rng.normal(0, spread, 2))
    if design == "positive":
        return abs(low) * 0.1, abs(low) + abs(high)
    return low, high


def make_channel(rng, size, design, qmin, qmax, symmetric, stats):
    """`size` float32 values with the given extremes and, for each
    convention, up to TIES_PER_CONVENTION values that are exact ties."""
    low, high = (float(F32(v)) for v in channel_extremes(rng, design, qmin, qmax, symmetric))
    values = [low, high]
    for convention in CONVENTIONS:
        scale, zero_point = PARAMS[convention](low, high, qmin, qmax, symmetric)
        found = 0
        for k in rng.permutation(np.arange(-(qmax - qmin), qmax - qmin)):
            if found == TIES_PER_CONVENTION or len(values) == size:
                break
            value = float(F32((int(k) + 0.5) * scale))
            if low < value < high and value not in values and is_tie(convention, value, scale, zero_point):
                values.append(value)
                found += 1
        stats[convention] += found
    while len(values) < size:
        values.append(float(F32(rng.uniform(low, high))))
    rng.shuffle(values)
    return values


def weight_case(rng, name, shape, axis, storage, symmetric):
    qmin, qmax = storage
    channels = 1 if axis is None else shape[axis]
    per_channel = int(np.prod(shape)) // channels
    designs = ["exact", "random", "positive"]
    ties = dict.fromkeys(CONVENTIONS, 0)
    data = np.stack(
        [
            make_channel(rng, per_channel, designs[c % 3], qmin, qmax, symmetric, ties)
            for c in range(channels)
        ]
    ).astype(F32)
    # Channel c is data[c]; move it to `axis` of `shape`.
    if axis is None:
        tensor = data.reshape(shape)
    else:
        moved = list(shape[:axis]) + list(shape[axis + 1 :])
        tensor = np.moveaxis(data.reshape([channels] + moved), 0, axis)
    assert tensor.shape == tuple(shape)
    flat = tensor.reshape(-1)
    if axis is None:
        channel_of = np.zeros(flat.size, dtype=int)
    else:
        view = [1] * len(shape)
        view[axis] = channels
        channel_of = np.broadcast_to(np.arange(channels).reshape(view), shape).reshape(-1)

    results = {}
    for convention in CONVENTIONS:
        if convention == "pytorch":
            observer, dtype = torch_observer(qmin, qmax, symmetric, axis)
            observer(torch.from_numpy(tensor.copy()))
            scales, zero_points = observer.calculate_qparams()
            scales = [float(s) for s in scales.tolist()]
            zero_points = [int(z) for z in zero_points.tolist()]
            quantized = torch_quantize(tensor, scales, zero_points, axis, dtype).reshape(-1).tolist()
            # The ties were searched with MinMaxObserver's parameters.
            assert [(s, z) for s, z in zip(scales, zero_points)] == [
                torch_params(float(ch.min()), float(ch.max()), qmin, qmax, symmetric) for ch in data
            ], name
        else:
            params = [PARAMS[convention](float(ch.min()), float(ch.max()), qmin, qmax, symmetric) for ch in data]
            scales = [s for s, _ in params]
            zero_points = [z for _, z in params]
        model = [
            QUANTIZE[convention](float(v), scales[c], zero_points[c], qmin, qmax)
            for v, c in zip(flat, channel_of)
        ]
        if convention == "pytorch":
            # Torch clamps to the dtype, not to a narrow storage range.
            assert all(qmin <= q <= qmax for q in quantized), name
            assert quantized == model, name
        else:
            quantized = model
        results[convention] = {"scales": scales, "zero_points": zero_points, "quantized": quantized}
    for convention, count in ties.items():
        assert count >= 2, (name, convention, count)
    return {
        "name": name,
        "shape": list(shape),
        "axis": axis,
        "qmin": qmin,
        "qmax": qmax,
        "symmetric": int(symmetric),
        "ties": ties,
        "values": [float(v) for v in flat],
        "results": results,
    }


# ---------------------------------------------------------------------------
# quantize.json

QUANTIZE_PARAMS = (
    # scale, zero point, storage
    (0.25, 0, (-128, 127)),
    (0.25, 3, (0, 255)),
    (2.0**-7, -128, (-128, 127)),
    (0.1, -5, (-128, 127)),
    (1.0 / 3.0, 128, (0, 255)),
    (0.02, 0, (-127, 127)),
)


def quantize_rows():
    rows = []
    for scale, zero_point, (qmin, qmax) in QUANTIZE_PARAMS:
        values = [0.0, -0.0, 1e-30, -1e-30, 0.1, -0.1, 1e10, -1e10, 1e300, -1e300]
        for k in (0, 1, 2, 3, -1, -2, -3, 10, -10, 100, -100, 127, -128, 200, -200, 300, -300):
            tie = (k + 0.5) * scale
            values += [tie, float(np.nextafter(F32(tie), F32(np.inf))), float(np.nextafter(F32(tie), F32(-np.inf)))]
        for value in values:
            row = [scale, zero_point, qmin, qmax, value]
            for convention in CONVENTIONS:
                if not reference_defined(convention, value, scale):
                    row.append(None)  # tested in C++: qopt saturates
                elif convention != "pytorch":
                    row.append(QUANTIZE[convention](value, scale, zero_point, qmin, qmax))
                elif qmin == -127:
                    row.append(None)  # torch clamps to the dtype; see weights.json
                else:
                    dtype = torch.quint8 if qmin >= 0 else torch.qint8
                    expected = torch_quantize([value], [scale], [zero_point], None, dtype).item()
                    assert expected == torch_quantize_model(value, scale, zero_point, qmin, qmax)
                    row.append(expected)
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# bias.json


def bias_expected(value, scale):
    quotient = value / scale  # double, as TFLite's bias quantization
    if not math.isfinite(quotient):
        return None
    q = round_half_away(quotient)
    return q if INT32_MIN <= q <= INT32_MAX else None


def bias_rows(rng):
    s = 2.0**-10
    pairs = [
        (0.0, 0.01), (-0.0, 0.01), (1.0, 1.0), (2.5, 1.0), (-2.5, 1.0), (3.5, 1.0), (-3.5, 1.0),
        (0.5, 1.0), (-0.5, 1.0), (0.49999999999999994, 1.0), (-0.49999999999999994, 1.0),
        (2.5 * s, s), (-2.5 * s, s), (1000.5 * s, s), (-1000.5 * s, s),
        (0.3, 0.1), (-0.3, 0.1), (0.7, 0.2),
        # The limits of int32, ties at both ends, and overflow.
        (2147483647 * s, s), (2147483647.4 * s, s), (2147483647.5 * s, s), (2147483648.0 * s, s),
        (-2147483648 * s, s), (-2147483648.4 * s, s), (-2147483648.5 * s, s), (-2147483649.0 * s, s),
        (1e30, 1e-10), (-1e30, 1e-10), (1.0, 5e-324), (-1.0, 5e-324), (1e308, 1e-308),
        (1e-300, 1e300),
    ]
    # Typical biases: S_input * S_weights[c] from float32 scales.
    for _ in range(20):
        scale = float(F32(rng.uniform(1e-3, 5e-2))) * float(F32(rng.uniform(1e-4, 1e-2)))
        pairs.append((float(F32(rng.normal(0, 0.5))), scale))
    # Exact ties with a non-power-of-two scale.
    for k in (7, -7, 123456, -123456):
        scale = 3 * 2.0**-20
        pairs.append(((k + 0.5) * scale, scale))
    return [[value, scale, bias_expected(value, scale)] for value, scale in pairs]


def main():
    rng = np.random.default_rng(20240611)
    sizes = {}
    counts = {}

    ranges = range_cases(rng)
    counts["ranges"] = len(ranges)
    for index, convention in enumerate(CONVENTIONS):
        counts[f"ranges {convention} failures"] = sum(row[5 + 2 * index] is None for row in ranges)
    sizes["ranges.json"] = write_json(
        "ranges.json",
        {"columns": ["min", "max", "qmin", "qmax", "symmetric"]
         + [f"{convention}_{column}" for convention in CONVENTIONS for column in ("scale", "zero_point")]},
        "rows", ranges,
    )

    cases = [weight_case(rng, *case) for case in WEIGHT_CASES]
    counts["weight cases"] = len(cases)
    counts["weight values"] = sum(len(c["values"]) for c in cases)
    counts["weight channels"] = sum(len(c["results"]["pytorch"]["scales"]) for c in cases)
    ties = {conv: sum(c["ties"][conv] for c in cases) for conv in CONVENTIONS}
    sizes["weights.json"] = write_json("weights.json", {"ties": ties}, "cases", cases)

    quantize = quantize_rows()
    counts["quantize"] = len(quantize)
    for index, convention in enumerate(CONVENTIONS):
        counts[f"quantize {convention} without reference"] = sum(row[5 + index] is None for row in quantize)
    sizes["quantize.json"] = write_json(
        "quantize.json",
        {"columns": ["scale", "zero_point", "qmin", "qmax", "value"] + list(CONVENTIONS)},
        "rows", quantize,
    )

    bias = bias_rows(rng)
    counts["bias"] = len(bias)
    counts["bias failures"] = sum(row[2] is None for row in bias)
    sizes["bias.json"] = write_json("bias.json", {"columns": ["value", "scale", "quantized"]}, "rows", bias)

    for key, value in counts.items():
        print(f"{key}: {value}")
    print(f"ties in weights.json: {ties}")
    print(f"total size: {sum(sizes.values())} bytes {sizes}")


if __name__ == "__main__":
    main()
