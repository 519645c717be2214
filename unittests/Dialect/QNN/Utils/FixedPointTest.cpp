//===- FixedPointTest.cpp - FixedPoint.h against gemmlowp vectors ---------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Checks every row of test/vectors/fixedpoint/*.csv, produced with Debian's
// libgemmlowp-dev (see test/vectors/README.md), against FixedPoint.h. The
// number of rows checked is compared with the documented row counts so that
// a missing or truncated file fails instead of passing vacuously.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::qnn;

namespace {

// Row counts documented in test/vectors/README.md.
constexpr size_t kSrdhmRows = 240;
constexpr size_t kRdbpotRows = 660;
constexpr size_t kMultiplierRows = 234;
constexpr size_t kRequantRows = 2473;
// Rows marked ovf = 1, where an int32 step wraps in gemmlowp. They are
// outside multiplyByQuantizedMultiplier's precondition and are not checked.
constexpr size_t kRequantOverflowRows = 85;

class CsvFile;

/// One data row; fields are looked up by the header's column names so that
/// the tests do not depend on the column order. Malformed fields are test
/// failures.
class CsvRow {
public:
  CsvRow(const CsvFile &file, size_t lineNumber, StringRef text);

  StringRef get(StringRef column) const;
  int64_t getInt(StringRef column) const;
  /// Parses with strtod, which reads the C99 hex floats (%a) the vectors use
  /// to be exact.
  double getDouble(StringRef column) const;

  friend std::ostream &operator<<(std::ostream &os, const CsvRow &row);

private:
  const CsvFile &file;
  size_t lineNumber;
  StringRef text;
  SmallVector<StringRef> fields;
};

/// A CSV file of test/vectors/fixedpoint with a header row. Rows point into
/// the file's buffer, hence neither copyable nor movable.
class CsvFile {
public:
  /// Reads $QOPT_SOURCE_DIR/test/vectors/fixedpoint/<name>. An unset variable
  /// or a missing file is a test failure (not a skip) and leaves no rows.
  explicit CsvFile(StringRef name);
  CsvFile(const CsvFile &) = delete;
  CsvFile &operator=(const CsvFile &) = delete;

  StringRef getName() const { return name; }
  ArrayRef<CsvRow> getRows() const { return rows; }

private:
  friend class CsvRow;

