// The code modules (executable and shared libraries) loaded in the process,
// so that a return address can be kept as module plus offset and named by
// `torch-tidy confirm` later, against the same build (its build id).
#ifndef TORCH_TIDY_RUNTIME_MODULETABLE_H
#define TORCH_TIDY_RUNTIME_MODULETABLE_H

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace torch_tidy::probe {

struct LoadedModule {
  std::string Path;
  std::string BuildId; // Hex of the GNU build-id note; empty when it has none.
  uintptr_t LoadBias = 0;
  /// libtorch, the C++ and C runtimes, the probe itself: code that is never
  /// the user's own line.
  bool IsLibrary = false;
  struct Range {
    uintptr_t Begin, End;
  };
  std::vector<Range> Code; // Executable segments, absolute addresses.
};

/// Every module seen so far. Indices stay valid: a module unloaded later is
/// kept, so that addresses recorded before are still named.
class ModuleTable {
public:
  /// The index of the module holding \p Address, or -1. Re-reads the loaded
  /// modules once when the address is in none of the known ones.
  int find(uintptr_t Address);

  /// find() for each of \p Count addresses under one lock; writes the
  /// indices to \p Out and whether each is library code to \p IsLibrary.
  void classify(const uintptr_t *Addresses, int Count, int *Out,
                bool *IsLibrary);

  /// A copy of the modules, for the report.
  std::vector<LoadedModule> modules();

private:
  int findLocked(uintptr_t Address);
  int findOrReloadLocked(uintptr_t Address);
  void reload();

  std::mutex Mutex;
  std::vector<LoadedModule> Modules;
  int LastHit = -1; // Consecutive frames are mostly in one library.
};

/// Whether a module path names library code: libtorch and its
/// dependencies, the C/C++ runtimes, the probe. Exposed for tests.
bool isLibraryPath(const std::string &Path);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_MODULETABLE_H
