#===- bootstrap.sh - Install, configure and build qopt -------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Sourced by the README's commands (scripts/run-example.sh, scripts/test.sh);
# not meant to be run by itself. Provides:
#   qopt_install_deps       apt-get install whatever of QOPT_PACKAGES is missing,
#                           and fetch the AArch64 OpenMP runtime (below)
#   qopt_build TARGET...    configure ${QOPT_BUILD_DIR} if needed, then build
#
# Environment: QOPT_BUILD_DIR (default: <source>/build, or
# <source>/build-sanitize with QOPT_SANITIZE=1), QOPT_SANITIZE (non-empty:
# build everything with AddressSanitizer and UndefinedBehaviorSanitizer),
# QOPT_CMAKE_ARGS (an array of extra arguments for the first configure).
#
#===-----------------------------------------------------------------------===#

QOPT_SRC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QOPT_LLVM_PREFIX=/usr/lib/llvm-22
if [[ -n "${QOPT_SANITIZE:-}" ]]; then
  # ASan + UBSan (QOPT_ENABLE_SANITIZERS in CMakeLists.txt): a build
  # directory of its own, as the instrumented objects share nothing with the
  # normal build.
  QOPT_BUILD_DIR="${QOPT_BUILD_DIR:-${QOPT_SRC_ROOT}/build-sanitize}"
  QOPT_CMAKE_ARGS+=(-DQOPT_ENABLE_SANITIZERS=ON)
fi
QOPT_BUILD_DIR="${QOPT_BUILD_DIR:-${QOPT_SRC_ROOT}/build}"

# Debian 12 packages: the LLVM/MLIR 22 toolchain (see README.md), the
# build tools, gtest, and the AArch64 cross toolchain and user-mode emulator
# that test/Integration/ARM runs the compiled model with (the C library is
# only a Recommends of the cross gcc, which --no-install-recommends skips).
# libzstd/libedit/libcurl only satisfy LLVM's CMake package checks; libomp
# is the OpenMP runtime of code compiled with parallel=true
# parallel-runtime=openmp (and of the bench's peers). PyTorch 1.13,
# torchvision, numpy and scikit-learn (its load_digits data) are what
# python/qopt_torch imports and what test/PyTorch checks qopt against.
QOPT_PACKAGES=(
  cmake ninja-build ccache python3
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev libzstd-dev libedit-dev libcurl4-openssl-dev
  qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  libomp-22-dev curl
  python3-numpy python3-torch python3-torchvision python3-sklearn
)

qopt_log() { printf '\n== %s\n' "$*" >&2; }

qopt_install_deps() {
  qopt_install_packages && qopt_fetch_aarch64_openmp
}

qopt_install_packages() {
  local missing=()
  local pkg
  for pkg in "${QOPT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("${pkg}")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  qopt_log "installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# Code compiled with parallel=true parallel-runtime=openmp calls LLVM's
# OpenMP runtime, which the cross toolchain lacks (gcc's libgomp has no
# __kmpc_fork_call). The Debian
# package of the host's libomp.so.5 is fetched for arm64 from the archive
# and unpacked into ${QOPT_BUILD_DIR}/deps/aarch64-openmp, where the AArch64
# OpenMP tests find it (test/Integration/lit.local.cfg); installing it
# would need arm64 as a foreign architecture of the whole system. Without it
# those tests are unsupported, not failed.
qopt_fetch_aarch64_openmp() {
  local dir="${QOPT_BUILD_DIR}/deps/aarch64-openmp"
  [[ -f "${dir}/libomp.so.5" ]] && return 0
  local lib package version filename tmp base
  lib="$(readlink -f "${QOPT_LLVM_PREFIX}/lib/libomp.so.5")" || true
  package="$(dpkg-query -S "${lib}" 2>/dev/null | head -1 | cut -d: -f1)" ||
    true
  version="$(dpkg-query -W -f='${Version}' "${package}" 2>/dev/null)" || true
  filename="$(apt-cache show "${package}=${version}" 2>/dev/null |
    sed -n 's/^Filename: //p' | head -1)" || true
  if [[ -z "${filename}" ]]; then
    qopt_log "no package of ${lib} known: AArch64 --parallel tests unsupported"
    return 0
  fi
  filename="${filename%_*}_arm64.deb"
  tmp="$(mktemp -d)"
  for base in http://deb.debian.org/debian http://deb.debian.org/debian-security; do
    if curl -sfL -o "${tmp}/package.deb" "${base}/${filename}"; then
      qopt_log "fetched ${base}/${filename}"
      break
    fi
  done
  if [[ -f "${tmp}/package.deb" ]] &&
    dpkg-deb -x "${tmp}/package.deb" "${tmp}/root"; then
    mkdir -p "${dir}"
    cp "$(readlink -f "${tmp}/root/usr/lib/aarch64-linux-gnu/libomp.so.5")" \
      "${dir}/libomp.so.5"
  else
    qopt_log "could not fetch ${filename}: AArch64 --parallel tests unsupported"
  fi
  rm -rf "${tmp}"
}

qopt_build() {
  # ccache only hits across checkouts when paths are relative to a base.
  export CCACHE_BASEDIR="${QOPT_SRC_ROOT}"
  if [[ ! -f "${QOPT_BUILD_DIR}/build.ninja" ]]; then
    qopt_log "configuring ${QOPT_BUILD_DIR}"
    CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "${QOPT_SRC_ROOT}" \
      -B "${QOPT_BUILD_DIR}" \
      -DMLIR_DIR="${QOPT_LLVM_PREFIX}/lib/cmake/mlir" \
      -DLLVM_EXTERNAL_LIT="${QOPT_LLVM_PREFIX}/bin/lit" \
      -DCMAKE_BUILD_TYPE=Release -DLLVM_USE_LINKER=lld \
      -DMLIR_LINK_MLIR_DYLIB=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      "${QOPT_CMAKE_ARGS[@]}" \
      >"${QOPT_BUILD_DIR}.configure.log" 2>&1 ||
      { cat "${QOPT_BUILD_DIR}.configure.log" >&2; return 1; }
  fi
  qopt_log "building $*"
  ninja -C "${QOPT_BUILD_DIR}" "$@"
}

# The code generation targets this machine can run, comma-separated: x86
# natively as far as the CPU has the instructions, AArch64 under qemu when
# qemu-user and the cross compiler are installed.
qopt_runnable_targets() {
  local targets=generic
  grep -q avx2 /proc/cpuinfo && targets+=,x86-avx2
  grep -q avx512_vnni /proc/cpuinfo && targets+=,x86-avx512vnni
  grep -q avx512_vnni /proc/cpuinfo && grep -q avx512vbmi /proc/cpuinfo &&
    grep -q avx512ifma /proc/cpuinfo && targets+=,x86-avx512ifma
  grep -q amx_int8 /proc/cpuinfo && targets+=,x86-amx
  if command -v qemu-aarch64 >/dev/null &&
    command -v aarch64-linux-gnu-gcc >/dev/null; then
    targets+=,aarch64-neon,aarch64-dotprod,aarch64-i8mm
  fi
  echo "${targets}"
}
