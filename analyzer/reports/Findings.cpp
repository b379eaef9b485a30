//===--- Findings.cpp - The findings file, written and read ---------------===//

#include "Findings.h"
#include "InputError.h"

namespace torch_tidy {

namespace {

nlohmann::json positionToJson(const SourcePosition &Position) {
  return {{"line", Position.Line}, {"column", Position.Column}};
}

SourcePosition positionFromJson(const nlohmann::json &J) {
  return {J.at("line").get<int>(), J.at("column").get<int>()};
}

} // namespace

nlohmann::json findingsToJson(const std::vector<Finding> &Findings,
                              const std::vector<AnalysisError> &Errors) {
  nlohmann::json Out;
  Out["schema"] = FindingsSchemaName;
  Out["version"] = FindingsSchemaVersion;
  Out["findings"] = nlohmann::json::array();
  for (const Finding &F : Findings) {
    nlohmann::json J = {{"id", F.Id},
                        {"rule", F.Rule},
                        {"severity", F.Severity},
                        {"file", F.File},
                        {"line", F.Position.Line},
                        {"column", F.Position.Column},
                        {"message", F.Message}};
    if (F.Loop) {
      J["loop"] = {{"file", F.Loop->File},
                   {"begin", positionToJson(F.Loop->Begin)},
                   {"end", positionToJson(F.Loop->End)}};
      if (F.LoopBody)
        J["loop"]["body"] = {{"begin", positionToJson(F.LoopBody->Begin)},
                             {"end", positionToJson(F.LoopBody->End)}};
    }
    if (!F.Includes.empty()) {
      J["includes"] = nlohmann::json::array();
      for (const IncludedFinding &I : F.Includes)
        J["includes"].push_back({{"rule", I.Rule},
                                 {"file", I.File},
                                 {"line", I.Position.Line},
                                 {"column", I.Position.Column}});
    }
    Out["findings"].push_back(std::move(J));
  }
  Out["errors"] = nlohmann::json::array();
  for (const AnalysisError &E : Errors)
    Out["errors"].push_back({{"file", E.File},
                             {"line", E.Position.Line},
                             {"column", E.Position.Column},
                             {"message", E.Message}});
  return Out;
}

std::vector<Finding> readFindingsFile(const std::string &Path) {
  return readFindingsJson(readJsonFile(Path), Path);
}

namespace {

void checkFindingsSchema(const nlohmann::json &Root, const std::string &Path) {
  if (!Root.is_object() || Root.value("schema", "") != FindingsSchemaName)
    throw InputError(Path, std::string("not a torch-tidy findings file "
                                       "(expected \"schema\": \"") +
                               FindingsSchemaName + "\")");
  int Version = Root.value("version", 0);
  if (Version != FindingsSchemaVersion)
    throw InputError(Path, "findings schema version " +
                               std::to_string(Version) +
                               " is not supported (this build reads " +
                               std::to_string(FindingsSchemaVersion) + ")");
}

} // namespace

std::vector<Finding> readFindingsJson(const nlohmann::json &Root,
                                      const std::string &Path) {
  checkFindingsSchema(Root, Path);
  std::vector<Finding> Findings;
  try {
    for (const nlohmann::json &J : Root.at("findings")) {
      Finding F;
      F.Id = J.at("id").get<std::string>();
      F.Rule = J.at("rule").get<std::string>();
      F.Severity = J.value("severity", "warning");
      F.File = J.at("file").get<std::string>();
      F.Position = {J.at("line").get<int>(), J.at("column").get<int>()};
      F.Message = J.at("message").get<std::string>();
      if (J.contains("loop")) {
        const nlohmann::json &L = J.at("loop");
        F.Loop = SourceSpan{L.at("file").get<std::string>(),
                            positionFromJson(L.at("begin")),
                            positionFromJson(L.at("end"))};
        if (L.contains("body"))
          F.LoopBody = SourceSpan{F.Loop->File,
                                  positionFromJson(L.at("body").at("begin")),
                                  positionFromJson(L.at("body").at("end"))};
      }
      if (J.contains("includes"))
        for (const nlohmann::json &I : J.at("includes"))
          F.Includes.push_back(
              {I.at("rule").get<std::string>(),
               I.at("file").get<std::string>(),
               {I.at("line").get<int>(), I.at("column").get<int>()}});
      Findings.push_back(std::move(F));
    }
  } catch (const nlohmann::json::exception &Error) {
    throw InputError(Path, std::string("malformed finding: ") + Error.what());
  }
  return Findings;
}

std::vector<AnalysisError> readAnalysisErrorsJson(const nlohmann::json &Root,
                                                  const std::string &Path) {
  checkFindingsSchema(Root, Path);
  std::vector<AnalysisError> Errors;
  try {
    for (const nlohmann::json &J :
         Root.value("errors", nlohmann::json::array()))
      Errors.push_back({J.at("file").get<std::string>(),
                        {J.value("line", 0), J.value("column", 0)},
                        J.at("message").get<std::string>()});
  } catch (const nlohmann::json::exception &Error) {
    throw InputError(Path,
                     std::string("malformed error entry: ") + Error.what());
  }
  return Errors;
}

} // namespace torch_tidy
