//===--- AtomicFile.cpp - Output files written whole or not at all --------===//

#include "AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torch_tidy {

namespace {

std::string cannotWrite(const std::string &Name, int Error) {
  return "cannot write " + Name + ": " + std::strerror(Error);
}

std::string quoted(const std::string &Path) { return "'" + Path + "'"; }

/// Writes all of \p Text to \p Fd; 0, or the errno of the write that
/// failed. A full disk may take only part of a write before failing.
int writeAll(int Fd, std::string_view Text) {
  while (!Text.empty()) {
    ssize_t Written = ::write(Fd, Text.data(), Text.size());
    if (Written < 0 && errno == EINTR)
      continue;
    if (Written < 0)
      return errno;
    if (Written == 0)
      return EIO; // No progress and no reason: do not spin.
    Text.remove_prefix(static_cast<size_t>(Written));
  }
  return 0;
}

/// close(), whose failure is the last chance to hear of a write that did
/// not reach the disk (NFS, quotas). On Linux the descriptor is closed even
/// when it reports EINTR, and the data was handed over.
int closeChecked(int Fd) {
  if (::close(Fd) != 0 && errno != EINTR)
    return errno;
  return 0;
}

/// Whether \p Path must be written in place rather than replaced by a
/// rename: a device (/dev/full), a pipe, a socket or a folder (whose open
/// then fails with its own reason), or an alias of an open descriptor
/// (/dev/stdout, /proc/self/fd/N): renaming onto one of those would replace
/// the alias, not write where the shell pointed it.
bool writtenInPlace(const std::string &Path) {
  struct stat Status;
  if (::stat(Path.c_str(), &Status) == 0 && !S_ISREG(Status.st_mode))
    return true;
  return Path.rfind("/dev/", 0) == 0 || Path.rfind("/proc/", 0) == 0;
}

bool writeInPlace(const std::string &Path, std::string_view Text,
                  std::string &Problem) {
  int Fd = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (Fd < 0) {
    Problem = cannotWrite(quoted(Path), errno);
    return false;
  }
  int Error = writeAll(Fd, Text);
  int CloseError = closeChecked(Fd);
  if (!Error)
    Error = CloseError;
  if (Error)
    Problem = cannotWrite(quoted(Path), Error);
  return !Error;
}

/// The file the rename replaces: through a symbolic link, its target, so
/// that the link stays a link.
std::string renamedFile(const std::string &Path) {
  struct stat Status;
  if (::lstat(Path.c_str(), &Status) != 0 || !S_ISLNK(Status.st_mode))
    return Path;
  char *Resolved = ::realpath(Path.c_str(), nullptr);
  if (!Resolved)
    return Path; // A dangling link: replaced by the file.
  std::string Target = Resolved;
  std::free(Resolved);
  return Target;
}

/// Makes a rename in the folder of \p File durable. Some file systems
/// refuse fsync on a folder; the file's own data is synced by then, so a
/// refusal is not an error.
void syncFolderOf(const std::string &File) {
  size_t Slash = File.rfind('/');
  std::string Folder = Slash == std::string::npos ? "."
                       : Slash == 0               ? "/"
                                                  : File.substr(0, Slash);
  int Fd = ::open(Folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return;
  ::fsync(Fd);
  ::close(Fd);
}

/// Creates a temporary file beside \p Target (the same folder, so the
/// rename cannot cross file systems) with a name no other thread or process
/// uses; -1 with errno set when the folder does not take it.
int createTemporary(const std::string &Target, std::string &Temporary) {
  static std::atomic<unsigned> Counter{0};
  // O_EXCL makes the name unique; a leftover of a dead process with the
  // same pid only costs another try.
  for (int Attempt = 0; Attempt < 100; ++Attempt) {
    Temporary = Target + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(Counter++);
    int Fd = ::open(Temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    0666);
    if (Fd >= 0 || errno != EEXIST)
      return Fd;
  }
  errno = EEXIST;
  return -1;
}

} // namespace

bool writeFileAtomically(const std::string &Path, std::string_view Text,
                         std::string &Problem, Durability Level) {
  if (writtenInPlace(Path))
    return writeInPlace(Path, Text, Problem);
  std::string Target = renamedFile(Path);
  std::string Temporary;
  int Fd = createTemporary(Target, Temporary);
  if (Fd < 0) {
    Problem = cannotWrite(quoted(Path), errno);
    return false;
  }
  // A file rewritten in place (--instrument) keeps its permissions; a new
  // one gets the umask's, as any other file the user creates.
  struct stat Existing;
  if (::stat(Target.c_str(), &Existing) == 0)
    ::fchmod(Fd, Existing.st_mode & 07777);
  int Error = writeAll(Fd, Text);
  if (!Error && Level == Durability::Synced && ::fsync(Fd) != 0)
    Error = errno;
  int CloseError = closeChecked(Fd);
  if (!Error)
    Error = CloseError;
  if (!Error && ::rename(Temporary.c_str(), Target.c_str()) != 0)
    Error = errno;
  if (Error) {
    ::unlink(Temporary.c_str());
    Problem = cannotWrite(quoted(Path), Error);
    return false;
  }
  if (Level == Durability::Synced)
    syncFolderOf(Target);
  return true;
}

bool writeStandardOutput(std::string_view Text, std::string &Problem) {
  std::fflush(stdout); // What went before through stdio or std::cout.
  if (int Error = writeAll(STDOUT_FILENO, Text)) {
    Problem = cannotWrite("standard output", Error);
    return false;
  }
  return true;
}

} // namespace torch_tidy
