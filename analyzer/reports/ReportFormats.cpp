//===--- ReportFormats.cpp - Findings as SARIF, GitHub, GitLab ------------===//

#include "ReportFormats.h"
#include "RuleCatalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace torch_tidy {

namespace {

constexpr const char *ToolVersion = "0.1.0";
// GitHub shows at most 10 annotations of each kind per step.
constexpr size_t GithubAnnotationLimit = 10;

/// Percent-encodes what may not appear in a URI path.
std::string toUriPath(const std::string &Path) {
  static const char Hex[] = "0123456789ABCDEF";
  std::string Uri;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' ||
        C == '~')
      Uri += static_cast<char>(C);
    else {
      Uri += '%';
      Uri += Hex[C >> 4];
      Uri += Hex[C & 15];
    }
  }
  return Uri;
}

nlohmann::json sarifLocation(const std::string &File, const std::string &Root,
                             nlohmann::json Region) {
  std::string Relative = relativeToRoot(File, Root);
  nlohmann::json Artifact;
  // A path that is relative already (confirm's origins under its source
  // root) is relative to the same root.
  if (Relative != File || (!File.empty() && File[0] != '/')) {
    Artifact = {{"uri", toUriPath(Relative)}, {"uriBaseId", "%SRCROOT%"}};
  } else {
    Artifact = {{"uri", "file://" + toUriPath(File)}};
  }
  return {{"physicalLocation",
           {{"artifactLocation", Artifact}, {"region", std::move(Region)}}}};
}

