//===--- InputError.cpp - Bad input, reported in one line -----------------===//

#include "InputError.h"

#include <fstream>
#include <sstream>

namespace torch_tidy {

nlohmann::json readJsonFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    throw InputError(Path, "cannot open file");
  std::stringstream Buffer;
  Buffer << In.rdbuf();
  if (Buffer.str().empty())
    throw InputError(Path, "file is empty");
  try {
    return nlohmann::json::parse(Buffer.str());
  } catch (const nlohmann::json::parse_error &Error) {
    throw InputError(Path, std::string("not valid JSON (byte ") +
                               std::to_string(Error.byte) + ")");
  }
}

} // namespace torch_tidy
