//===- Npy.cpp - NumPy .npy files for the tools ---------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The format (numpy/lib/format.py): the magic "\x93NUMPY", a major and a
// minor version byte, the header length (2 bytes little-endian in version
// 1.0, 4 bytes in 2.0 and 3.0), and the header, a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final newline so that the data starts at a
// multiple of 64 bytes. The data follows.
//
//===----------------------------------------------------------------------===//

#include "qopt/Interpreter/Npy.h"

#include "qopt/Support/FileUtilities.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qopt;
using namespace qopt::npy;
using qopt::interpreter::Tensor;

static constexpr llvm::StringLiteral kMagic("\x93NUMPY");
/// numpy itself reads no header longer than 10000 bytes unless told to; the
/// longest shape qopt takes needs far less.
static constexpr uint32_t kMaxHeaderLength = 1 << 16;

namespace {

/// The dtypes qopt's tensors use.
struct DType {
  llvm::StringLiteral descr;
  unsigned bytes;
  enum Kind { Float, Signed, Unsigned } kind;
};

constexpr DType kDTypes[] = {
    {"<f2", 2, DType::Float},    {"<f4", 4, DType::Float},
    {"<f8", 8, DType::Float},    {"|i1", 1, DType::Signed},
    {"|u1", 1, DType::Unsigned}, {"<i2", 2, DType::Signed},
    {"<u2", 2, DType::Unsigned}, {"<i4", 4, DType::Signed},
    {"<u4", 4, DType::Unsigned}, {"<i8", 8, DType::Signed},
};

const DType *findDType(StringRef descr) {
  for (const DType &dtype : kDTypes)
    if (dtype.descr == descr)
      return &dtype;
  return nullptr;
}

/// A parser of the header's dict literal, which holds exactly the keys
/// 'descr' (a string), 'fortran_order' (a bool) and 'shape' (a tuple of
/// integers), in any order.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  llvm::Error parse(Array &array) {
    bool fortranOrder = true, seenDescr = false, seenOrder = false,
         seenShape = false;
    if (!consume("{"))
      return error("expected '{'");
    while (!consume("}")) {
      std::string key;
      if (llvm::Error err = parseString(key))
        return err;
      if (!consume(":"))
        return error("expected ':' after '" + key + "'");
      // numpy keeps a repeated key's last value; read here, two shapes would
      // add up to one.
      bool *seen = key == "descr"           ? &seenDescr
                   : key == "fortran_order" ? &seenOrder
                   : key == "shape"         ? &seenShape
                                            : nullptr;
      if (!seen)
        return error("unexpected key '" + key + "'");
      if (*seen)
        return error("repeated key '" + key + "'");
      *seen = true;
      if (key == "descr") {
        if (llvm::Error err = parseString(array.descr))
          return err;
      } else if (key == "fortran_order") {
        if (consume("True"))
          fortranOrder = true;
        else if (consume("False"))
          fortranOrder = false;
        else
          return error("expected True or False for 'fortran_order'");
      } else if (llvm::Error err = parseShape(array.shape)) {
        return err;
      }
      if (!consume(",") && !peek("}"))
        return error("expected ',' or '}'");
    }
    if (!seenDescr || !seenOrder || !seenShape)
      return error("the header lacks 'descr', 'fortran_order' or 'shape'");
    if (fortranOrder)
      return error("Fortran-order data is not supported");
    return llvm::Error::success();
  }

private:
  void skipSpaces() { rest = rest.ltrim(" \t\n"); }

  bool peek(StringRef token) {
    skipSpaces();
    return rest.starts_with(token);
  }

  bool consume(StringRef token) {
    skipSpaces();
    return rest.consume_front(token);
  }

  llvm::Error parseString(std::string &value) {
    skipSpaces();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return error("expected a string");
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return error("unterminated string");
    value = rest.slice(1, end).str();
    rest = rest.drop_front(end + 1);
    return llvm::Error::success();
  }

  llvm::Error parseShape(SmallVectorImpl<int64_t> &shape) {
    if (!consume("("))
      return error("expected a tuple for 'shape'");
    while (!consume(")")) {
      skipSpaces();
      size_t digits = rest.find_first_not_of("0123456789");
      int64_t size;
      if (rest.take_front(digits).getAsInteger(10, size))
        return error("expected a dimension size");
      rest = rest.drop_front(digits);
      shape.push_back(size);
      if (!consume(",") && !peek(")"))
        return error("expected ',' or ')' in 'shape'");
    }
    return llvm::Error::success();
  }

  llvm::Error error(const llvm::Twine &message) {
    return llvm::createStringError("malformed header: " + message);
  }

  StringRef rest;
};