  std::string name;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  llvm::StringMap<size_t> columns;
  std::vector<CsvRow> rows;
};

CsvRow::CsvRow(const CsvFile &file, size_t lineNumber, StringRef text)
    : file(file), lineNumber(lineNumber), text(text) {
  text.split(fields, ',');
}

StringRef CsvRow::get(StringRef column) const {
  auto it = file.columns.find(column);
  if (it == file.columns.end() || it->second >= fields.size()) {
    ADD_FAILURE() << *this << ": no column '" << column.str() << "'";
    return {};
  }
  return fields[it->second];
}

int64_t CsvRow::getInt(StringRef column) const {
  int64_t value = 0;
  if (get(column).getAsInteger(10, value))
    ADD_FAILURE() << *this << ": '" << column.str() << "' is not an integer";
  return value;
}

double CsvRow::getDouble(StringRef column) const {
  std::string field = get(column).str();
  char *end = nullptr;
  double value = std::strtod(field.c_str(), &end);
  if (field.empty() || *end != '\0')
    ADD_FAILURE() << *this << ": '" << column.str() << "' is not a number";
  return value;
}

std::ostream &operator<<(std::ostream &os, const CsvRow &row) {
  return os << row.file.getName().str() << ":" << row.lineNumber << ": "
            << row.text.str();
}

CsvFile::CsvFile(StringRef fileName) : name(fileName.str()) {
  const char *sourceDir = std::getenv("QOPT_SOURCE_DIR");
  if (!sourceDir) {
    ADD_FAILURE() << "QOPT_SOURCE_DIR is not set; it must name the qopt "
                     "source tree (lit sets it, see unittests/lit.cfg.py)";
    return;
  }
  SmallString<256> path(sourceDir);
  llvm::sys::path::append(path, "test", "vectors", "fixedpoint", fileName);
  auto bufferOrError = llvm::MemoryBuffer::getFile(path);
  if (!bufferOrError) {
    ADD_FAILURE() << "cannot read " << path.str().str() << ": "
                  << bufferOrError.getError().message();
    return;
  }
  buffer = std::move(*bufferOrError);

  SmallVector<StringRef> lines;
  buffer->getBuffer().split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  if (lines.empty()) {
    ADD_FAILURE() << path.str().str() << " is empty";
    return;
  }
  SmallVector<StringRef> header;
  lines.front().split(header, ',');
  for (auto [index, column] : llvm::enumerate(header))
    columns[column] = index;
  for (size_t i = 1; i < lines.size(); ++i)
    rows.emplace_back(*this, /*lineNumber=*/i + 1, lines[i]);
}

/// Checks a decomposition against TFLite's. TFLite returns shifts above
/// kMaxShift, which quantizeMultiplier rejects.
void expectDecomposition(FailureOr<QuantizedMultiplier> actual,
                         int64_t multiplier, int64_t shift, const CsvRow &row) {
  if (shift > kMaxShift) {
    EXPECT_TRUE(failed(actual)) << row;
    return;
  }
  ASSERT_TRUE(succeeded(actual)) << row;
  EXPECT_EQ(actual->multiplier, multiplier) << row;
  EXPECT_EQ(actual->shift, shift) << row;
}

TEST(FixedPointTest, SaturatingRoundingDoublingHighMul) {
  CsvFile csv("srdhm_cases.csv");
  size_t checked = 0;
  for (const CsvRow &row : csv.getRows()) {
    EXPECT_EQ(
        saturatingRoundingDoublingHighMul(row.getInt("a"), row.getInt("b")),
        row.getInt("result"))
        << row;
    ++checked;
  }
  EXPECT_EQ(checked, kSrdhmRows);
}

TEST(FixedPointTest, RoundingDivideByPOT) {
  CsvFile csv("rdbpot_cases.csv");
  size_t checked = 0;
  for (const CsvRow &row : csv.getRows()) {
    EXPECT_EQ(roundingDivideByPOT(row.getInt("x"), row.getInt("exponent")),
              row.getInt("result"))
        << row;
    ++checked;
  }
  EXPECT_EQ(checked, kRdbpotRows);
}

TEST(FixedPointTest, QuantizeMultiplier) {
  CsvFile csv("multipliers.csv");
  size_t checked = 0;
  for (const CsvRow &row : csv.getRows()) {
    double m = row.getDouble("M_double_hex");
    expectDecomposition(quantizeMultiplier(m), row.getInt("M0"),
                        row.getInt("shift"), row);
    // What a compiler that keeps scales in float32 gets.
    expectDecomposition(quantizeMultiplier(static_cast<float>(m)),
                        row.getInt("M0_from_f32"), row.getInt("shift_from_f32"),
                        row);
    ++checked;
  }
  EXPECT_EQ(checked, kMultiplierRows);
}

TEST(FixedPointTest, QuantizeMultiplierRejectsInvalid) {
  using Limits = std::numeric_limits<double>;
  EXPECT_TRUE(failed(quantizeMultiplier(-0.5)));
  EXPECT_TRUE(failed(quantizeMultiplier(-Limits::denorm_min())));
  EXPECT_TRUE(failed(quantizeMultiplier(Limits::quiet_NaN())));
  EXPECT_TRUE(failed(quantizeMultiplier(Limits::infinity())));
  EXPECT_TRUE(failed(quantizeMultiplier(-Limits::infinity())));
  EXPECT_TRUE(failed(quantizeMultiplier(Limits::max())));

  // -0.0 == 0, so it is the zero multiplier rather than a negative one.
  FailureOr<QuantizedMultiplier> negativeZero = quantizeMultiplier(-0.0);
  ASSERT_TRUE(succeeded(negativeZero));
  EXPECT_EQ(negativeZero->multiplier, 0);
  EXPECT_EQ(negativeZero->shift, 0);
}

TEST(FixedPointTest, MultiplyByQuantizedMultiplier) {
  CsvFile csv("requant_cases.csv");
  size_t checked = 0, overflowing = 0;
  for (const CsvRow &row : csv.getRows()) {
    if (row.getInt("ovf")) {
      ++overflowing;
      continue;
    }
    int32_t x = row.getInt("acc");
    QuantizedMultiplier m{static_cast<int32_t>(row.getInt("M0")),
                          static_cast<int32_t>(row.getInt("shift"))};
    int64_t scaled =
        multiplyByQuantizedMultiplier(x, m, RoundingMode::DoubleRound);
    EXPECT_EQ(scaled, row.getInt("scaled")) << row;
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, m, RoundingMode::SingleRound),
              row.getInt("scaled_single_rounding"))
        << row;
    // gemmlowp adds the zero point in int32; it only wraps on an ovf row, so
    // 64-bit addition gives the same result here.
    EXPECT_EQ(std::clamp<int64_t>(scaled + row.getInt("zp_u8"), 0, 255),
              row.getInt("out_u8"))
        << row;
    EXPECT_EQ(std::clamp<int64_t>(scaled + row.getInt("zp_i8"), -128, 127),
              row.getInt("out_i8"))
        << row;
    ++checked;
  }
  EXPECT_EQ(checked, kRequantRows - kRequantOverflowRows);
  EXPECT_EQ(overflowing, kRequantOverflowRows);
}