/// GitHub workflow command escaping, for the message and for properties.
std::string githubEscape(const std::string &Text, bool Property) {
  std::string Out;
  for (char C : Text) {
    switch (C) {
    case '%':
      Out += "%25";
      break;
    case '\r':
      Out += "%0D";
      break;
    case '\n':
      Out += "%0A";
      break;
    case ':':
      Out += Property ? "%3A" : ":";
      break;
    case ',':
      Out += Property ? "%2C" : ",";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

} // namespace

std::optional<ReportFormat> parseReportFormat(const std::string &Name) {
  static const std::map<std::string, ReportFormat> Names = {
      {"clang", ReportFormat::Clang},
      {"json", ReportFormat::Json},
      {"sarif", ReportFormat::Sarif},
      {"github", ReportFormat::Github},
      {"gitlab", ReportFormat::Gitlab}};
  auto It = Names.find(Name);
  if (It == Names.end())
    return std::nullopt;
  return It->second;
}

std::string relativeToRoot(const std::string &Path, const std::string &Root) {
  if (Root.empty())
    return Path;
  std::string Prefix = Root.back() == '/' ? Root : Root + "/";
  if (Path.compare(0, Prefix.size(), Prefix) == 0)
    return Path.substr(Prefix.size());
  return Path;
}

std::string renderSarif(const ReportInput &Input) {
  nlohmann::json Rules = nlohmann::json::array();
  std::map<std::string, int> RuleIndex;
  for (const RuleInfo &Rule : ruleCatalog()) {
    RuleIndex[Rule.Name] = static_cast<int>(Rules.size());
    Rules.push_back(
        {{"id", Rule.Name},
         {"shortDescription", {{"text", Rule.Summary}}},
         {"fullDescription", {{"text", Rule.Help}}},
         {"help",
          {{"text", Rule.Help + " Documentation: " + ruleDocPath(Rule.Name)},
           {"markdown", Rule.Help + "\n\nDocumentation: [" +
                            ruleDocPath(Rule.Name) + "](" +
                            ruleDocPath(Rule.Name) + ")"}}},
         {"defaultConfiguration",
          {{"level", "warning"}, {"enabled", Rule.EnabledByDefault}}},
         {"properties", {{"tags", {"memory", "libtorch"}}}}});
  }

  nlohmann::json Results = nlohmann::json::array();
  for (const Finding &F : Input.Findings) {
    if (!RuleIndex.count(F.Rule)) {
      RuleInfo Info = ruleInfo(F.Rule);
      RuleIndex[F.Rule] = static_cast<int>(Rules.size());
      Rules.push_back({{"id", F.Rule},
                       {"shortDescription", {{"text", Info.Summary}}},
                       {"fullDescription", {{"text", Info.Help}}},
                       {"help", {{"text", Info.Help}}}});
    }
    nlohmann::json Result = {
        {"ruleId", F.Rule},
        {"ruleIndex", RuleIndex[F.Rule]},
        {"level", F.Severity == "error" ? "error" : "warning"},
        {"message", {{"text", F.Message}}},
        {"locations",
         {sarifLocation(F.File, Input.SourceRoot,
                        {{"startLine", std::max(F.Position.Line, 1)},
                         {"startColumn", std::max(F.Position.Column, 1)}})}}};
    if (!F.Id.empty())
      Result["partialFingerprints"] = {{"primaryLocationLineHash", F.Id}};
    if (F.Loop) {
      nlohmann::json Loop =
          sarifLocation(F.Loop->File, Input.SourceRoot,
                        {{"startLine", F.Loop->Begin.Line},
                         {"startColumn", F.Loop->Begin.Column},
                         {"endLine", F.Loop->End.Line},
                         {"endColumn", F.Loop->End.Column + 1}});
      Loop["id"] = 1;
      Loop["message"] = {{"text", "the loop whose iterations keep memory"}};
      // Not `= {Loop}`: clang makes that a copy of Loop, g++ an array.
      Result["relatedLocations"] = nlohmann::json::array({Loop});
    }
    Results.push_back(std::move(Result));
  }

  nlohmann::json Notifications = nlohmann::json::array();
  for (const AnalysisError &E : Input.Errors)
    Notifications.push_back(
        {{"level", "error"},
         {"message", {{"text", E.Message}}},
         {"locations",
          {sarifLocation(E.File, Input.SourceRoot,
                         {{"startLine", std::max(E.Position.Line, 1)},
                          {"startColumn", std::max(E.Position.Column, 1)}})}}});

  nlohmann::json Run = {{"tool",
                         {{"driver",
                           {{"name", Input.ToolName},
                            {"version", ToolVersion},
                            {"semanticVersion", ToolVersion},
                            {"rules", Rules}}}}},
                        {"invocations",
                         {{{"executionSuccessful", Input.Errors.empty()},
                           {"toolExecutionNotifications", Notifications}}}},
                        {"results", Results}};
  if (!Input.SourceRoot.empty()) {
    std::string Root = Input.SourceRoot.back() == '/' ? Input.SourceRoot
                                                      : Input.SourceRoot + "/";
    Run["originalUriBaseIds"] = {
        {"%SRCROOT%", {{"uri", "file://" + toUriPath(Root)}}}};
  }
  nlohmann::json Log = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", {Run}}};
  return Log.dump(2) + "\n";
}

std::string renderGithub(const ReportInput &Input) {
  std::ostringstream Out;
  size_t Warnings = 0, Errors = 0, Hidden = 0;
  auto Annotate = [&](const char *Kind, size_t &Count, const std::string &File,
                      const SourcePosition &Position, const std::string &Title,
                      const std::string &Message) {
    if (Count >= GithubAnnotationLimit) {
      ++Hidden;
      return;
    }
    ++Count;
    Out << "::" << Kind << " file="
        << githubEscape(relativeToRoot(File, Input.SourceRoot), true)
        << ",line=" << std::max(Position.Line, 1)
        << ",col=" << std::max(Position.Column, 1)
        << ",title=" << githubEscape(Title, true)
        << "::" << githubEscape(Message, false) << "\n";
  };
  for (const AnalysisError &E : Input.Errors)
    Annotate("error", Errors, E.File, E.Position, "torch-tidy: compiler error",
             E.Message);
  for (const Finding &F : Input.Findings)
    Annotate(F.Severity == "error" ? "error" : "warning",
             F.Severity == "error" ? Errors : Warnings, F.File, F.Position,
             F.Rule, F.Message);
  if (Hidden)
    Out << "::notice title=torch-tidy::" << Hidden << " more finding"
        << (Hidden == 1 ? "" : "s")
        << " not shown as annotations (GitHub shows 10 of each kind per "
           "step); see the full report\n";
  return Out.str();
}

std::string renderGitlab(const ReportInput &Input) {
  nlohmann::json Issues = nlohmann::json::array();
  for (const Finding &F : Input.Findings)
    Issues.push_back(
        {{"description", F.Message},
         {"check_name", F.Rule},
         {"fingerprint", F.Id},
         {"severity", F.Severity == "error" ? "critical" : "major"},
         {"location",
          {{"path", relativeToRoot(F.File, Input.SourceRoot)},
           {"lines", {{"begin", F.Position.Line}}}}}});
  return Issues.dump(2) + "\n";
}

std::string renderReport(ReportFormat Format, const ReportInput &Input) {
  switch (Format) {
  case ReportFormat::Json:
    return findingsToJson(Input.Findings, Input.Errors).dump(2) + "\n";
  case ReportFormat::Sarif:
    return renderSarif(Input);
  case ReportFormat::Github:
    return renderGithub(Input);
  case ReportFormat::Gitlab:
    return renderGitlab(Input);
  case ReportFormat::Clang:
    break;
  }
  return "";
}

} // namespace torch_tidy
