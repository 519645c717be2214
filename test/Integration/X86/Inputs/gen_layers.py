"""Usage: gen_layers.py [DIR]. Writes integer-level requantized layers with
constant weights (the kind the x86 and ARM layer kernels cover) and a few
they do not, on shapes that leave partial tiles in every dimension: rows not
a multiple of the tile, channels not a multiple of the vector, depth not a
multiple of the group; to stdout, or one file per layer in DIR."""
import random
import sys

def t(x):
    return str(x)
def hex_weights(w):
    """The s8 matrix w as a hex dense attribute, which the tools parse much
    faster than a nested list (layers of a million weights)."""
    return '"0x' + bytes(v % 256 for row in w for v in row).hex() + '"'
def fc(name, M, K, N, seed, unsigned=True, perch=True, zp=7):
    r=random.Random(seed)
    w=[[r.randint(-127,127) for _ in range(K)] for _ in range(N)]
    b=[r.randint(-5000,5000) for _ in range(N)]
    nm = N if perch else 1
    mult=[r.randint(1<<30,(1<<31)-1) for _ in range(nm)]
    sh=[r.randint(-12,-6) for _ in range(nm)]
    it='ui8' if unsigned else 'i8'
    return f'''func.func @{name}(%x: tensor<{M}x{K}x{it}>) -> tensor<{M}x{N}xui8> {{
  %w = arith.constant dense<{hex_weights(w) if N * K > 1 << 16 else t(w)}> : tensor<{N}x{K}xi8>
  %b = arith.constant dense<{t(b)}> : tensor<{N}xi32>
  %acc = qnn.int.fully_connected %x, %w, %b : (tensor<{M}x{K}x{it}>, tensor<{N}x{K}xi8>, tensor<{N}xi32>) -> tensor<{M}x{N}xi32>
  %y = qnn.int.rescale %acc {{multiplier = array<i32: {", ".join(map(str,mult))}>, shift = array<i32: {", ".join(map(str,sh))}>, output_zp = {zp} : i64}} : (tensor<{M}x{N}xi32>) -> tensor<{M}x{N}xui8>
  return %y : tensor<{M}x{N}xui8>
}}
'''
def conv(name, B, H, W, C, O, KH, KW, s, seed, unsigned=True,
         pad=(0, 0, 0, 0), zp=0):
    r=random.Random(seed)
    OH=(H+pad[0]+pad[1]-KH)//s+1; OW=(W+pad[2]+pad[3]-KW)//s+1
    w=[[[[r.randint(-127,127) for _ in range(C)] for _ in range(KW)] for _ in range(KH)] for _ in range(O)]
    b=[r.randint(-5000,5000) for _ in range(O)]
    mult=[r.randint(1<<30,(1<<31)-1) for _ in range(O)]
    sh=[r.randint(-13,-8) for _ in range(O)]
    it='ui8' if unsigned else 'i8'
    padding = ""
    if any(pad) or zp:
        padding = (f', padding = array<i64: {", ".join(map(str, pad))}>, '
                   f'input_zp = {zp} : i64')
    return f'''func.func @{name}(%x: tensor<{B}x{H}x{W}x{C}x{it}>) -> tensor<{B}x{OH}x{OW}x{O}xi8> {{
  %w = arith.constant dense<{t(w)}> : tensor<{O}x{KH}x{KW}x{C}xi8>
  %b = arith.constant dense<{t(b)}> : tensor<{O}xi32>
  %acc = qnn.int.conv2d %x, %w, %b {{strides = array<i64: {s}, {s}>{padding}}} : (tensor<{B}x{H}x{W}x{C}x{it}>, tensor<{O}x{KH}x{KW}x{C}xi8>, tensor<{O}xi32>) -> tensor<{B}x{OH}x{OW}x{O}xi32>
  %y = qnn.int.rescale %acc {{multiplier = array<i32: {", ".join(map(str,mult))}>, shift = array<i32: {", ".join(map(str,sh))}>, output_zp = -3 : i64, clamp_min = -100 : i64, clamp_max = 90 : i64}} : (tensor<{B}x{OH}x{OW}x{O}xi32>) -> tensor<{B}x{OH}x{OW}x{O}xi8>
  return %y : tensor<{B}x{OH}x{OW}x{O}xi8>
}}
'''
def depthwise(name, B, H, W, C, KH, KW, s, seed, unsigned=True, perch=True,
              pad=(0, 0, 0, 0), zp=0, d=1):
    r = random.Random(seed)
    OH = (H + pad[0] + pad[1] - d * (KH - 1) - 1) // s + 1
    OW = (W + pad[2] + pad[3] - d * (KW - 1) - 1) // s + 1
    w = [[[[r.randint(-127, 127) for _ in range(C)] for _ in range(KW)]
          for _ in range(KH)]]
    b = [r.randint(-3000, 3000) for _ in range(C)]
    nm = C if perch else 1
    mult = [r.randint(1 << 30, (1 << 31) - 1) for _ in range(nm)]
    sh = [r.randint(-10, -6) for _ in range(nm)]
    it = 'ui8' if unsigned else 'i8'
    return f'''func.func @{name}(%x: tensor<{B}x{H}x{W}x{C}x{it}>) -> tensor<{B}x{OH}x{OW}x{C}xui8> {{
  %w = arith.constant dense<{t(w)}> : tensor<1x{KH}x{KW}x{C}xi8>
  %b = arith.constant dense<{t(b)}> : tensor<{C}xi32>
  %acc = qnn.int.depthwise_conv2d %x, %w, %b {{strides = array<i64: {s}, {s}>, dilations = array<i64: {d}, {d}>, padding = array<i64: {", ".join(map(str, pad))}>, input_zp = {zp} : i64}} : (tensor<{B}x{H}x{W}x{C}x{it}>, tensor<1x{KH}x{KW}x{C}xi8>, tensor<{C}xi32>) -> tensor<{B}x{OH}x{OW}x{C}xi32>
  %y = qnn.int.rescale %acc {{multiplier = array<i32: {", ".join(map(str, mult))}>, shift = array<i32: {", ".join(map(str, sh))}>, output_zp = 100 : i64, clamp_max = 230 : i64}} : (tensor<{B}x{OH}x{OW}x{C}xi32>) -> tensor<{B}x{OH}x{OW}x{C}xui8>
  return %y : tensor<{B}x{OH}x{OW}x{C}xui8>
}}
'''