// doubleRoundByOneProduct against the two roundings it replaces, for every
// right shift: multipliers at the ends of int32 and normalized ones, inputs
// at the ends of its range, random ones, and inputs whose high multiply lands
// on or next to a tie of the rounding shift (h = q 2^r + 2^(r - 1) + d), of
// either sign, where the [x < 0] term decides; with the output zero points
// that fold into its sum added, and without the sign term clamped from below
// at the zero point.
TEST(FixedPointTest, DoubleRoundByOneProduct) {
  std::mt19937_64 random(20261207);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  size_t checked = 0, ties = 0, withZeroPoint = 0, signTermNeeded = 0;
  auto check = [&](int64_t x, QuantizedMultiplier m) {
    if (x < kMinOneProductInput || x > kMaxOneProductInput)
      return;
    int32_t expected = multiplyByQuantizedMultiplier(
        static_cast<int32_t>(x), m, RoundingMode::DoubleRound);
    ASSERT_EQ(doubleRoundByOneProduct(static_cast<int32_t>(x), m), expected)
        << "x = " << x << ", M0 = " << m.multiplier << ", shift = " << m.shift;
    ++checked;
    for (int32_t zeroPoint : {-128, -1, 1, 127, 255, 65535}) {
      if (!canFoldOneProductZeroPoint(zeroPoint, -m.shift))
        continue;
      ASSERT_EQ(doubleRoundByOneProduct(static_cast<int32_t>(x), m, zeroPoint),
                expected + zeroPoint)
          << "x = " << x << ", M0 = " << m.multiplier
          << ", shift = " << m.shift << ", zero point = " << zeroPoint;
      ++withZeroPoint;
    }
    for (int32_t zeroPoint : {0, -128, 1, 255}) {
      if (!canFoldOneProductZeroPoint(zeroPoint, -m.shift))
        continue;
      int32_t clamped = std::max(
          doubleRoundByOneProduct(static_cast<int32_t>(x), m, zeroPoint,
                                  /*signTerm=*/false),
          zeroPoint);
      ASSERT_EQ(clamped, std::max(expected + zeroPoint, zeroPoint))
          << "x = " << x << ", M0 = " << m.multiplier
          << ", shift = " << m.shift << ", zero point = " << zeroPoint;
      // The term is needed without the clamp: a tie of either sign.
      if (x < 0 &&
          doubleRoundByOneProduct(static_cast<int32_t>(x), m, zeroPoint,
                                  false) != expected + zeroPoint)
        ++signTermNeeded;
    }
  };
  for (int32_t r = 1; r <= 31; ++r) {
    SmallVector<int32_t> multipliers = {0, 1, 3, 1 << 30, (1 << 30) + 1,
                                        std::numeric_limits<int32_t>::max()};
    for (int i = 0; i < 20; ++i)
      multipliers.push_back(
          static_cast<int32_t>(uniform(int64_t(1) << 30, (int64_t(1) << 31) - 1)));
    for (int32_t m0 : multipliers) {
      QuantizedMultiplier m{m0, -r};
      for (int64_t x : {kMinOneProductInput, kMinOneProductInput + 1,
                        int64_t(-2), int64_t(-1), int64_t(0), int64_t(1),
                        kMaxOneProductInput - 1, kMaxOneProductInput})
        check(x, m);
      for (int i = 0; i < 200; ++i)
        check(uniform(kMinOneProductInput, kMaxOneProductInput), m);
      if (m0 == 0)
        continue;
      // x near (h + 1/2) 2^31 / M0 has a high multiply of h or h +- 1.
      int64_t maxQ = std::max<int64_t>((int64_t(1) << 30) >> r, 1);
      for (int i = 0; i < 100; ++i) {
        int64_t q = uniform(-maxQ, maxQ);
        int64_t h = q * (int64_t(1) << r) + (int64_t(1) << (r - 1));
        double center = double(h) * 0x1p31 / m0;
        if (std::abs(center) > 0x1p31)
          continue;
        for (int64_t d = -2; d <= 2; ++d) {
          int64_t x = static_cast<int64_t>(center) + d;
          if (x >= kMinOneProductInput && x <= kMaxOneProductInput &&
              saturatingRoundingDoublingHighMul(static_cast<int32_t>(x), m0) ==
                  h)
            ++ties;
          check(x, m);
        }
      }
    }
  }
  // Every case above that is inside the range, and enough exact ties.
  EXPECT_GT(checked, size_t(150000));
  EXPECT_GT(ties, size_t(1000));
  EXPECT_GT(withZeroPoint, size_t(500000));
  EXPECT_GT(signTermNeeded, size_t(100));
}

