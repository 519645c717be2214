# -*- Python -*-
# lit configuration of the qopt gtest unit tests (unittests/): every binary
# whose name ends in "Tests" is run, one lit test per gtest case.

import os

import lit.formats

config.name = "qopt-unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.qopt_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
# The tests read reference vectors relative to the source tree.
config.environment["QOPT_SOURCE_DIR"] = config.qopt_src_root