LAYERS = [
    fc("fc_5x10x19", 5, 10, 19, 1),
    fc("fc_13x67x33", 13, 67, 33, 2, perch=False),
    fc("fc_1x1280x100", 1, 1280, 100, 3),
    fc("fc_s8_7x30x21", 7, 30, 21, 4, unsigned=False),
    fc("fc_64x64x64", 64, 64, 64, 9),
    conv("conv_3x3", 1, 9, 11, 8, 20, 3, 3, 1, 5),
    conv("conv_3x3_s2", 2, 9, 10, 4, 17, 3, 3, 2, 6),
    conv("conv_1x1", 1, 7, 5, 12, 16, 1, 1, 1, 7),
    conv("conv_s8", 1, 6, 6, 8, 9, 3, 3, 1, 8, unsigned=False),
    conv("conv_3ch", 1, 6, 7, 3, 8, 3, 3, 1, 10),
    depthwise("dw_3x3", 1, 9, 8, 37, 3, 3, 1, 11),
    depthwise("dw_3x3_s2", 2, 9, 9, 16, 3, 3, 2, 12, perch=False),
    depthwise("dw_s8", 1, 5, 6, 5, 3, 3, 1, 13, unsigned=False),
    # Above the 2^20 multiply-accumulates from which tiles go on threads.
    fc("fc_96x200x100", 96, 200, 100, 14),
    # One batch row: tiles of one row by 8 vectors, the threads sharing out
    # the panels, the narrower last one (7 vectors, the last partial) where
    # their shares meet.
    fc("fc_1x1056x1000", 1, 1056, 1000, 31),
    depthwise("dw_3x3_66", 1, 66, 66, 32, 3, 3, 1, 15),
    # Convolutions shared out by panels (7 image rows, the narrower last
    # panel between the others) and by halves of the image rows (8, a last
    # panel with a partial vector of channels).
    conv("conv_7x7_160", 1, 7, 7, 144, 160, 1, 1, 1, 23),
    conv("conv_halves", 1, 10, 10, 32, 90, 3, 3, 1, 24),
    # Padding read in place: "same" padding with the input zero point, then
    # asymmetric padding with a stride, a dilated 5x5 kernel whose border
    # ranges are two pixels wide, one with too many border ranges (a padded
    # copy) and s8 input.
    depthwise("dw_pad", 1, 9, 8, 37, 3, 3, 1, 16, pad=(1, 1, 1, 1), zp=131),
    depthwise("dw_pad_s2", 2, 10, 9, 16, 3, 3, 2, 17, perch=False,
              pad=(0, 1, 1, 0), zp=7),
    depthwise("dw_pad_5x5_d2", 1, 11, 12, 20, 5, 5, 1, 18, pad=(2, 2, 2, 2),
              zp=200, d=2),
    depthwise("dw_pad_wide", 1, 9, 9, 8, 7, 7, 1, 20, pad=(3, 3, 3, 3),
              zp=200),
    depthwise("dw_pad_s8", 1, 6, 7, 21, 3, 3, 1, 19, unsigned=False,
              pad=(1, 1, 1, 1), zp=-5),
    depthwise("dw_pad_66", 1, 66, 66, 32, 3, 3, 1, 21, pad=(1, 1, 1, 1),
              zp=131),
    # Two-row tiles: a 2x2 kernel (three of the four input rows of a group
    # used) over an odd height, padded at the top only, two images and a
    # partial vector; two output rows, the top and bottom row ranges in one
    # tile.
    depthwise("dw_rows_2x2", 2, 5, 9, 40, 2, 2, 1, 28, pad=(1, 0, 0, 1),
              zp=9),
    depthwise("dw_rows_h2", 1, 2, 6, 16, 3, 3, 1, 29, pad=(1, 1, 1, 1),
              zp=50),
    # Blocks of 4 vectors of permuted channels (one output row per tile):
    # two blocks, padded; one block with a 5x5 kernel (two groups of rows
    # per column), per-tensor, two images.
    depthwise("dw_blocks_s2", 1, 11, 13, 128, 3, 3, 2, 30, pad=(1, 1, 1, 1),
              zp=131),
    depthwise("dw_blocks_5x5_s2", 2, 12, 11, 64, 5, 5, 2, 31, perch=False,
              pad=(2, 1, 2, 1), zp=9),
    # x86-amx's tiles: runs of 64-byte multiples and image rows of at least
    # 16 pixels, with a partial tile of rows (which overlaps the one before
    # it), a partial last vector of channels, s8 input, strides and batches.
    fc("fc_amx_40x128x40", 40, 128, 40, 22),
    fc("fc_amx_s8_48x64x20", 48, 64, 20, 23, unsigned=False, perch=False),
    conv("conv_amx_3x3", 1, 20, 19, 64, 36, 3, 3, 1, 24),
    conv("conv_amx_3x3_s2", 2, 11, 35, 64, 17, 3, 3, 2, 25),
    conv("conv_amx_1x1", 1, 3, 40, 128, 64, 1, 1, 1, 26),
    conv("conv_amx_s8", 1, 4, 18, 64, 16, 1, 3, 1, 27, unsigned=False),
    conv("conv_amx_7x7", 2, 9, 9, 64, 20, 3, 3, 1, 28),
    # Runs that are not whole 64-byte steps, read past their end and, in the
    # last tiles, from before their start: first convolutions on 3 channels,
    # 1x1 convolutions on 16 and 24 channels, a 1x1 convolution of stride 2.
    conv("conv_amx_3ch_7x7_s2", 1, 37, 37, 3, 20, 7, 7, 2, 29),
    conv("conv_amx_3ch_3x3_s2", 1, 35, 35, 3, 32, 3, 3, 2, 30),
    conv("conv_amx_1x1_24", 1, 5, 13, 24, 40, 1, 1, 1, 31),
    conv("conv_amx_1x1_16", 1, 6, 6, 16, 20, 1, 1, 1, 32),
    conv("conv_amx_1x1_s2", 1, 12, 40, 64, 32, 1, 1, 2, 33),
    # Strided image rows of more than 16 output pixels as blocks of equal
    # size: 28 pixels two blocks of 14 (one tile), 23 two of 12 (tiles of
    # one block, the second recomputing a row of the first), here padded
    # with an input zero point, over a batch.
    conv("conv_amx_3x3_s2_w28", 1, 9, 57, 64, 40, 3, 3, 2, 34),
    conv("conv_amx_s2_pad_zp", 2, 7, 45, 48, 24, 3, 3, 2, 35,
         pad=(1, 1, 1, 1), zp=131),
    conv("conv_amx_3x3_pad_zp", 1, 10, 21, 64, 20, 3, 3, 1, 36,
         pad=(1, 1, 1, 1), zp=200),
    # Stride 1 on a padded input, which the AMX kernel copies itself, each
    # part of its rows what it reads: over a batch, padded unevenly, runs of
    # 144 bytes (the last tiles read from before their start); and a layer
    # whose threads take halves of the panels, each copying all the rows.
    conv("conv_amx_pad_batch", 2, 9, 13, 48, 40, 3, 3, 1, 37,
         pad=(2, 0, 1, 3), zp=77),
    conv("conv_amx_pad_panels", 1, 5, 5, 64, 128, 3, 3, 1, 38,
         pad=(1, 1, 1, 1), zp=3),
    # At stride 2 too, over a batch (threads take halves of the image rows).
    conv("conv_amx_s2_pad_64", 2, 9, 17, 64, 40, 3, 3, 2, 39,
         pad=(1, 1, 1, 1), zp=90),
    # First convolutions with their kernel rows interleaved, the padding
    # folded into the copy: stride 2 over a batch (padding above and below,
    # left and right; whole vectors of 7 pixels and a partial last one), 7x7
    # (vectors of 3 pixels), stride 1 with uneven padding, s8 input, and
    # one large enough for its copy to be shared out by threads.
    conv("conv_amx_3ch_3x3_s2_pad", 2, 50, 50, 3, 32, 3, 3, 2, 41,
         pad=(1, 1, 1, 1), zp=131),
    conv("conv_amx_3ch_7x7_s2_pad", 1, 30, 29, 3, 24, 7, 7, 2, 42,
         pad=(3, 3, 3, 3), zp=200),
    conv("conv_amx_3ch_3x3_s1_pad", 1, 12, 21, 3, 16, 3, 3, 1, 43,
         pad=(2, 0, 0, 1), zp=77),
    conv("conv_amx_3ch_5x5_s8", 1, 16, 20, 3, 16, 5, 5, 2, 44,
         unsigned=False, pad=(2, 2, 2, 2), zp=-5),
]

if __name__ == "__main__":
    # With a directory, one file per layer (named after its function), so
    # that a test compiles only the layer it runs.
    if len(sys.argv) == 2:
        import os
        os.makedirs(sys.argv[1], exist_ok=True)
        for layer in LAYERS:
            name = layer.split("@", 1)[1].split("(", 1)[0]
            with open(os.path.join(sys.argv[1], name + ".mlir"), "w") as f:
                f.write(layer)
    else:
        sys.stdout.write("\n".join(LAYERS))
