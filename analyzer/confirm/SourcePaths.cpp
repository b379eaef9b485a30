//===--- SourcePaths.cpp - Do two paths name the same source file? --------===//

#include "SourcePaths.h"

#include <vector>

namespace torch_tidy {

namespace {

/// Path components with "." removed and ".." folded where possible.
std::vector<std::string> components(const std::string &Path) {
  std::vector<std::string> Parts;
  std::string Part;
  auto Flush = [&] {
    if (Part == "..") {
      if (!Parts.empty() && Parts.back() != "..")
        Parts.pop_back();
      else
        Parts.push_back(Part);
    } else if (!Part.empty() && Part != ".") {
      Parts.push_back(Part);
    }
    Part.clear();
  };
  for (char C : Path) {
    if (C == '/' || C == '\\')
      Flush();
    else
      Part += C;
  }
  Flush();
  return Parts;
}

bool isAbsolute(const std::string &Path) {
  return !Path.empty() && (Path[0] == '/' || Path[0] == '\\');
}

} // namespace

std::string normalizePath(const std::string &Path) {
  std::string Out = isAbsolute(Path) ? "/" : "";
  for (const std::string &Part : components(Path)) {
    if (Part == ".." && Out == "/")
      continue; // Above the root is the root.
    if (!Out.empty() && Out.back() != '/')
      Out += '/';
    Out += Part;
  }
  return Out.empty() ? "." : Out;
}

bool isSameSourceFile(const std::string &A, const std::string &B) {
  std::vector<std::string> PartsA = components(A), PartsB = components(B);
  if (isAbsolute(A) && isAbsolute(B))
    return PartsA == PartsB;
  const auto &Shorter = PartsA.size() <= PartsB.size() ? PartsA : PartsB;
  const auto &Longer = PartsA.size() <= PartsB.size() ? PartsB : PartsA;
  // Leading ".." of a relative path cannot be resolved; match what follows.
  std::size_t Skip = 0;
  while (Skip < Shorter.size() && Shorter[Skip] == "..")
    ++Skip;
  std::size_t Count = Shorter.size() - Skip;
  if (Count == 0 || Count > Longer.size())
    return false;
  for (std::size_t I = 0; I < Count; ++I)
    if (Shorter[Skip + I] != Longer[Longer.size() - Count + I])
      return false;
  return true;
}

} // namespace torch_tidy