// doubleRoundByOffsetProduct against doubleRoundByOneProduct over its
// whole input range [-2^19, 2^19): for every right shift, multipliers at the
// ends of int32 and normalized ones, the ends of the range, random inputs
// and those next to ties of the rounding shift, with and without the sign
// term and with the zero points that fold into the sum.
TEST(FixedPointTest, DoubleRoundByOffsetProduct) {
  std::mt19937_64 random(20261208);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  size_t checked = 0;
  auto check = [&](int64_t x, QuantizedMultiplier m) {
    if (x < -kOffsetProductBias || x >= kOffsetProductBias)
      return;
    auto y = static_cast<int32_t>(x + kOffsetProductBias);
    for (int32_t zeroPoint : {0, -128, 1, 127, 255})
      for (bool signTerm : {true, false}) {
        if (!canFoldOneProductZeroPoint(zeroPoint, -m.shift))
          continue;
        ASSERT_EQ(doubleRoundByOffsetProduct(y, m, zeroPoint, signTerm),
                  doubleRoundByOneProduct(static_cast<int32_t>(x), m,
                                          zeroPoint, signTerm))
            << "x = " << x << ", M0 = " << m.multiplier
            << ", shift = " << m.shift << ", zero point = " << zeroPoint
            << ", sign term = " << signTerm;
        ++checked;
      }
  };
  for (int32_t r = 1; r <= 31; ++r) {
    for (int32_t m0 : {0, 1, 1 << 30, (1 << 30) + 1, 1518391600,
                       std::numeric_limits<int32_t>::max()}) {
      QuantizedMultiplier m{m0, -r};
      for (int64_t x : {-kOffsetProductBias, -kOffsetProductBias + 1,
                        int64_t(-1), int64_t(0), int64_t(1),
                        kOffsetProductBias - 1})
        check(x, m);
      for (int i = 0; i < 50; ++i)
        check(uniform(-kOffsetProductBias, kOffsetProductBias - 1), m);
      if (m0 == 0)
        continue;
      // x near (h + 1/2) 2^31 / M0, h = q 2^r + 2^(r - 1).
      for (int i = 0; i < 30; ++i) {
        int64_t h = uniform(-300, 300) * (int64_t(1) << r) +
                    (int64_t(1) << (r - 1));
        double center = double(h) * 0x1p31 / m0;
        if (std::abs(center) > 0x1p20)
          continue;
        for (int64_t d = -2; d <= 2; ++d)
          check(static_cast<int64_t>(center) + d, m);
      }
    }
  }
  EXPECT_GT(checked, size_t(50000));
}

