//===--- Symbolizer.cpp - Naming the probe's return addresses -------------===//

#include "Symbolizer.h"

#include <elf.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace torch_tidy {

namespace {

std::string shellQuote(const std::string &Text) {
  std::string Out = "'";
  for (char C : Text) {
    if (C == '\'')
      Out += "'\\''";
    else
      Out += C;
  }
  return Out + "'";
}

std::string findOnPath(const std::string &Tool) {
  const char *Path = std::getenv("PATH");
  std::stringstream Dirs(Path ? Path : "/usr/bin:/bin");
  std::string Dir;
  while (std::getline(Dirs, Dir, ':')) {
    std::string Candidate = (Dir.empty() ? "." : Dir) + "/" + Tool;
    if (access(Candidate.c_str(), X_OK) == 0)
      return Candidate;
  }
  return "";
}

std::string runCommand(const std::string &Command) {
  std::string Output;
  FILE *Pipe = popen(Command.c_str(), "r");
  if (!Pipe)
    return Output;
  char Buffer[4096];
  size_t Read;
  while ((Read = std::fread(Buffer, 1, sizeof(Buffer), Pipe)) > 0)
    Output.append(Buffer, Read);
  pclose(Pipe);
  return Output;
}

/// "file:line[:column]" with "??" for unknown parts.
void parseLocation(const std::string &Text, SymbolizedFrame &Frame) {
  std::string Location = Text;
  // addr2line appends " (discriminator N)".
  if (auto Paren = Location.find(" ("); Paren != std::string::npos)
    Location.resize(Paren);
  size_t First = Location.find(':');
  if (First == std::string::npos)
    return;
  std::string File = Location.substr(0, First);
  int Line = std::atoi(Location.c_str() + First + 1);
  if (File != "??" && Line > 0) {
    Frame.File = File;
    Frame.Line = Line;
  }
}

std::string hexAddress(uint64_t Address) {
  char Buffer[32];
  std::snprintf(Buffer, sizeof(Buffer), "0x%llx",
                static_cast<unsigned long long>(Address));
  return Buffer;
}

class ExternalSymbolizer : public Symbolizer {
public:
  ExternalSymbolizer(std::string Tool, bool IsAddr2line)
      : Tool(std::move(Tool)), IsAddr2line(IsAddr2line) {}

  std::vector<SymbolizedFrame> symbolize(const std::string &ModulePath,
                                         uint64_t Address) override {
    std::string Command =
        IsAddr2line ? shellQuote(Tool) + " -f -i -C -e " +
                          shellQuote(ModulePath) + " " + hexAddress(Address)
                    : shellQuote(Tool) + " --inlining --demangle --obj=" +
                          shellQuote(ModulePath) + " " + hexAddress(Address);
    return parseSymbolizerOutput(runCommand(Command + " 2>/dev/null"));
  }

  std::string name() const override { return Tool; }

private:
  std::string Tool;
  bool IsAddr2line;
};

} // namespace

std::vector<SymbolizedFrame> parseSymbolizerOutput(const std::string &Text) {
  std::vector<SymbolizedFrame> Frames;
  std::istringstream Lines(Text);
  std::string Function, Location;
  while (std::getline(Lines, Function)) {
    if (Function.empty())
      break; // The end of this address's frames.
    if (!std::getline(Lines, Location))
      break;
    SymbolizedFrame Frame;
    if (Function != "??")
      Frame.Function = Function;
    parseLocation(Location, Frame);
    if (!Frame.Function.empty() || !Frame.File.empty())
      Frames.push_back(std::move(Frame));
  }
  return Frames;
}

std::unique_ptr<Symbolizer> makeExternalSymbolizer() {
  for (const char *Tool :
       {"llvm-symbolizer", "llvm-symbolizer-19", "llvm-symbolizer-18",
        "llvm-symbolizer-17", "llvm-symbolizer-16", "llvm-symbolizer-15",
        "llvm-symbolizer-14"})
    if (std::string Found = findOnPath(Tool); !Found.empty())
      return std::make_unique<ExternalSymbolizer>(Found, false);
  if (std::string Found = findOnPath("addr2line"); !Found.empty())
    return std::make_unique<ExternalSymbolizer>(Found, true);
  return nullptr;
}

std::string readBuildId(const std::string &Path, std::string &Error) {
  std::ifstream In(Path, std::ios::binary);
  if (!In) {
    Error = "cannot open";
    return "";
  }
  Elf64_Ehdr Header{};
  if (!In.read(reinterpret_cast<char *>(&Header), sizeof(Header)) ||
      std::memcmp(Header.e_ident, ELFMAG, SELFMAG) != 0 ||
      Header.e_ident[EI_CLASS] != ELFCLASS64) {
    Error = "not a 64-bit ELF file";
    return "";
  }
  for (unsigned I = 0; I < Header.e_phnum; ++I) {
    Elf64_Phdr Segment{};
    In.seekg(static_cast<std::streamoff>(Header.e_phoff +
                                         I * uint64_t(Header.e_phentsize)));
    if (!In.read(reinterpret_cast<char *>(&Segment), sizeof(Segment)))
      break;
    if (Segment.p_type != PT_NOTE || Segment.p_filesz > (1u << 20))
      continue;
    std::string Notes(Segment.p_filesz, '\0');
    In.seekg(static_cast<std::streamoff>(Segment.p_offset));
    if (!In.read(Notes.data(), static_cast<std::streamsize>(Notes.size())))
      continue;
    size_t At = 0;
    while (At + sizeof(Elf64_Nhdr) <= Notes.size()) {
      Elf64_Nhdr Note{};
      std::memcpy(&Note, Notes.data() + At, sizeof(Note));
      size_t Name = At + sizeof(Note);
      size_t Desc = Name + ((Note.n_namesz + 3) & ~3u);
      if (Desc + Note.n_descsz > Notes.size())
        break;
      if (Note.n_type == NT_GNU_BUILD_ID && Note.n_namesz == 4 &&
          std::memcmp(Notes.data() + Name, "GNU", 4) == 0) {
        static const char Digits[] = "0123456789abcdef";
        std::string Hex;
        for (size_t B = 0; B < Note.n_descsz; ++B) {
          auto Byte = static_cast<unsigned char>(Notes[Desc + B]);
          Hex += Digits[Byte >> 4];
          Hex += Digits[Byte & 15];
        }
        return Hex;
      }
      At = Desc + ((Note.n_descsz + 3) & ~3u);
    }
  }
  return "";
}

} // namespace torch_tidy
