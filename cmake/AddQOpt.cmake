# Helpers that build qopt libraries on top of MLIR's CMake functions and
# export them as the QOpt package (see cmake/CMakeLists.txt).

# add_qopt_library(name sources... [DEPENDS ...] [MLIR_LIBS ...] [LINK_LIBS ...])
#
# MLIR_LIBS are upstream MLIR libraries; they are linked through
# mlir_target_link_libraries so that MLIR_LINK_MLIR_DYLIB redirects them to
# libMLIR.so. LINK_LIBS are other qopt libraries.
function(add_qopt_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;MLIR_LIBS;LINK_LIBS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  endif()
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${QOPT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${QOPT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  set_property(GLOBAL APPEND PROPERTY QOPT_LIBS ${name})
  install(TARGETS ${name} EXPORT QOptTargets
    ARCHIVE DESTINATION lib${LLVM_LIBDIR_SUFFIX}
    LIBRARY DESTINATION lib${LLVM_LIBDIR_SUFFIX}
    COMPONENT ${name})
endfunction()
