#include "ModuleTable.h"

#include <elf.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace torch_tidy::probe {

namespace {

std::string hex(const unsigned char *Bytes, size_t Count) {
  static const char Digits[] = "0123456789abcdef";
  std::string Out;
  for (size_t I = 0; I < Count; ++I) {
    Out += Digits[Bytes[I] >> 4];
    Out += Digits[Bytes[I] & 15];
  }
  return Out;
}

/// The GNU build id from a loaded module's PT_NOTE segments.
std::string buildIdOf(const dl_phdr_info &Info) {
  for (int I = 0; I < Info.dlpi_phnum; ++I) {
    const ElfW(Phdr) &Segment = Info.dlpi_phdr[I];
    if (Segment.p_type != PT_NOTE)
      continue;
    auto *Cursor =
        reinterpret_cast<const unsigned char *>(Info.dlpi_addr + Segment.p_vaddr);
    const unsigned char *End = Cursor + Segment.p_memsz;
    while (Cursor + sizeof(ElfW(Nhdr)) <= End) {
      ElfW(Nhdr) Note;
      std::memcpy(&Note, Cursor, sizeof(Note));
      const unsigned char *Name = Cursor + sizeof(Note);
      const unsigned char *Desc = Name + ((Note.n_namesz + 3) & ~3u);
      if (Note.n_type == NT_GNU_BUILD_ID && Note.n_namesz == 4 &&
          std::memcmp(Name, "GNU", 4) == 0 && Desc + Note.n_descsz <= End)
        return hex(Desc, Note.n_descsz);
      Cursor = Desc + ((Note.n_descsz + 3) & ~3u);
    }
  }
  return "";
}

std::string executablePath() {
  char Path[4096];
  ssize_t Length = readlink("/proc/self/exe", Path, sizeof(Path) - 1);
  if (Length <= 0)
    return "";
  Path[Length] = '\0';
  return Path;
}

std::string baseName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

} // namespace

bool isLibraryPath(const std::string &Path) {
  // The kernel's vDSO and the dynamic loader have no path of interest.
  if (Path.empty() || Path.find("linux-vdso") != std::string::npos)
    return true;
  std::string Name = baseName(Path);
  static const char *const LibraryPrefixes[] = {
      "libtorch", "libc10",   "libcaffe2", "libshm",    "libgomp",
      "libiomp",  "libomp",   "libmkl",    "libdnnl",   "libopenblas",
      "libblas",  "liblapack", "libsleef", "libcudnn",  "libcublas",
      "libcuda",  "libnccl",  "libstdc++", "libgcc_s",  "libc.so",
      "libm.so",  "ld-linux", "libpthread", "libprotobuf", "libgfortran"};
  for (const char *Prefix : LibraryPrefixes)
    if (Name.rfind(Prefix, 0) == 0)
      return true;
  // A PyTorch wheel's libraries.
  return Path.find("/torch/lib/") != std::string::npos;
}

void ModuleTable::reload() {
  std::vector<LoadedModule> Seen;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        auto &Out = *static_cast<std::vector<LoadedModule> *>(Data);
        LoadedModule M;
        M.Path = Info->dlpi_name ? Info->dlpi_name : "";
        // The main program is listed first with an empty name.
        if (M.Path.empty() && Out.empty())
          M.Path = executablePath();
        M.LoadBias = Info->dlpi_addr;
        for (int I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &Segment = Info->dlpi_phdr[I];
          if (Segment.p_type == PT_LOAD && (Segment.p_flags & PF_X))
            M.Code.push_back({Info->dlpi_addr + Segment.p_vaddr,
                              Info->dlpi_addr + Segment.p_vaddr +
                                  Segment.p_memsz});
        }
        if (M.Code.empty())
          return 0;
        M.BuildId = buildIdOf(*Info);
        M.IsLibrary = isLibraryPath(M.Path);
        Out.push_back(std::move(M));
        return 0;
      },
      &Seen);
  for (LoadedModule &M : Seen) {
    bool Known = std::any_of(Modules.begin(), Modules.end(),
                             [&](const LoadedModule &Old) {
                               return Old.Path == M.Path &&
                                      Old.LoadBias == M.LoadBias;
                             });
    if (!Known)
      Modules.push_back(std::move(M));
  }
}

int ModuleTable::findLocked(uintptr_t Address) {
  auto Holds = [&](int Index) {
    for (const LoadedModule::Range &R : Modules[static_cast<size_t>(Index)].Code)
      if (Address >= R.Begin && Address < R.End)
        return true;
    return false;
  };
  if (LastHit >= 0 && Holds(LastHit))
    return LastHit;
  // Later entries win: a library loaded where an unloaded one was.
  for (int I = static_cast<int>(Modules.size()); I-- > 0;)
    if (Holds(I))
      return LastHit = I;
  return -1;
}

int ModuleTable::findOrReloadLocked(uintptr_t Address) {
  int Found = findLocked(Address);
  if (Found < 0) {
    reload();
    Found = findLocked(Address);
  }
  return Found;
}

int ModuleTable::find(uintptr_t Address) {
  std::lock_guard<std::mutex> Lock(Mutex);
  return findOrReloadLocked(Address);
}

void ModuleTable::classify(const uintptr_t *Addresses, int Count, int *Out,
                           bool *IsLibrary) {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (int I = 0; I < Count; ++I) {
    Out[I] = findOrReloadLocked(Addresses[I]);
    IsLibrary[I] =
        Out[I] < 0 || Modules[static_cast<size_t>(Out[I])].IsLibrary;
  }
}

std::vector<LoadedModule> ModuleTable::modules() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Modules;
}

} // namespace torch_tidy::probe
