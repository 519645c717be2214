# -*- Python -*-
# lit configuration of the qopt regression tests (test/).

import os
import platform
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "qopt"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qopt_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%qopt_src_root", config.qopt_src_root))
config.substitutions.append(("%qopt_obj_root", config.qopt_obj_root))
# qopt's runtime (lib/Runtime), which programs of code compiled with
# parallel=true link (with -lpthread).
config.substitutions.append(
    ("%qopt_runtime",
     os.path.join(config.qopt_obj_root, "lib", "libQOptRuntime.a")))
# The toolchain qopt was built with, for test/Install to build a consumer of
# the installed package the same way (and through the same ccache).
config.substitutions.append(("%{cmake}", config.cmake_command))
config.substitutions.append(("%{cmake_generator}", config.cmake_generator))
config.substitutions.append(("%{c_compiler}", config.c_compiler))
config.substitutions.append(("%{cxx_compiler}", config.cxx_compiler))
config.substitutions.append(("%{cxx_compiler_launcher}",
                             config.cxx_compiler_launcher))
if config.cmake_generator == "Ninja":
    config.available_features.add("ninja-generator")
# Pass statistics (--mlir-pass-statistics) count only in an LLVM built with
# LLVM_FORCE_ENABLE_STATS (or assertions, with which qopt is not built):
# Debian's LLVM 22 compiles them out, and the report is empty.
llvm_config_h = os.path.join(os.path.dirname(config.llvm_tools_dir), "include",
                             "llvm", "Config", "llvm-config.h")
if os.path.exists(llvm_config_h) and \
        "#define LLVM_FORCE_ENABLE_STATS 1" in open(llvm_config_h).read():
    config.available_features.add("pass-statistics")

# A sanitized build (scripts/test.sh --sanitize): the qopt tools carry ASan
# and UBSan; libMLIR.so, libLLVM.so and the code the JIT emits do not, which
# only means that their bugs go unseen. A report aborts the tool, so that a
# test expecting the tool to fail (`not qopt ...`) fails on it too; leaks are
# reported at exit. Tests that cannot run instrumented say
# `UNSUPPORTED: sanitizers` with the reason. The LLVM allocators inlined into
# qopt's code poison the slabs they start and libMLIR's uninstrumented copies
# hand out the rest without unpoisoning, so manual poisoning is off
# (allow_user_poisoning=0, as in tools/qopt-fuzz): it cannot be coherent
# across the two.
if config.llvm_use_sanitizer:
    config.available_features.add("sanitizers")
    symbolizer = os.path.join(config.llvm_tools_dir, "llvm-symbolizer")
    config.environment["ASAN_OPTIONS"] = (
        "detect_leaks=1:abort_on_error=1:halt_on_error=1:"
        "allow_user_poisoning=0")
    config.environment["UBSAN_OPTIONS"] = (
        "print_stacktrace=1:abort_on_error=1:halt_on_error=1")
    config.environment["ASAN_SYMBOLIZER_PATH"] = symbolizer
    # Debian's mlir-opt loads the instrumented qopt-plugin.so
    # (test/Tools/qopt-plugin.mlir) only when the ASan runtime, which also
    # carries UBSan's, is loaded before everything else: the tests' mlir-opt
    # preloads it.
    asan_runtime = subprocess.check_output(
        [config.cxx_compiler,
         "-print-file-name=libclang_rt.asan-%s.so" % platform.machine()],
        text=True).strip()
    sanitized_tools = [ToolSubst(
        "mlir-opt", command="env",
        extra_args=["LD_PRELOAD=" + asan_runtime,
                    os.path.join(config.llvm_tools_dir, "mlir-opt")])]
else:
    sanitized_tools = []

# The mlir-opt plugin (tools/qopt-plugin), built with MLIR_LINK_MLIR_DYLIB.
qopt_plugin = os.path.join(config.qopt_obj_root, "lib", "qopt-plugin.so")
if os.path.exists(qopt_plugin):
    config.available_features.add("qopt-plugin")
config.substitutions.append(("%qopt_plugin", qopt_plugin))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "CCACHE_DIR", "CCACHE_BASEDIR"])
llvm_config.use_default_substitutions()

tool_dirs = [config.qopt_tools_dir, config.llvm_tools_dir]
tools = ["qopt", "qopt-compile", "qopt-run", "qopt-translate"]
llvm_config.add_tool_substitutions(tools + sanitized_tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.qopt_tools_dir, append_path=True)
