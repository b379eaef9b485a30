//===--- OriginLines.h - Which line made what a site keeps ------*- C++ -*-===//
//
// Turns the origins of a report (module, offset, operator) into source
// lines: symbolises each frame once, checks that the module on disk is the
// one the probe saw (its build id), and picks the first frame that is the
// user's code rather than libtorch's headers or the standard library.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_ORIGINLINES_H
#define TORCH_TIDY_ANALYZER_CONFIRM_ORIGINLINES_H

#include "RuntimeReport.h"
#include "Symbolizer.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace torch_tidy {

/// How well an origin could be named.
enum class OriginNaming {
  Line,         // File and line of user code.
  FunctionOnly, // The module has no line table: a function name only.
  Unnamed,      // No symbolizer, or nothing known at any frame.
  Rebuilt,      // The module changed since the report: not named.
  Missing,      // The module is gone.
};
const char *originNamingName(OriginNaming N);

struct ResolvedOrigin {
  const SiteOrigin *Origin = nullptr;
  OriginNaming Naming = OriginNaming::Unnamed;
  std::string File; // Relative to the source root when inside it.
  int Line = 0;
  std::string Function;
  std::string Operator; // "aten::clone", "MmBackward0 (backward)", "".

  /// "examples/x.cpp:52", "function f (no line: no debug info)",
  /// "an unnamed frame (...)".
  std::string location() const;
};

class OriginResolver {
public:
  /// \p Tool may be null (nothing on PATH): origins are then unnamed.
  OriginResolver(std::unique_ptr<Symbolizer> Tool, std::string SourceRoot);

  /// The largest origins of \p Site (at most \p Max, each at least
  /// \p MinBytesPerIteration a step), named.
  std::vector<ResolvedOrigin> resolve(const ProbeSite &Site,
                                      const RuntimeReport &Report, size_t Max,
                                      double MinBytesPerIteration);

  /// The origins of \p Site's surviving graph nodes (at most \p Max):
  /// those that chain iterations together first, then by nodes per
  /// iteration.
  std::vector<ResolvedOrigin> resolveGraph(const ProbeSite &Site,
                                           const RuntimeReport &Report,
                                           size_t Max);

  /// One line per problem met (a rebuilt or missing module, no line
  /// tables, no symbolizer), each once.
  const std::vector<std::string> &notes() const { return Notes; }

private:
  /// Checks a module once against the build id the probe saw: Line when
  /// usable, else Rebuilt or Missing (with a note).
  OriginNaming checkModule(const ReportModule &Module,
                           const std::string &ReportPath);
  void note(const std::string &Text);
  ResolvedOrigin name(const SiteOrigin &Origin, const RuntimeReport &Report);
  std::string relative(const std::string &Path) const;

  std::unique_ptr<Symbolizer> Tool;
  std::string SourceRoot;
  std::map<std::string, OriginNaming> ModuleState;
  std::map<std::pair<std::string, uint64_t>, std::vector<SymbolizedFrame>>
      Cache;
  std::vector<std::string> Notes;
  std::set<std::string> Noted;
};

/// True for paths of libtorch's headers and sources, the C++ standard
/// library and the probe's header: never the user's line.
bool isLibrarySource(const std::string &File);

/// True for demangled names of libtorch, c10 and the standard library.
bool isLibraryFunction(const std::string &Function);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_ORIGINLINES_H
