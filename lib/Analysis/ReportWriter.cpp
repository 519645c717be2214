//===- ReportWriter.cpp - The numerics report as JSON, Markdown and SVG ---===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// report.json follows the schema of docs/numerics.md. The plots are SVG
// written here, so that a report needs nothing but qopt to produce and a
// browser to read.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/Numerics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <cmath>
#include <functional>

using namespace mlir;
using namespace qopt;
using namespace qopt::numerics;

namespace {

/// `value` with `digits` significant digits, as printf's %g.
std::string formatG(double value, int digits) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.*g", digits, value);
  return text;
}

/// An SVG coordinate, to a tenth of a pixel.
std::string px(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.1f", value);
  return text;
}

/// "model.mlir:27" from "dir/model.mlir:27:11".
std::string getShortLocation(const LayerStats &layer) {
  StringRef location = llvm::sys::path::filename(layer.location);
  return location.rsplit(':').first.str();
}

std::string formatDb(const std::optional<double> &db) {
  return db ? llvm::formatv("{0:F1}", *db).str() : "exact";
}

std::string formatShare(int64_t count, int64_t total) {
  return llvm::formatv("{0:F2}%", total ? 100.0 * count / total : 0.0).str();
}

void writeJson(const NumericsReport &report, llvm::raw_ostream &os) {
  llvm::json::OStream j(os, 2);
  auto errors = [&](StringRef key, const ErrorStats &stats) {
    j.attributeObject(key, [&] {
      if (stats.sqnrDb)
        j.attribute("sqnr_db", *stats.sqnrDb);
      else
        j.attribute("sqnr_db", nullptr);
      j.attribute("max_abs_error_lsb", stats.maxAbsErrorLsb);
      j.attribute("mean_abs_error_lsb", stats.meanAbsErrorLsb);
    });
  };
  j.object([&] {
    j.attribute("qopt_numerics_report", 1);
    j.attribute("model", report.model);
    j.attribute("function", report.function);
    j.attribute("scheme", report.scheme);
    j.attribute("numerics", report.numerics);
    j.attribute("inputs", report.numInputs);
    j.attribute("median_alone_sqnr_db", report.medianSqnrDb);
    j.attribute("outlier_margin_db", NumericsReport::kOutlierMarginDb);
    j.attributeArray("layers", [&] {
      for (size_t rank = 0; rank < report.layers.size(); ++rank) {
        const LayerStats &layer = report.layers[rank];
        j.object([&] {
          j.attribute("rank", int64_t(rank + 1));
          j.attribute("position", layer.position);
          j.attributeArray("inputs", [&] {
            for (int64_t input : layer.inputs)
              j.value(input);
          });
          j.attributeArray("source_ops", [&] {
            for (const std::string &op : layer.sourceOps)
              j.value(op);
          });
          j.attribute("integer_op", layer.integerOp);
          j.attribute("location", layer.location);
          j.attributeArray("shape", [&] {
            for (int64_t size : layer.shape)
              j.value(size);
          });
          j.attribute("storage_type", layer.storageType);
          j.attribute("scale", layer.scale);
          j.attribute("zero_point", layer.zeroPoint);
          j.attributeArray("clamp", [&] {
            j.value(layer.clampMin);
            j.value(layer.clampMax);
          });
          j.attribute("elements", layer.elements);
          errors("end_to_end", layer.endToEnd);
          errors("alone", layer.alone);
          j.attributeObject("saturation", [&] {
            j.attribute("low", layer.saturatedLow);
            j.attribute("high", layer.saturatedHigh);
            j.attribute("low_share",
                        double(layer.saturatedLow) / layer.elements);
            j.attribute("high_share",
                        double(layer.saturatedHigh) / layer.elements);
          });
          j.attribute("range_use", layer.rangeUse);
          j.attributeArray("multipliers", [&] {
            for (const MultiplierError &m : layer.multipliers)
              j.object([&] {
                j.attribute("role", m.role);
                j.attribute("channel", m.channel);
                j.attribute("real", m.real);
                j.attribute("m0", int64_t(m.m0));
                j.attribute("shift", int64_t(m.shift));
                j.attribute("relative_error", m.relativeError);
              });
          });
          if (layer.accumulator)
            j.attributeObject("accumulator", [&] {
              j.attribute("max_abs", layer.accumulator->maxAbs);
              j.attribute("static_bound", layer.accumulator->staticBound);
              j.attribute("int32_max", int64_t(INT32_MAX));
            });
          else
            j.attribute("accumulator", nullptr);
          j.attribute("outlier", layer.outlier);
          if (layer.outlier)
            j.attribute("cause", layer.cause);
          else
            j.attribute("cause", nullptr);
        });
      }
    });
  });
  os << '\n';
}

