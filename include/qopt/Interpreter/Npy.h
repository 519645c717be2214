//===- Npy.h - NumPy .npy files for the tools -------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes the .npy format of numpy.save (format versions 1.0 to
// 3.0, little-endian data in C order), and converts between .npy arrays and
// the interpreter's tensors.
//
// Why not a library: the one maintained C++ .npy reader Debian 12 packages is
// xtensor's xnpy.hpp (libxtensor-dev). It reports a malformed file by
// throwing, and qopt, like LLVM, builds with -fno-exceptions, under which
// XTENSOR_THROW is std::abort() without a message; it also brings in the
// whole of xtensor for a format that is a magic string, a Python dict literal
// and raw data. LLVM has no .npy support.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_INTERPRETER_NPY_H
#define QOPT_INTERPRETER_NPY_H

#include "qopt/Interpreter/Interpreter.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace qopt::npy {

/// The contents of a .npy file: the dtype descriptor (e.g. "<f4", "|u1"),
/// the shape and the raw little-endian, row-major data.
struct Array {
  std::string descr;
  llvm::SmallVector<int64_t> shape;
  std::vector<char> data;
};

/// Reads a .npy file: the header, then exactly the data its dtype and shape
/// need, which must be at most `maxDataBytes`. Fails, with a message naming
/// the file and before anything larger than the header is read, on a
/// malformed file, Fortran order, a dtype other than those getDescr returns
/// (big-endian data included) and data of the wrong size or over the limit.
/// The file may be a pipe or a device (/dev/stdin): it is read up to one
/// byte past the data.
llvm::Expected<Array> readFile(llvm::StringRef path, uint64_t maxDataBytes);

/// Writes `array` as a version 1.0 .npy file.
llvm::Error writeFile(llvm::StringRef path, const Array &array);

/// The dtype of the values of tensors of element type `elementType`: "<f2",
/// "<f4", "<f8" for floats; for integers and the storage of quantized types
/// "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8". None for other types.
std::optional<llvm::StringRef> getDescr(mlir::Type elementType);

/// The tensor of type `type` holding the values of `array`, whose shape must
/// be that of `type` and whose dtype that getDescr gives its element type.
interpreter::Tensor toTensor(const Array &array, mlir::RankedTensorType type);

/// The array holding the values of `tensor`, whose element type must have a
/// dtype (getDescr).
Array fromTensor(const interpreter::Tensor &tensor);

/// The tensor of argument #`index` of a function, of type `type`, read from
/// `path`. The error names the file when it cannot be read (readFile) or
/// holds another dtype or shape than `type`'s, or the argument when its
/// type has no dtype.
llvm::Expected<interpreter::Tensor> readArgument(llvm::StringRef path,
                                                 unsigned index,
                                                 mlir::RankedTensorType type,
                                                 uint64_t maxDataBytes);

/// "(2, 3)", as numpy writes shapes.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace qopt::npy

#endif // QOPT_INTERPRETER_NPY_H
