//===--- LspMessageFuzzer.cpp - libFuzzer target over the LSP reader ------===//
//
// Each input is the byte stream a client could send to `torch-tidy lsp`. It
// is read with the server's MessageReader, handed out in small chunks of
// varying size so that header and body boundaries fall anywhere; each
// message is classified as the server does, and its content changes,
// positions and URIs go through the code that applies them to a document.
// Then a Server handles the same messages (its answers go to /dev/null, its
// workers cannot start). Every path must end without a crash, a sanitizer
// report or an escaping exception.
//
//===----------------------------------------------------------------------===//

#include "lsp/DocumentText.h"
#include "lsp/Server.h"
#include "lsp/Transport.h"
#include "lsp/Uri.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

using namespace torch_tidy::lsp;

namespace {

/// The server's documents stay below this here, so that a run stays fast.
constexpr size_t MaxDocument = 1 << 16;

void check(bool Holds) {
  if (!Holds)
    __builtin_trap();
}

void exercisePositions(const std::string &Text, const nlohmann::json &Value) {
  Position P;
  if (!readPosition(Value, P))
    return;
  size_t Offset = offsetOf(Text, P);
  check(Offset <= Text.size());
  Position Back = positionOf(Text, Offset);
  check(Back.Line <= P.Line);
}

void exerciseParams(std::string &Document, const nlohmann::json &Params) {
  if (!Params.is_object())
    return;
  auto Changes = Params.find("contentChanges");
  if (Changes != Params.end() && Changes->is_array())
    for (const nlohmann::json &Change : *Changes) {
      std::string Problem;
      if (!applyContentChange(Document, Change, Problem))
        check(!Problem.empty());
      if (Document.size() > MaxDocument)
        Document.resize(MaxDocument);
    }
  auto Range = Params.find("range");
  if (Range != Params.end() && Range->is_object())
    for (const char *End : {"start", "end"})
      if (Range->contains(End))
        exercisePositions(Document, (*Range)[End]);
  auto Item = Params.find("textDocument");
  if (Item != Params.end() && Item->is_object()) {
    auto Uri = Item->find("uri");
    if (Uri != Item->end() && Uri->is_string()) {
      std::optional<std::string> Path = pathFromUri(Uri->get<std::string>());
      // A path that came from a URI goes back to an equivalent one.
      if (Path && !Path->empty() && Path->front() == '/')
        check(pathFromUri(uriFromPath(*Path)) == Path);
    }
  }
}

} // namespace

/// The server's half: every message through Server::handle, as the command's
/// loop does, until `exit` or the end of the input.
void runServer(const uint8_t *Data, size_t Size) {
  static std::FILE *Sink = std::fopen("/dev/null", "w");
  MessageWriter Out(Sink);
  ServerOptions Options;
  Options.WorkerExecutable = "/nonexistent/torch-tidy-fuzz-worker";
  Options.DebounceMs = 0;
  Server S(Options, Out);
  size_t Read = 0;
  MessageReader Reader([&](char *Buffer, size_t Capacity) -> size_t {
    size_t Chunk = std::min(Capacity, Size - Read);
    std::memcpy(Buffer, Data + Read, Chunk);
    Read += Chunk;
    return Chunk;
  });
  while (S.handle(Reader.next())) {
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  size_t Read = 0;
  MessageReader Reader([&](char *Buffer, size_t Capacity) -> size_t {
    size_t Chunk = std::min({Capacity, Size - Read, 1 + (Read * 7) % 23});
    std::memcpy(Buffer, Data + Read, Chunk);
    Read += Chunk;
    return Chunk;
  });
  std::string Document = "#include <torch/torch.h>\n\nint main() {\n"
                         "  return 0; // \xc3\xa9\xf0\x9f\x98\x80\n}\n";
  while (true) {
    MessageReader::Result Next = Reader.next();
    if (Next.Kind == MessageReader::Status::End)
      break;
    if (Next.Kind == MessageReader::Status::BadMessage) {
      check(!Next.Problem.empty());
      continue;
    }
    Incoming In = classifyMessage(Next.Body);
    check((In.Type == Incoming::Invalid) == !In.Problem.empty());
    exerciseParams(Document, In.Params);
    // What the server writes back must serialise.
    (void)makeError(In.Id, InvalidRequest, In.Problem)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  runServer(Data, Size);
  return 0;
}
