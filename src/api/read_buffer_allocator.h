// The allocator of connections' read buffers. A connection reserves kReadBufferBlock bytes while
// it reads a request and gives them back when it goes idle (so that an idle connection holds no
// buffer); from malloc, that made every request map, zero and unmap fresh pages (glibc returns a
// freed block at the heap's top to the kernel). Blocks of exactly that size are kept for reuse
// instead, a few per thread. Stateless; each thread has its own blocks.
#pragma once

#include <cstddef>

namespace leadline::api {

inline constexpr std::size_t kReadBufferBlock = 64 * 1024;

// A block of `bytes` (from this thread's kept blocks when it is kReadBufferBlock), and back.
char* AllocateReadBuffer(std::size_t bytes);
void FreeReadBuffer(char* block, std::size_t bytes);

template <class T>
class ReadBufferAllocator {
 public:
  using value_type = T;
  ReadBufferAllocator() = default;
  template <class U>
  ReadBufferAllocator(const ReadBufferAllocator<U>&) {}  // NOLINT: allocators convert implicitly

  T* allocate(std::size_t count) {
    return reinterpret_cast<T*>(AllocateReadBuffer(count * sizeof(T)));
  }
  void deallocate(T* block, std::size_t count) {
    FreeReadBuffer(reinterpret_cast<char*>(block), count * sizeof(T));
  }
  template <class U>
  bool operator==(const ReadBufferAllocator<U>&) const {
    return true;
  }
  template <class U>
  bool operator!=(const ReadBufferAllocator<U>&) const {
    return false;
  }
};

}  // namespace leadline::api