std::string formatAccumulator(const LayerStats &layer) {
  if (!layer.accumulator)
    return "";
  return llvm::formatv(
             "{0} / {1} ({2:F1}% of the bound)", layer.accumulator->maxAbs,
             layer.accumulator->staticBound,
             100.0 * layer.accumulator->maxAbs / layer.accumulator->staticBound)
      .str();
}

/// The rows of report.md and index.html.
std::vector<std::vector<std::string>> getTable(const NumericsReport &report) {
  std::vector<std::vector<std::string>> rows = {
      {"rank", "layer", "location", "SQNR (dB)", "alone (dB)", "max err (LSB)",
       "mean err (LSB)", "sat. low", "sat. high", "max M0 rel. err",
       "acc. max / static bound", "scale", "zp", "flag"}};
  for (auto [rank, layer] : llvm::enumerate(report.layers))
    rows.push_back(
        {std::to_string(rank + 1),
         layer.getName() + " (" + layer.integerOp + ")", layer.location,
         formatDb(layer.endToEnd.sqnrDb), formatDb(layer.alone.sqnrDb),
         llvm::formatv("{0:F2}", layer.endToEnd.maxAbsErrorLsb).str(),
         llvm::formatv("{0:F3}", layer.endToEnd.meanAbsErrorLsb).str(),
         formatShare(layer.saturatedLow, layer.elements),
         formatShare(layer.saturatedHigh, layer.elements),
         layer.multipliers.empty()
             ? ""
             : llvm::formatv("{0:E1}", layer.getMaxMultiplierError()).str(),
         formatAccumulator(layer), formatG(layer.scale, 6),
         std::to_string(layer.zeroPoint),
         layer.outlier ? "outlier: " + layer.cause : ""});
  return rows;
}

void writeMarkdown(const NumericsReport &report, llvm::raw_ostream &os) {
  os << "# Numerics of @" << report.function << "\n\n"
     << "`" << report.model << "`, scheme " << report.scheme << ", numerics "
     << report.numerics << ", " << report.numInputs
     << " input(s); median SQNR alone "
     << llvm::formatv("{0:F1}", report.medianSqnrDb)
     << " dB. Worst layers first (end-to-end SQNR of the dequantized "
        "integer result against the float result); a layer whose SQNR alone "
        "(fed the quantized float reference) is "
     << formatG(NumericsReport::kOutlierMarginDb, 3)
     << " dB below the median is flagged with its likely cause.\n\n";
  std::vector<std::vector<std::string>> rows = getTable(report);
  for (auto [index, row] : llvm::enumerate(rows)) {
    os << "| " << llvm::join(row, " | ") << " |\n";
    if (index == 0) {
      os << '|';
      for (size_t i = 0; i < row.size(); ++i)
        os << " --- |";
      os << '\n';
    }
  }
  os << "\n![SQNR per layer](sqnr.svg)\n"
     << "![Saturation per layer](saturation.svg)\n"
     << "![Errors of the worst layer](error-histogram.svg)\n";
}

