#!/usr/bin/env bash
#===- arm_mca.sh - Static throughput of the AArch64 kernels (llvm-mca) ----===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: bench/arm_mca.sh > section.md
#
# There is no ARM hardware here: this estimates, with LLVM's scheduling
# models, what the inner reduction loop of each AArch64 kernel sustains. For
# each ISA level it compiles a representative layer (a fully connected layer
# of 64 rows x 256 output channels x 1024 input channels, u8 input for neon
# and i8mm, s8 for dotprod, with constant weights) with
#   qopt-compile --target=aarch64-<isa> --mtriple=aarch64-linux-gnu
# disassembles the object, takes the innermost loop that holds the ISA's
# dot-product instruction (the smallest range closed by a backward branch),
# and runs llvm-mca on it with -mcpu=neoverse-n1 and -mcpu=neoverse-v1
# (i8mm on V1 only: N1 has no i8mm). MACs per iteration are counted from the
# instructions (sdot: 4 lanes x 4 = 16, smmla / usmmla: 2 x 2 x 8 = 32,
# neon's smlal on 4 lanes: 4), cycles per iteration are
# llvm-mca's (total cycles / iterations, steady state).
#
# A second table does the same for a depthwise layer of MobileNetV2 (3x3,
# 28x28x192, padded): the loop is the interior tile (its taps, the
# interleaving of input columns into groups of taps, the requantization
# epilogue and the stores), so its figure is cycles per output. Outputs per
# iteration are counted from the requantization's sqrdmulh (one per 4
# outputs); multiply-adds per output are the 9 taps.
#
# The peak it compares with is the same model's: a block of 16 independent
# instructions (distinct accumulators, no loads) of the kind, i.e. how many of
# them the model issues per cycle, times their MACs. It prints a markdown
# section on stdout (a ### heading: bench/run.sh puts it after the results
# tables of docs/performance.md); without llvm-mca or llvm-objdump, a section
# that says so.
#
# Environment:
#   QOPT_BUILD_DIR   default: <source>/build (qopt-compile, qopt-run)
#   LLVM_BIN         default: /usr/lib/llvm-22/bin (llvm-mca, llvm-objdump)
#
#===-----------------------------------------------------------------------===#

set -euo pipefail

src_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${QOPT_BUILD_DIR:-${src_root}/build}"
llvm_bin="${LLVM_BIN:-/usr/lib/llvm-22/bin}"
qopt_compile="${build_dir}/bin/qopt-compile"
heading="### AArch64 kernels: static estimate (llvm-mca)"
if [[ ! -x "${qopt_compile}" ]]; then
  echo "error: ${qopt_compile} not found (build qopt first)" >&2
  exit 1
fi
# Without LLVM's tools the section says so (bench/run.sh goes on).
for tool in "${llvm_bin}/llvm-mca" "${llvm_bin}/llvm-objdump"; do
  if [[ ! -x "${tool}" ]]; then
    printf '%s\n\nNot estimated in this run: `%s` is missing (Debian package llvm-22).\n' \
      "${heading}" "${tool}"
    exit 0
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
iterations=200
rows=64 channels=256 depth=1024

# The layer, with deterministic weights (a fixed LCG), as hex.
gen_layer() { # $1: ui8 or i8
  python3 - "$1" "${rows}" "${channels}" "${depth}" <<'PY'
import sys
it, rows, channels, depth = sys.argv[1], *map(int, sys.argv[2:])
state, hexw = 12345, []
for _ in range(channels * depth):
    state = (state * 1103515245 + 12345) % 2**31
    hexw.append(f"{(state >> 16) % 255 - 127 & 0xff:02X}")
print(f"""func.func @fc(%x: tensor<{rows}x{depth}x{it}>) -> tensor<{rows}x{channels}x{it}> {{
  %w = arith.constant dense<"0x{''.join(hexw)}"> : tensor<{channels}x{depth}xi8>
  %b = arith.constant dense<1000> : tensor<{channels}xi32>
  %acc = qnn.int.fully_connected %x, %w, %b
       : (tensor<{rows}x{depth}x{it}>, tensor<{channels}x{depth}xi8>, tensor<{channels}xi32>) -> tensor<{rows}x{channels}xi32>
  %y = qnn.int.rescale %acc {{multiplier = array<i32: 1288490189>, shift = array<i32: -12>, output_zp = 3 : i64}}
       : (tensor<{rows}x{channels}xi32>) -> tensor<{rows}x{channels}x{it}>
  return %y : tensor<{rows}x{channels}x{it}>
}}""")
PY
}

