//===- FileUtilities.cpp - Bounded input, checked output ------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/FileUtilities.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace qopt;

namespace {
struct IRFileOptions {
  llvm::cl::opt<uint64_t> maxBytes{
      "max-ir-bytes",
      llvm::cl::desc("Refuse an input IR file larger than this many bytes "
                     "(default 1 GiB)"),
      llvm::cl::value_desc("bytes"), llvm::cl::init(kDefaultMaxIRBytes)};
};
} // namespace

static llvm::ManagedStatic<IRFileOptions> clOptions;

void qopt::registerIRFileCLOptions() { *clOptions; }

static uint64_t getMaxIRBytes() {
  return clOptions.isConstructed() ? clOptions->maxBytes.getValue()
                                   : kDefaultMaxIRBytes;
}

llvm::Expected<size_t> qopt::readFully(llvm::sys::fs::file_t file,
                                       llvm::MutableArrayRef<char> buffer) {
  size_t size = 0;
  while (size < buffer.size()) {
    llvm::Expected<size_t> read =
        llvm::sys::fs::readNativeFile(file, buffer.drop_front(size));
    if (!read)
      return read.takeError();
    if (*read == 0)
      break;
    size += *read;
  }
  return size;
}

std::unique_ptr<llvm::MemoryBuffer>
qopt::openIRFile(llvm::StringRef path, std::string *errorMessage) {
  llvm::StringRef name = path == "-" ? "<stdin>" : path;
  uint64_t maxBytes = getMaxIRBytes();
  auto fail = [&](const llvm::Twine &message) {
    *errorMessage = (name + ": " + message).str();
    return nullptr;
  };
  auto tooLarge = [&] {
    return fail("holds more than --max-ir-bytes=" + llvm::Twine(maxBytes) +
                " bytes");
  };

  llvm::sys::fs::file_t file = llvm::sys::fs::getStdinHandle();
  if (path != "-") {
    llvm::Expected<llvm::sys::fs::file_t> opened =
        llvm::sys::fs::openNativeFileForRead(path);
    if (!opened)
      return fail(llvm::toString(opened.takeError()));
    file = *opened;
  }
  llvm::scope_exit closeFile([&] {
    if (path != "-")
      llvm::sys::fs::closeFile(file);
  });

  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(file, status))
    return fail(ec.message());
  if (status.type() == llvm::sys::fs::file_type::regular_file) {
    if (status.getSize() > maxBytes)
      return tooLarge();
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getOpenFile(file, name, status.getSize());
    if (!buffer)
      return fail(buffer.getError().message());
    return std::move(*buffer);
  }

  // A pipe or a device has no size to check: read in chunks, up to one byte
  // past the limit.
  constexpr size_t kChunk = 1 << 16;
  llvm::SmallVector<char, 0> contents;
  while (true) {
    size_t size = contents.size();
    if (size > maxBytes)
      return tooLarge();
    contents.resize_for_overwrite(
        size + std::min<uint64_t>(kChunk, maxBytes + 1 - size));
    llvm::Expected<size_t> read =
        readFully(file, llvm::MutableArrayRef<char>(contents).drop_front(size));
    if (!read)
      return fail(llvm::toString(read.takeError()));
    if (size + *read < contents.size()) {
      contents.truncate(size + *read);
      break;
    }
  }
  return llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(contents.data(), contents.size()), name);
}

int qopt::processIRFile(
    llvm::StringRef toolName, llvm::StringRef inputPath,
    llvm::StringRef outputPath,
    llvm::function_ref<llvm::LogicalResult(std::unique_ptr<llvm::MemoryBuffer>,
                                           llvm::raw_ostream &)>
        process) {
  auto fail = [&](const llvm::Twine &message) {
    llvm::WithColor::error(llvm::errs(), toolName) << message << '\n';
    return EXIT_FAILURE;
  };
  // As mlir-opt does: a tool waiting for a terminal looks stuck.
  if (inputPath == "-" &&
      llvm::sys::Process::FileDescriptorIsDisplayed(fileno(stdin)))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openIRFile(inputPath, &errorMessage);
  if (!input)
    return fail(errorMessage);
  std::error_code ec;
  llvm::ToolOutputFile output(outputPath, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(outputPath + ": " + ec.message());

  llvm::LogicalResult result = process(std::move(input), output.os());
  // Also after a failure, which may have printed part of the output.
  if (llvm::Error err = closeOutput(output.os(), outputPath))
    return fail(llvm::toString(std::move(err)));
  if (llvm::failed(result))
    return EXIT_FAILURE;
  output.keep();
  return EXIT_SUCCESS;
}

llvm::Error qopt::closeOutput(llvm::raw_fd_ostream &os, llvm::StringRef path) {
  // Standard output stays open for whatever else the tool prints.
  if (path == "-")
    os.flush();
  else
    os.close();
  if (!os.has_error())
    return llvm::Error::success();
  std::string message = os.error().message();
  os.clear_error();
  return llvm::createStringError((path == "-" ? "<stdout>" : path) +
                                 ": cannot write: " + message);
}
