//===--- OriginLines.cpp - Which line made what a site keeps --------------===//

#include "OriginLines.h"
#include "SourcePaths.h"

#include <algorithm>

namespace torch_tidy {

const char *originNamingName(OriginNaming N) {
  switch (N) {
  case OriginNaming::Line:
    return "line";
  case OriginNaming::FunctionOnly:
    return "function-only";
  case OriginNaming::Unnamed:
    return "unnamed";
  case OriginNaming::Rebuilt:
    return "rebuilt";
  case OriginNaming::Missing:
    return "missing";
  }
  return "unknown";
}

bool isLibrarySource(const std::string &File) {
  static const char *const Markers[] = {
      "/include/torch/", "/torch/csrc/", "/ATen/",      "/c10/",
      "/include/c++/",   "/bits/",       "torch_tidy/", "/usr/include/",
      "/caffe2/"};
  return std::any_of(std::begin(Markers), std::end(Markers),
                     [&](const char *M) {
                       return File.find(M) != std::string::npos;
                     });
}

bool isLibraryFunction(const std::string &Function) {
  static const char *const Prefixes[] = {"at::",       "c10::",  "torch::",
                                         "std::",      "void std::", "__gnu_cxx::",
                                         "caffe2::",   "torch_tidy::"};
  // Return types come first in some demanglings ("at::Tensor f()"): look
  // at the qualified name only.
  std::string Name = Function;
  if (auto Paren = Name.find('('); Paren != std::string::npos)
    Name.resize(Paren);
  if (auto Space = Name.rfind(' '); Space != std::string::npos)
    Name = Name.substr(Space + 1);
  return std::any_of(std::begin(Prefixes), std::end(Prefixes),
                     [&](const char *P) { return Name.rfind(P, 0) == 0; });
}

std::string ResolvedOrigin::location() const {
  switch (Naming) {
  case OriginNaming::Line:
    return File + ":" + std::to_string(Line);
  case OriginNaming::FunctionOnly:
    return "function " + Function + " (no line: built without debug info)";
  case OriginNaming::Unnamed:
    return "an unnamed frame";
  case OriginNaming::Rebuilt:
    return "an unnamed frame (the binary was rebuilt since the report)";
  case OriginNaming::Missing:
    return "an unnamed frame (the binary is gone)";
  }
  return "";
}

OriginResolver::OriginResolver(std::unique_ptr<Symbolizer> Tool,
                               std::string SourceRoot)
    : Tool(std::move(Tool)), SourceRoot(std::move(SourceRoot)) {
  while (this->SourceRoot.size() > 1 && this->SourceRoot.back() == '/')
    this->SourceRoot.pop_back();
}

void OriginResolver::note(const std::string &Text) {
  if (Noted.insert(Text).second)
    Notes.push_back(Text);
}

std::string OriginResolver::relative(const std::string &Path) const {
  std::string File = normalizePath(Path);
  if (!SourceRoot.empty() && File.size() > SourceRoot.size() + 1 &&
      File.compare(0, SourceRoot.size(), SourceRoot) == 0 &&
      File[SourceRoot.size()] == '/')
    return File.substr(SourceRoot.size() + 1);
  return File;
}

OriginNaming OriginResolver::checkModule(const ReportModule &Module,
                                         const std::string &ReportPath) {
  auto Known = ModuleState.find(Module.Path);
  if (Known != ModuleState.end())
    return Known->second;
  std::string Error;
  std::string Now = readBuildId(Module.Path, Error);
  OriginNaming State = OriginNaming::Line;
  if (!Error.empty()) {
    State = OriginNaming::Missing;
    note(ReportPath + ": " + Module.Path + ": " + Error +
         "; origins in it are not named");
  } else if (Module.BuildId.empty() || Now.empty()) {
    State = OriginNaming::Rebuilt;
    note(ReportPath + ": " + Module.Path +
         ": no build id, so a rebuild since the report cannot be ruled out; "
         "origins in it are not named (link with --build-id)");
  } else if (Now != Module.BuildId) {
    State = OriginNaming::Rebuilt;
    note(ReportPath + ": " + Module.Path +
         ": rebuilt since the report (build id " + Module.BuildId +
         " then, " + Now + " now); origins in it are not named: rerun the "
         "program to name them");
  }
  ModuleState.emplace(Module.Path, State);
  return State;
}

std::vector<ResolvedOrigin>
OriginResolver::resolve(const ProbeSite &Site, const RuntimeReport &Report,
                        size_t Max, double MinBytesPerIteration) {
  std::vector<const SiteOrigin *> Largest;
  for (const SiteOrigin &O : Site.Origins)
    if (O.BytesPerIteration >= MinBytesPerIteration)
      Largest.push_back(&O);
  // Larger first; at equal size what the program made itself before what
  // a backward pass derived from it (a gradient follows its tensor).
  // (Pointers into one vector: their order is the report's.)
  std::sort(Largest.begin(), Largest.end(),
            [](const SiteOrigin *A, const SiteOrigin *B) {
              if (A->BytesPerIteration != B->BytesPerIteration)
                return A->BytesPerIteration > B->BytesPerIteration;
              if (A->InBackward != B->InBackward)
                return !A->InBackward;
              return A < B;
            });
  if (Largest.size() > Max)
    Largest.resize(Max);

  std::vector<ResolvedOrigin> Out;
  for (const SiteOrigin *O : Largest)
    Out.push_back(name(*O, Report));
  return Out;
}

std::vector<ResolvedOrigin>
OriginResolver::resolveGraph(const ProbeSite &Site,
                             const RuntimeReport &Report, size_t Max) {
  std::vector<const SiteOrigin *> Largest;
  for (const SiteOrigin &O : Site.GraphOrigins)
    if (O.NodesPerIteration > 0)
      Largest.push_back(&O);
  std::sort(Largest.begin(), Largest.end(),
            [](const SiteOrigin *A, const SiteOrigin *B) {
              if (A->ChainsAcrossIterations != B->ChainsAcrossIterations)
                return A->ChainsAcrossIterations;
              if (A->NodesPerIteration != B->NodesPerIteration)
                return A->NodesPerIteration > B->NodesPerIteration;
              return A < B;
            });
  if (Largest.size() > Max)
    Largest.resize(Max);
  std::vector<ResolvedOrigin> Out;
  for (const SiteOrigin *O : Largest)
    Out.push_back(name(*O, Report));
  return Out;
}

ResolvedOrigin OriginResolver::name(const SiteOrigin &Origin,
                                    const RuntimeReport &Report) {
  const SiteOrigin *O = &Origin;
  ResolvedOrigin R;
  R.Origin = O;
  const std::string BackwardPrefix = "autograd::engine::evaluate_function: ";
  R.Operator = O->Op.rfind(BackwardPrefix, 0) == 0
                   ? O->Op.substr(BackwardPrefix.size()) + " (backward)"
                   : O->Op;
  std::string FirstUserFunction;
  bool Rebuilt = false, Missing = false;
  for (const SiteOrigin::Frame &F : O->Frames) {
    const ReportModule &Module = Report.Modules[static_cast<size_t>(F.Module)];
    OriginNaming State = checkModule(Module, Report.Path);
    if (State == OriginNaming::Rebuilt) {
      Rebuilt = true;
      break; // Never a line from a different build.
    }
    if (State == OriginNaming::Missing) {
      Missing = true;
      break;
    }
    if (!Tool)
      break;
    // A return address points after the call: look up the call itself.
    auto Key = std::make_pair(Module.Path, F.Offset - 1);
    auto Cached = Cache.find(Key);
    if (Cached == Cache.end())
      Cached =
          Cache.emplace(Key, Tool->symbolize(Module.Path, F.Offset - 1)).first;
    for (const SymbolizedFrame &S : Cached->second) {
      if (!S.File.empty() && !isLibrarySource(S.File)) {
        R.Naming = OriginNaming::Line;
        R.File = relative(S.File);
        R.Line = S.Line;
        R.Function = S.Function;
        break;
      }
      if (S.File.empty() && FirstUserFunction.empty() &&
          !S.Function.empty() && !isLibraryFunction(S.Function))
        FirstUserFunction = S.Function;
    }
    if (R.Naming == OriginNaming::Line)
      break;
  }
  if (R.Naming != OriginNaming::Line) {
    if (Rebuilt)
      R.Naming = OriginNaming::Rebuilt;
    else if (Missing)
      R.Naming = OriginNaming::Missing;
    else if (!FirstUserFunction.empty()) {
      R.Naming = OriginNaming::FunctionOnly;
      R.Function = FirstUserFunction;
      note(Report.Path + ": no line tables in the program's binary: "
                         "origins are named by function only (build with "
                         "-g or -g1 to get lines)");
    } else if (!Tool) {
      note("no symbolizer: torch-tidy-confirm found neither "
           "llvm-symbolizer nor addr2line on PATH, so origins are not named");
    }
  }
  return R;
}

} // namespace torch_tidy