# MobileNetV2's depthwise 3x3 over 28x28x192, padded, with deterministic
# weights and bias.
gen_depthwise() { # $1: ui8 or i8
  python3 - "$1" <<'PY'
import sys
it, size, channels = sys.argv[1], 28, 192
state, hexw, bias = 54321, [], []
def lcg():
    global state
    state = (state * 1103515245 + 12345) % 2**31
    return state >> 16
for _ in range(9 * channels):
    hexw.append(f"{lcg() % 255 - 127 & 0xff:02X}")
for _ in range(channels):
    bias.append(str(lcg() % 40001 - 20000))
x = f"tensor<1x{size}x{size}x{channels}x{it}>"
acc = f"tensor<1x{size}x{size}x{channels}xi32>"
f = f"tensor<1x3x3x{channels}xi8>"
b = f"tensor<{channels}xi32>"
print(f"""func.func @dw(%x: {x}) -> {x} {{
  %w = arith.constant dense<"0x{''.join(hexw)}"> : {f}
  %b = arith.constant dense<[{', '.join(bias)}]> : {b}
  %acc = qnn.int.depthwise_conv2d %x, %w, %b {{input_zp = 3 : i64,
           padding = array<i64: 1, 1, 1, 1>}} : ({x}, {f}, {b}) -> {acc}
  %y = qnn.int.rescale %acc {{multiplier = array<i32: 1288490189>, shift = array<i32: -8>, output_zp = 5 : i64}}
       : ({acc}) -> {x}
  return %y : {x}
}}""")
PY
}

# Prints the main tile's reduction loop in the disassembly $1: of the
# innermost loops (ranges closed by a backward branch with no other backward
# branch inside) that hold instructions matching $2, the one with the most,
# as llvm-mca input (a label instead of addresses). Partial tiles have loops
# of their own with fewer.
extract_loop() {
  python3 - "$1" "$2" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
dot = re.compile(sys.argv[2])
insns = []  # (address, text)
for line in lines:
    m = re.match(r"\s*([0-9a-f]+):\s+(\S.*)$", line)
    if m:
        text = re.sub(r"\s*//.*$", "", m.group(2)).strip()
        insns.append((int(m.group(1), 16), text))
addresses = [a for a, _ in insns]
branch = re.compile(r"(b\.\w+|b|cbn?z|tbn?z)\s+(?:.*,\s*)?0x([0-9a-f]+)")
def backward(i):
    m = branch.match(insns[i][1])
    if not m:
        return None
    target = int(m.group(2), 16)
    return target if target <= insns[i][0] and target in addresses else None
best, best_count = None, 0
for i in range(len(insns)):
    target = backward(i)
    if target is None:
        continue
    start = addresses.index(target)
    if any(backward(j) is not None for j in range(start, i)):
        continue  # not innermost
    body = insns[start:i + 1]
    count = sum(1 for _, t in body if dot.search(t))
    if count > best_count:
        best, best_count = body, count
if best is None:
    sys.exit("no loop with the dot-product instruction")
print(".Lloop:")
for _, text in best:
    text = re.sub(r"0x[0-9a-f]+\s*<[^>]*>", ".Lloop", text)
    print("  " + text.replace("\t", " "))
PY
}