llvm::Error fileError(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(path + ": " + message);
}

} // namespace

std::string npy::formatShape(ArrayRef<int64_t> shape) {
  std::string text = "(";
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, ", ");
  // A one-element tuple needs its comma.
  if (shape.size() == 1)
    os << ',';
  os << ')';
  return text;
}

llvm::Expected<Array> npy::readFile(StringRef path, uint64_t maxDataBytes) {
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return fileError(path, llvm::toString(file.takeError()));
  llvm::scope_exit closeFile([&] { llvm::sys::fs::closeFile(*file); });
  // Reads exactly `buffer.size()` bytes, or fails with `truncated`.
  auto read = [&](MutableArrayRef<char> buffer,
                  StringRef truncated) -> llvm::Error {
    llvm::Expected<size_t> size = readFully(*file, buffer);
    if (!size)
      return fileError(path, llvm::toString(size.takeError()));
    if (*size < buffer.size())
      return fileError(path, truncated);
    return llvm::Error::success();
  };

  // The magic, the version and the first byte of the header's length.
  char preamble[kMagic.size() + 3];
  if (llvm::Error err = read(preamble, "not a .npy file"))
    return std::move(err);
  if (!StringRef(preamble, sizeof(preamble)).starts_with(kMagic))
    return fileError(path, "not a .npy file");
  unsigned major = uint8_t(preamble[kMagic.size()]);
  if (major < 1 || major > 3)
    return fileError(path,
                     "unsupported .npy format version " + llvm::Twine(major));
  // The header's length: 2 bytes little-endian in version 1.0, 4 after.
  unsigned lengthBytes = major == 1 ? 2 : 4;
  char length[4] = {preamble[kMagic.size() + 2]};
  if (llvm::Error err = read({length + 1, lengthBytes - 1}, "truncated header"))
    return std::move(err);
  uint32_t headerLength =
      llvm::support::endian::read<uint32_t>(length, llvm::endianness::little);
  if (headerLength > kMaxHeaderLength)
    return fileError(path, "the header of " + llvm::Twine(headerLength) +
                               " bytes is longer than " +
                               llvm::Twine(kMaxHeaderLength));
  std::string header(headerLength, '\0');
  if (llvm::Error err = read(header, "truncated header"))
    return std::move(err);

  Array array;
  if (llvm::Error err = HeaderParser(header).parse(array))
    return fileError(path, llvm::toString(std::move(err)));
  const DType *dtype = findDType(array.descr);
  if (!dtype)
    return fileError(path, "unsupported dtype '" + array.descr + "'");
  // The exact size of the data, known before any of it is read.
  std::string layout =
      "dtype '" + array.descr + "' and shape " + formatShape(array.shape);
  int64_t size = dtype->bytes;
  for (int64_t dim : array.shape)
    if (llvm::MulOverflow(size, dim, size))
      return fileError(path, layout + " need more than 2^63 data bytes");
  if (uint64_t(size) > maxDataBytes)
    return fileError(path, layout + " need " + llvm::Twine(size) +
                               " data bytes, more than the limit of " +
                               llvm::Twine(maxDataBytes));
  auto mismatch = [&](const llvm::Twine &held) {
    return fileError(path, "holds " + held + " data bytes but " + layout +
                               " need " + llvm::Twine(size));
  };
  // A regular file says how much data it holds; a pipe or a device is read
  // up to one byte past the data.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(*file, status))
    return fileError(path, ec.message());
  if (status.type() == llvm::sys::fs::file_type::regular_file) {
    uint64_t held =
        status.getSize() - (kMagic.size() + 2 + lengthBytes + headerLength);
    if (held != uint64_t(size))
      return mismatch(llvm::Twine(held));
  }
  array.data.resize(size);
  llvm::Expected<size_t> held = readFully(*file, array.data);
  if (!held)
    return fileError(path, llvm::toString(held.takeError()));
  if (*held < array.data.size())
    return mismatch(llvm::Twine(*held));
  char extra;
  llvm::Expected<size_t> more = readFully(*file, {&extra, 1});
  if (!more)
    return fileError(path, llvm::toString(more.takeError()));
  if (*more)
    return mismatch("more than " + llvm::Twine(size));
  return array;
}

