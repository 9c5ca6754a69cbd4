#include "api/read_buffer_allocator.h"

#include <new>
#include <vector>

namespace leadline::api {
namespace {

constexpr std::size_t kBlocksKept = 16;  // a megabyte a thread at most

// This thread's kept blocks, freed when the thread ends.
struct KeptBlocks {
  std::vector<char*> blocks;
  ~KeptBlocks() {
    for (char* block : blocks) ::operator delete(block);
  }
};

KeptBlocks& Kept() {
  thread_local KeptBlocks kept;
  return kept;
}

}  // namespace

char* AllocateReadBuffer(std::size_t bytes) {
  if (bytes == kReadBufferBlock) {
    std::vector<char*>& blocks = Kept().blocks;
    if (!blocks.empty()) {
      char* block = blocks.back();
      blocks.pop_back();
      return block;
    }
  }
  return static_cast<char*>(::operator new(bytes));
}

void FreeReadBuffer(char* block, std::size_t bytes) {
  if (bytes == kReadBufferBlock) {
    std::vector<char*>& blocks = Kept().blocks;
    if (blocks.size() < kBlocksKept) {
      blocks.push_back(block);
      return;
    }
  }
  ::operator delete(block);
}

}  // namespace leadline::api
