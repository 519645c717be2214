//===- FileUtilities.h - Bounded input, checked output ----------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// How the qopt tools read and write files, so that a hostile file or a full
// disk is an error naming the file: mlir::openInputFile reads until the end
// of the file, which /dev/zero never reaches (the tool runs out of memory),
// and a raw_fd_ostream that failed to write reports it from its destructor
// by aborting ("LLVM ERROR: IO failure on output stream").
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_FILEUTILITIES_H
#define QOPT_SUPPORT_FILEUTILITIES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LogicalResult.h"

#include <cstdint>
#include <memory>
#include <string>

namespace llvm {
class MemoryBuffer;
class raw_fd_ostream;
class raw_ostream;
} // namespace llvm

namespace qopt {

/// The default of --max-ir-bytes: far above the text of the largest network
/// qopt handles (MobileNetV2's float weights in hex are about 30 MB).
inline constexpr uint64_t kDefaultMaxIRBytes = uint64_t(1) << 30;

/// Registers --max-ir-bytes, the largest IR file openIRFile reads. Without
/// it, the limit is kDefaultMaxIRBytes.
void registerIRFileCLOptions();

/// The contents of the IR file `path` ("-" is standard input), null-
/// terminated as the MLIR parser wants them, or null with `errorMessage` set
/// to a message naming the file when it cannot be read or is larger than
/// --max-ir-bytes: a regular file by its size, before anything is read;
/// anything else (a pipe, a device such as /dev/zero) by reading at most one
/// byte more than the limit.
std::unique_ptr<llvm::MemoryBuffer> openIRFile(llvm::StringRef path,
                                               std::string *errorMessage);

/// Reads from `file` until `buffer` is full or the file ends, and returns the
/// number of bytes read: fewer than `buffer` holds only at the end of the
/// file.
llvm::Expected<size_t> readFully(llvm::sys::fs::file_t file,
                                 llvm::MutableArrayRef<char> buffer);

/// What mlir-opt and mlir-translate do with their files, with the checks
/// above: reads the IR file `inputPath` ("-" is standard input) with
/// openIRFile, runs `process` on it writing to `outputPath` ("-" is standard
/// output), which is kept only when `process` succeeds, and returns the
/// tool's exit code. Errors opening, reading or writing the files are
/// reported naming the file, after `toolName`.
int processIRFile(
    llvm::StringRef toolName, llvm::StringRef inputPath,
    llvm::StringRef outputPath,
    llvm::function_ref<llvm::LogicalResult(
        std::unique_ptr<llvm::MemoryBuffer> input, llvm::raw_ostream &os)>
        process);

/// Closes `os`, the stream writing `path` (flushes it, for standard output),
/// and returns the error it met (a full disk) as a message naming the file.
/// The stream's error is cleared, so that its destructor does not abort.
llvm::Error closeOutput(llvm::raw_fd_ostream &os, llvm::StringRef path);

} // namespace qopt

#endif // QOPT_SUPPORT_FILEUTILITIES_H