llvm::Error npy::writeFile(StringRef path, const Array &array) {
  std::string header =
      "{'descr': '" + array.descr +
      "', 'fortran_order': False, 'shape': " + formatShape(array.shape) + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded with spaces
  // to a multiple of 64 as numpy does.
  size_t unpadded = kMagic.size() + 4 + header.size() + 1;
  header.append(llvm::alignTo(unpadded, 64) - unpadded, ' ');
  header.push_back('\n');

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fileError(path, ec.message());
  char length[2];
  llvm::support::endian::write<uint16_t>(length, header.size(),
                                         llvm::endianness::little);
  os << kMagic << '\x01' << '\x00';
  os.write(length, 2);
  os << header;
  os.write(array.data.data(), array.data.size());
  return closeOutput(os, path);
}

std::optional<StringRef> npy::getDescr(Type elementType) {
  if (elementType.isF16())
    return StringRef("<f2");
  if (elementType.isF32())
    return StringRef("<f4");
  if (elementType.isF64())
    return StringRef("<f8");
  unsigned width;
  bool isSigned;
  if (auto quantized = dyn_cast<quant::QuantizedType>(elementType)) {
    width = quantized.getStorageTypeIntegralWidth();
    isSigned = quantized.isSigned();
  } else if (auto integer = dyn_cast<IntegerType>(elementType)) {
    width = integer.getWidth();
    isSigned = !integer.isUnsigned();
  } else {
    return std::nullopt;
  }
  for (const DType &dtype : kDTypes)
    if (dtype.kind == (isSigned ? DType::Signed : DType::Unsigned) &&
        dtype.bytes * 8 == width)
      return StringRef(dtype.descr);
  return std::nullopt;
}

Tensor npy::toTensor(const Array &array, RankedTensorType type) {
  return interpreter::fromBytes(array.data, type, llvm::endianness::little);
}

Array npy::fromTensor(const Tensor &tensor) {
  return {getDescr(tensor.getElementType())->str(),
          SmallVector<int64_t>(tensor.getShape()),
          interpreter::toBytes(tensor, llvm::endianness::little)};
}

llvm::Expected<Tensor> npy::readArgument(StringRef path, unsigned index,
                                         RankedTensorType type,
                                         uint64_t maxDataBytes) {
  std::string typeText;
  llvm::raw_string_ostream(typeText) << type;
  std::optional<StringRef> descr = getDescr(type.getElementType());
  if (!descr)
    return llvm::createStringError("argument #" + llvm::Twine(index) + " (" +
                                   typeText + ") has no .npy dtype");
  llvm::Expected<Array> array = readFile(path, maxDataBytes);
  if (!array)
    return array.takeError();
  std::string mismatch;
  if (array->descr != *descr)
    mismatch = "dtype '" + array->descr + "' but argument #" +
               std::to_string(index) + " needs '" + descr->str() + "'";
  else if (ArrayRef<int64_t>(array->shape) != type.getShape())
    mismatch = "shape " + formatShape(array->shape) + " but argument #" +
               std::to_string(index) + " needs " + formatShape(type.getShape());
  if (!mismatch.empty())
    return llvm::createStringError(path + ": has " + mismatch + " (" +
                                   typeText + ")");
  return toTensor(*array, type);
}