std::string escapeXml(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

void writeHtml(const NumericsReport &report, llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>"
     << "Numerics of @" << escapeXml(report.function) << "</title>\n"
     << "<style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse;font-size:13px}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
        "td:nth-child(2),td:nth-child(3),td:last-child{text-align:left}"
        "tr.outlier{background:#fde2e2}</style></head><body>\n"
     << "<h1>Numerics of @" << escapeXml(report.function) << "</h1>\n<p>"
     << escapeXml(report.model) << ", scheme " << escapeXml(report.scheme)
     << ", numerics " << escapeXml(report.numerics) << ", " << report.numInputs
     << " input(s); median SQNR alone "
     << llvm::formatv("{0:F1}", report.medianSqnrDb)
     << " dB. Worst layers first. Data: <a href=\"report.json\">report.json"
        "</a>, <a href=\"report.md\">report.md</a>.</p>\n<table>\n";
  std::vector<std::vector<std::string>> rows = getTable(report);
  for (auto [index, row] : llvm::enumerate(rows)) {
    bool outlier = index > 0 && report.layers[index - 1].outlier;
    os << (outlier ? "<tr class=\"outlier\">" : "<tr>");
    for (const std::string &cell : row)
      os << (index ? "<td>" : "<th>") << escapeXml(cell)
         << (index ? "</td>" : "</th>");
    os << "</tr>\n";
  }
  os << "</table>\n"
     << "<h2>SQNR per layer</h2><img src=\"sqnr.svg\" alt=\"SQNR per "
        "layer\">\n"
     << "<h2>Saturation per layer</h2><img src=\"saturation.svg\" "
        "alt=\"Saturation per layer\">\n"
     << "<h2>Errors of the worst layer</h2><img src=\"error-histogram.svg\" "
        "alt=\"Error histogram\">\n</body></html>\n";
}

//===----------------------------------------------------------------------===//
// SVG plots
//===----------------------------------------------------------------------===//

constexpr int kLabelWidth = 300, kPlotWidth = 420, kRowHeight = 22;
constexpr int kTop = 40, kBottom = 40, kRight = 30;

/// The layers in network order.
std::vector<const LayerStats *> inNetworkOrder(const NumericsReport &report) {
  std::vector<const LayerStats *> layers;
  for (const LayerStats &layer : report.layers)
    layers.push_back(&layer);
  llvm::sort(layers, [](const LayerStats *a, const LayerStats *b) {
    return a->position < b->position;
  });
  return layers;
}

/// A round upper end for an axis showing values up to `max`.
double getAxisMax(double max) {
  if (!(max > 0))
    return 1;
  double step = std::pow(10, std::floor(std::log10(max)));
  for (double factor : {1.0, 2.0, 5.0, 10.0})
    if (factor * step >= max)
      return factor * step;
  return 10 * step;
}

/// A horizontal bar chart with one row per layer and `series` bars in each.
void writeBarChart(
    llvm::raw_ostream &os, StringRef title, StringRef unit,
    const std::vector<const LayerStats *> &layers,
    ArrayRef<std::pair<StringRef, StringRef>> series, bool stacked,
    std::function<std::optional<double>(const LayerStats &, size_t)> value,
    double axisMax) {
  int bars = stacked ? 1 : series.size();
  int rowHeight = std::max(kRowHeight, 8 * bars + 6);
  int height = kTop + rowHeight * layers.size() + kBottom;
  int width = kLabelWidth + kPlotWidth + kRight;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
     << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
     << "font-size=\"11\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << width / 2
     << "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">"
     << escapeXml(title) << "</text>\n";
  // Legend.
  int legendX = kLabelWidth;
  for (auto [name, color] : series) {
    os << "<rect x=\"" << legendX << "\" y=\"24\" width=\"10\" height=\"10\" "
       << "fill=\"" << color << "\"/><text x=\"" << legendX + 14
       << "\" y=\"33\">" << escapeXml(name) << "</text>\n";
    legendX += 20 + 7 * name.size();
  }
  auto xValue = [&](double v) {
    return kLabelWidth + kPlotWidth * std::clamp(v / axisMax, 0.0, 1.0);
  };
  auto x = [&](double v) { return px(xValue(v)); };
  // Grid and axis labels.
  for (int tick = 0; tick <= 5; ++tick) {
    double v = axisMax * tick / 5;
    os << "<line x1=\"" << x(v) << "\" y1=\"" << kTop << "\" x2=\"" << x(v)
       << "\" y2=\"" << height - kBottom << "\" stroke=\"#ddd\"/>\n"
       << "<text x=\"" << x(v) << "\" y=\"" << height - kBottom + 14
       << "\" text-anchor=\"middle\">" << formatG(v, 4) << "</text>\n";
  }
  os << "<text x=\"" << kLabelWidth + kPlotWidth / 2 << "\" y=\"" << height - 8
     << "\" text-anchor=\"middle\">" << escapeXml(unit) << "</text>\n";
  for (auto [row, layer] : llvm::enumerate(layers)) {
    int y = kTop + row * rowHeight;
    os << "<text x=\"" << kLabelWidth - 6 << "\" y=\"" << y + rowHeight / 2 + 4
       << "\" text-anchor=\"end\"" << (layer->outlier ? " fill=\"#c00\"" : "")
       << ">"
       << escapeXml(layer->getName() + " (" + getShortLocation(*layer) + ")")
       << "</text>\n";
    double offset = 0;
    for (auto [index, entry] : llvm::enumerate(series)) {
      std::optional<double> v = value(*layer, index);
      int barHeight = stacked ? rowHeight - 8 : (rowHeight - 6) / bars;
      int barY = y + 3 + (stacked ? 1 : index * barHeight);
      if (!v) {
        // Exact: no error to plot.
        os << "<text x=\"" << kLabelWidth + 4 << "\" y=\""
           << barY + barHeight - 1 << "\" fill=\"#666\">exact</text>\n";
        continue;
      }
      double start = stacked ? offset : 0;
      os << "<rect x=\"" << x(start) << "\" y=\"" << barY << "\" width=\""
         << px(std::max(0.0, xValue(start + *v) - xValue(start)))
         << "\" height=\"" << barHeight - 1 << "\" fill=\""
         << (layer->outlier && index == 0 ? "#d62728" : entry.second)
         << "\"><title>" << escapeXml(entry.first) << ": " << formatG(*v, 4)
         << "</title></rect>\n";
      offset += *v;
    }
  }
  os << "</svg>\n";
}

void writeSqnrPlot(const NumericsReport &report, llvm::raw_ostream &os) {
  std::vector<const LayerStats *> layers = inNetworkOrder(report);
  double max = 0;
  for (const LayerStats *layer : layers)
    for (const ErrorStats *stats : {&layer->endToEnd, &layer->alone})
      if (stats->sqnrDb)
        max = std::max(max, *stats->sqnrDb);
  writeBarChart(
      os, "SQNR per layer (network order; outliers in red)", "SQNR (dB)",
      layers, {{"end to end", "#1f77b4"}, {"alone", "#9ecae1"}},
      /*stacked=*/false,
      [](const LayerStats &layer, size_t series) {
        return series == 0 ? layer.endToEnd.sqnrDb : layer.alone.sqnrDb;
      },
      getAxisMax(max));
}

void writeSaturationPlot(const NumericsReport &report, llvm::raw_ostream &os) {
  std::vector<const LayerStats *> layers = inNetworkOrder(report);
  double max = 0;
  for (const LayerStats *layer : layers)
    max = std::max(max, 100.0 * (layer->saturatedLow + layer->saturatedHigh) /
                            layer->elements);
  writeBarChart(
      os, "Saturation per layer (share of outputs beyond the output range)",
      "outputs saturated (%)", layers,
      {{"low end", "#ff7f0e"}, {"high end", "#8c564b"}}, /*stacked=*/true,
      [](const LayerStats &layer, size_t series) -> std::optional<double> {
        return 100.0 *
               (series == 0 ? layer.saturatedLow : layer.saturatedHigh) /
               layer.elements;
      },
      getAxisMax(std::max(max, 1.0)));
}

void writeHistogram(const NumericsReport &report, llvm::raw_ostream &os) {
  const LayerStats *worst =
      report.layers.empty() ? nullptr : &report.layers.front();
  int width = 720, height = 320, left = 60, top = 40, bottom = 50;
  int plotWidth = width - left - kRight, plotHeight = height - top - bottom;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
     << "\" height=\"" << height << "\" font-family=\"sans-serif\" "
     << "font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
     << "fill=\"white\"/>\n";
  std::string title = worst ? "Errors of the worst layer, " + worst->getName() +
                                  " (" + getShortLocation(*worst) +
                                  "), end to end"
                            : "No layer";
  os << "<text x=\"" << width / 2
     << "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">"
     << escapeXml(title) << "</text>\n";
  if (worst && !worst->errorsLsb.empty()) {
    double extent = 0;
    for (double e : worst->errorsLsb)
      extent = std::max(extent, std::abs(e));
    extent = getAxisMax(std::max(extent, 0.5));
    constexpr int kBins = 40;
    std::vector<int64_t> counts(kBins, 0);
    for (double e : worst->errorsLsb) {
      int bin = int((e + extent) / (2 * extent) * kBins);
      ++counts[std::clamp(bin, 0, kBins - 1)];
    }
    int64_t maxCount = *llvm::max_element(counts);
    double barWidth = double(plotWidth) / kBins;
    for (auto [bin, count] : llvm::enumerate(counts)) {
      double h = double(plotHeight) * count / maxCount;
      os << "<rect x=\"" << px(left + bin * barWidth) << "\" y=\""
         << px(top + plotHeight - h) << "\" width=\"" << px(barWidth - 1)
         << "\" height=\"" << px(h) << "\" fill=\"#1f77b4\"><title>" << count
         << "</title></rect>\n";
    }
    for (int tick = 0; tick <= 4; ++tick) {
      double v = -extent + extent * tick / 2;
      double tx = left + plotWidth * tick / 4.0;
      os << "<text x=\"" << px(tx) << "\" y=\"" << top + plotHeight + 14
         << "\" text-anchor=\"middle\">" << formatG(v, 3) << "</text>\n";
      double cy = top + plotHeight - plotHeight * tick / 4.0;
      os << "<text x=\"" << left - 6 << "\" y=\"" << px(cy + 4)
         << "\" text-anchor=\"end\">" << formatG(maxCount * tick / 4.0, 3)
         << "</text>\n";
    }
    os << "<line x1=\"" << left << "\" y1=\"" << top + plotHeight << "\" x2=\""
       << left + plotWidth << "\" y2=\"" << top + plotHeight
       << "\" stroke=\"black\"/>\n"
       << "<text x=\"" << left + plotWidth / 2 << "\" y=\"" << height - 10
       << "\" text-anchor=\"middle\">error of the dequantized result "
          "(output LSBs)</text>\n"
       << "<text x=\"14\" y=\"" << top + plotHeight / 2
       << "\" transform=\"rotate(-90 14 " << top + plotHeight / 2
       << ")\" text-anchor=\"middle\">elements</text>\n";
  }
  os << "</svg>\n";
}

} // namespace

std::optional<std::string>
numerics::writeNumericsReport(const NumericsReport &report, StringRef dir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return (dir + ": " + ec.message()).str();
  using Writer = void (*)(const NumericsReport &, llvm::raw_ostream &);
  std::pair<StringRef, Writer> files[] = {
      {"report.json", writeJson},
      {"report.md", writeMarkdown},
      {"sqnr.svg", writeSqnrPlot},
      {"saturation.svg", writeSaturationPlot},
      {"error-histogram.svg", writeHistogram},
      {"index.html", writeHtml}};
  for (auto [name, write] : files) {
    SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::ToolOutputFile file(path, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return (path + ": " + ec.message()).str();
    write(report, file.os());
    file.os().flush();
    if (file.os().has_error())
      return (path + ": " + file.os().error().message()).str();
    file.keep();
  }
  return std::nullopt;
}
