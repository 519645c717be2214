# Helpers that build qopt libraries on top of MLIR's CMake functions and
# export them as the QOpt package (see cmake/CMakeLists.txt).

# add_qopt_library(name sources... [C_API] [DEPENDS ...] [MLIR_LIBS ...]
#                  [LINK_LIBS ...])
#
# MLIR_LIBS are upstream MLIR libraries; they are linked through
# mlir_target_link_libraries so that MLIR_LINK_MLIR_DYLIB redirects them to
# libMLIR.so. LINK_LIBS are other qopt libraries. C_API makes it a library
# of the C API (add_mlir_public_c_api_library: the C functions exported, the
# C++ hidden).
function(add_qopt_library name)
  cmake_parse_arguments(ARG "C_API" "" "DEPENDS;MLIR_LIBS;LINK_LIBS" ${ARGN})
  if(ARG_C_API)
    set(add_library add_mlir_public_c_api_library)
  else()
    set(add_library add_mlir_library)
  endif()
  cmake_language(CALL ${add_library} ${name} ${ARG_UNPARSED_ARGUMENTS}
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

# add_qopt_tool(name sources... [LINK_LIBS ...] [MLIR_LIBS ...])
#
# A command-line tool: built by default (`cmake --build`), installed into
# bin/ by `cmake --install` and exported as QOpt::<name>. add_mlir_tool would
# do neither outside LLVM's tree: there LLVM_BUILD_TOOLS is unset, so it marks
# the tool EXCLUDE_FROM_ALL and installs nothing. LINK_LIBS and MLIR_LIBS are
# as for add_qopt_library.
function(add_qopt_tool name)
  cmake_parse_arguments(ARG "" "" "MLIR_LIBS;LINK_LIBS" ${ARGN})
  add_llvm_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS})
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PRIVATE ${ARG_MLIR_LIBS})
  endif()
  # add_llvm_executable gives the installed tool the RPATH $ORIGIN/../lib,
  # which finds libMLIR.so only when qopt is installed into LLVM's own prefix;
  # also keep the directories of the libraries it was linked with.
  set_target_properties(${name} PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  install(TARGETS ${name} EXPORT QOptTargets RUNTIME DESTINATION bin
    COMPONENT ${name})
endfunction()