# Compiles ${work}/$1.mlir for aarch64-$2 and writes to ${work}/$1.s the
# loop extract_loop finds for the MAC instruction pattern $3.
compile_loop() {
  "${qopt_compile}" "${work}/$1.mlir" --target="aarch64-$2" \
    --mtriple=aarch64-linux-gnu -o "${work}/$1.o"
  "${llvm_bin}/llvm-objdump" -d --no-show-raw-insn "${work}/$1.o" \
    > "${work}/$1.dis"
  extract_loop "${work}/$1.dis" "^$3\b" > "${work}/$1.s"
}

# Cycles per iteration of the block in $1 for CPU $2.
mca_cycles() {
  "${llvm_bin}/llvm-mca" -mtriple=aarch64-linux-gnu -mcpu="$2" \
    -iterations="${iterations}" "$1" 2>/dev/null |
    awk -v n="${iterations}" '/^Total Cycles:/ { printf "%.2f", $3 / n }'
}

# A block of 16 independent instructions $1 (a printf format of the
# accumulator register number) for the model's peak.
peak_block() {
  for i in $(seq 0 15); do printf "  $1\n" "$((i + 8))"; done
}

cpus=(neoverse-n1 neoverse-v1)
# smlal on .4s lanes only: a requantization in 64-bit arithmetic (the
# generic loops') has smlal on .2d.
declare -A pattern=([neon]='smlal\s+v[0-9]+\.4s' [dotprod]='sdot' [i8mm]='(us|s)mmla')
declare -A macs=([neon]=4 [dotprod]=16 [i8mm]=32)
declare -A input=([neon]=ui8 [dotprod]=i8 [i8mm]=ui8)
declare -A peak_insn=(
  [neon]='smlal v%d.4s, v1.4h, v2.4h'
  [dotprod]='sdot v%d.4s, v1.16b, v2.16b'
  [i8mm]='usmmla v%d.4s, v1.16b, v2.16b')
declare -A peak_name=([neon]='smlal' [dotprod]='sdot' [i8mm]='usmmla')

echo "${heading}"
echo
echo "No ARM hardware here: \`bench/arm_mca.sh\` compiles a ${rows} x ${channels} x ${depth}"
echo "fully connected layer for each ISA level with \`qopt-compile --target=aarch64-<isa>\`,"
echo "extracts the innermost reduction loop from the object's disassembly and runs"
echo "\`llvm-mca\` (LLVM 22's Neoverse-N1 and -V1 scheduling models) on it."
echo "MACs per cycle = MACs per iteration (sdot 16, smmla/usmmla 32, smlal .4s 4)"
echo "/ the model's steady-state cycles per iteration. The peak is the same model's"
echo "for a block of 16 independent instructions of the kind (distinct accumulators,"
echo "no loads), so it assumes the MAC instruction is the only limit:"
echo "the fraction shows what loads, address arithmetic and the loop cost on top."
echo "Neoverse-N1 has no i8mm."
echo
echo "| ISA | instruction | loop: instructions / MAC instructions | CPU | cycles / iteration | MACs / cycle | model peak MACs / cycle | of peak |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for isa in neon dotprod i8mm; do
  gen_layer "${input[$isa]}" > "${work}/${isa}.mlir"
  compile_loop "${isa}" "${isa}" "${pattern[$isa]}"
  n_insns=$(grep -c '^  ' "${work}/${isa}.s")
  n_mac=$(grep -cE "^  ${pattern[$isa]}\b" "${work}/${isa}.s")
  loop_macs=$((n_mac * macs[$isa]))
  {
    echo ".Lpeak:"
    peak_block "${peak_insn[$isa]}"
  } > "${work}/${isa}-peak.s"
  for cpu in "${cpus[@]}"; do
    if [[ ${isa} == i8mm && ${cpu} == neoverse-n1 ]]; then
      continue
    fi
    cycles=$(mca_cycles "${work}/${isa}.s" "${cpu}")
    peak_cycles=$(mca_cycles "${work}/${isa}-peak.s" "${cpu}")
    awk -v isa="${isa}" -v insn="${peak_name[$isa]}" -v n="${n_insns}" \
      -v m="${n_mac}" -v cpu="${cpu}" -v c="${cycles}" -v macs="${loop_macs}" \
      -v pc="${peak_cycles}" -v pm="$((16 * macs[$isa]))" 'BEGIN {
        rate = macs / c; peak = pm / pc
        printf "| %s | %s | %d / %d | %s | %.2f | %.1f | %.1f | %.0f%% |\n",
               isa, insn, n, m, cpu, c, rate, peak, 100 * rate / peak }'
  done
