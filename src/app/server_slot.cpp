#include "app/server_slot.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace leadline::app {
namespace {

constexpr std::size_t kIdChars = 16;
constexpr std::size_t kMostHostChars = 64;

bool IsId(const std::string& text) {
  return text.size() == kIdChars && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string NewId() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  while (id.size() < kIdChars) {
    const unsigned bits = random();
    for (int i = 0; i < 8 && id.size() < kIdChars; ++i) id += kHex[(bits >> (4 * i)) & 0xf];
  }
  return id;
}

common::Status FileError(const std::string& what, const std::string& path) {
  return common::Status::FailedPrecondition("cannot " + what + " " + path + ": " +
                                            std::strerror(errno));
}

// The slot's id, made and written when the file has none (only its lock's holder writes it).
common::Result<std::string> SlotId(int fd, const std::string& path) {
  char text[kIdChars + 2] = {};
  const ssize_t read = pread(fd, text, sizeof text, 0);
  if (read < 0) return FileError("read", path);
  std::string id(text, static_cast<std::size_t>(read));
  if (!id.empty() && id.back() == '\n') id.pop_back();
  if (IsId(id)) return id;
  id = NewId();
  const std::string line = id + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size()) ||
      fsync(fd) != 0) {
    return FileError("write", path);
  }
  return id;
}

}  // namespace

common::Result<std::unique_ptr<ServerSlot>> ServerSlot::Take(const std::string& dir,
                                                             const std::string& host) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return common::Status::FailedPrecondition("cannot make " + dir + ": " + error.message());
  }
  for (int number = 0; number < kMostServerSlots; ++number) {
    const std::string path = dir + "/slot-" + std::to_string(number);
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return FileError("open", path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int why = errno;
      close(fd);
      if (why == EWOULDBLOCK) continue;  // a live server's
      errno = why;
      return FileError("lock", path);
    }
    auto id = SlotId(fd, path);
    if (!id.ok()) {
      close(fd);
      return id.status();
    }
    const std::string name = host.empty() ? "server" : host.substr(0, kMostHostChars);
    return std::unique_ptr<ServerSlot>(
        new ServerSlot(fd, number, name + ":slot-" + std::to_string(number) + ":" + *id));
  }
  return common::Status::FailedPrecondition("all " + std::to_string(kMostServerSlots) +
                                            " server slots of " + dir + " are held");
}

ServerSlot::~ServerSlot() { close(fd_); }  // lets go of the lock

}  // namespace leadline::app
