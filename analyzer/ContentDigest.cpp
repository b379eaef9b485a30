//===--- ContentDigest.cpp - Digests that key the caches -----------------===//

#include "ContentDigest.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"

namespace torch_tidy {

std::string contentDigest(llvm::StringRef Text) {
  std::array<uint8_t, 32> Hash =
      llvm::SHA256::hash(llvm::arrayRefFromStringRef(Text));
  return llvm::toHex(llvm::ArrayRef(Hash).take_front(16), true);
}

std::optional<std::string> fileContentDigest(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return std::nullopt;
  return contentDigest((*Buffer)->getBuffer());
}

const std::string &toolIdentity() {
  static const std::string Identity = [] {
    std::string Text = TORCH_TIDY_VERSION;
    llvm::sys::fs::file_status Status;
    if (!llvm::sys::fs::status("/proc/self/exe", Status))
      Text += " " + std::to_string(Status.getSize()) + " " +
              std::to_string(Status.getLastModificationTime()
                                 .time_since_epoch()
                                 .count());
    return Text;
  }();
  return Identity;
}

} // namespace torch_tidy