done

# Depthwise: neon takes widened multiplies (mla on i32 lanes, weights
# widened at compile time), dotprod and i8mm sdot over groups of 4 taps on
# s8 input (MobileNetV2's int8 activations; i8mm's smmla needs 2 rows per
# vector, so its depthwise layers take sdot too).
declare -A dw_pattern=([neon]='mla\s+v[0-9]+\.4s' [dotprod]='sdot' [i8mm]='sdot')
declare -A dw_name=([neon]='mla' [dotprod]='sdot' [i8mm]='sdot')
declare -A dw_input=([neon]=i8 [dotprod]=i8 [i8mm]=i8)
echo
echo "Depthwise 3x3 over 28x28x192 (MobileNetV2's row, padded), the interior tile"
echo "loop of \`qopt-compile --target=aarch64-<isa>\` on s8 input: its taps, the"
echo "interleaving of input columns into groups of taps (sdot), the requantization"
echo "epilogue (sqrdmulh, rounding shift, zero point, clamp, narrowing) and the"
echo "stores. Outputs per iteration = 4 x the loop's sqrdmulh; multiply-adds"
echo "= 9 per output."
echo
echo "| ISA | instruction | loop: instructions / MAC instructions | outputs / iteration | CPU | cycles / iteration | cycles / output | MACs / cycle |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for isa in neon dotprod i8mm; do
  gen_depthwise "${dw_input[$isa]}" > "${work}/dw-${isa}.mlir"
  compile_loop "dw-${isa}" "${isa}" "${dw_pattern[$isa]}"
  n_insns=$(grep -c '^  ' "${work}/dw-${isa}.s")
  n_mac=$(grep -cE "^  ${dw_pattern[$isa]}\b" "${work}/dw-${isa}.s")
  outputs=$((4 * $(grep -cE '^  sqrdmulh\b' "${work}/dw-${isa}.s")))
  for cpu in "${cpus[@]}"; do
    cycles=$(mca_cycles "${work}/dw-${isa}.s" "${cpu}")
    awk -v isa="${isa}" -v insn="${dw_name[$isa]}" -v n="${n_insns}" \
      -v m="${n_mac}" -v o="${outputs}" -v cpu="${cpu}" -v c="${cycles}" 'BEGIN {
        printf "| %s | %s | %d / %d | %d | %s | %.2f | %.2f | %.1f |\n",
               isa, insn, n, m, o, cpu, c, c / o, 9 * o / c }'
  done
done

echo
echo "The loops themselves (one iteration each):"
for isa in neon dotprod i8mm; do
  echo
  echo "<details><summary>${isa}</summary>"
  echo
  echo '```asm'
  cat "${work}/${isa}.s"
  echo '```'
  echo
  echo "</details>"
done
echo
echo "The depthwise loops' instructions by mnemonic (most frequent first):"
echo
for isa in neon dotprod i8mm; do
  printf -- '- %s: %s\n' "${isa}" "$(awk '/^  / { n[$1]++ } END {
      for (m in n) printf "%d %s\n", n[m], m }' "${work}/dw-${isa}.s" |
    sort -rn | head -n 12 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
done