// doubleRoundBySplitProduct against doubleRoundByOneProduct of v 2^leftShift
// and, with the sign term, against gemmlowp's two roundings plus the zero
// point, for every v of the range (every u8 or s8 operand minus a zero
// point), every right shift, left shifts at the ends of [0, 30] and
// TensorFlow Lite's 20 (15 for a 16-bit range), multipliers at the ends of
// int32, normalized ones and ones whose low bits make ties, and the zero
// points that fold; also that an add's operand is always accepted up to
// r = 12 without a zero point.
TEST(FixedPointTest, DoubleRoundBySplitProduct) {
  std::mt19937_64 random(20261209);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  SmallVector<int32_t> multipliers = {0,
                                      1,
                                      3,
                                      1 << 30,
                                      (1 << 30) + 1,
                                      3 << 29,
                                      (1 << 30) + (1 << 19),
                                      1518500250,
                                      std::numeric_limits<int32_t>::max()};
  for (int i = 0; i < 6; ++i)
    multipliers.push_back(static_cast<int32_t>(
        uniform(int64_t(1) << 30, (int64_t(1) << 31) - 1)));
  struct Case {
    int32_t leftShift;
    int64_t min, max;
  };
  SmallVector<Case> cases;
  for (int32_t leftShift : {0, 1, 8, 20, 30})
    for (auto [min, max] : {std::pair<int64_t, int64_t>{0, 255},
                            {-255, 255},
                            {-255, -1},
                            {-128, 127}})
      cases.push_back({leftShift, min, max});
  cases.push_back({15, -32767, 32767});
  size_t checked = 0, accepted = 0, signTermNeeded = 0;
  for (const Case &c : cases)
    for (int32_t r = 1; r <= 31; ++r)
      for (int32_t m0 : multipliers)
        for (int32_t zeroPoint : {0, -128, 1, 255})
          for (bool signTerm : {true, false}) {
            QuantizedMultiplier m{m0, -r};
            std::optional<ShiftedSplitProduct> p = getShiftedSplitProduct(
                m, c.leftShift, c.min, c.max, zeroPoint, signTerm);
            // An add's operand: |v| <= 255 shifted by 20, r <= 12, the
            // zero point added after.
            if (c.leftShift == 20 && c.min >= -255 && c.max <= 255 && r <= 12 &&
                zeroPoint == 0)
              ASSERT_TRUE(p.has_value()) << "M0 = " << m0 << ", r = " << r
                                         << ", zero point = " << zeroPoint;
            if (!p)
              continue;
            ++accepted;
            auto check = [&](int64_t v) {
              auto x = static_cast<int32_t>(v * (int64_t(1) << c.leftShift));
              int32_t got =
                  doubleRoundBySplitProduct(static_cast<int32_t>(v), *p);
              ASSERT_EQ(got, doubleRoundByOneProduct(x, m, zeroPoint, signTerm))
                  << "v = " << v << ", left shift = " << c.leftShift
                  << ", M0 = " << m0 << ", r = " << r
                  << ", zero point = " << zeroPoint
                  << ", sign term = " << signTerm;
              int32_t expected = multiplyByQuantizedMultiplier(
                                     x, m, RoundingMode::DoubleRound) +
                                 zeroPoint;
              if (signTerm)
                ASSERT_EQ(got, expected)
                    << "v = " << v << ", M0 = " << m0 << ", r = " << r;
              else
                ASSERT_EQ(std::max(got, zeroPoint),
                          std::max(expected, zeroPoint))
                    << "v = " << v << ", M0 = " << m0 << ", r = " << r;
              signTermNeeded += !signTerm && got != expected;
              ++checked;
            };
            // The 16-bit range is sampled (and its ends), the others are
            // exhaustive.
            int64_t step = c.max - c.min > 1000 ? 97 : 1;
            for (int64_t v = c.min; v <= c.max; v += step)
              check(v);
            check(c.max);
          }
  EXPECT_GT(accepted, size_t(5000));
  EXPECT_GT(checked, size_t(2000000));
  // Without the sign term some negative inputs differ before the clamp.
  EXPECT_GT(signTermNeeded, size_t(100));
}

} // namespace
