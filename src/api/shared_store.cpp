#include "api/shared_store.h"

#include <cassert>

namespace leadline::api {
namespace {

std::vector<std::unique_ptr<store::Store>> One(std::unique_ptr<store::Store> store) {
  std::vector<std::unique_ptr<store::Store>> stores;
  stores.push_back(std::move(store));
  return stores;
}

}  // namespace

common::Result<std::unique_ptr<SharedStore>> SharedStore::Open(const std::string& url, int size,
                                                               std::chrono::milliseconds wait) {
  if (size < 1) return common::Status::InvalidArgument("a store pool holds at least one store");
  std::vector<std::unique_ptr<store::Store>> stores;
  for (int i = 0; i < size; ++i) {
    LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> opened, store::OpenStore(url));
    LEADLINE_RETURN_IF_ERROR(opened->DeferMaintenance());
    stores.push_back(std::move(opened));
  }
  return std::make_unique<SharedStore>(std::move(stores), wait);
}

SharedStore::SharedStore(std::vector<std::unique_ptr<store::Store>> stores,
                         std::chrono::milliseconds wait)
    : stores_(std::move(stores)), wait_(wait) {
  assert(!stores_.empty());
  for (const std::unique_ptr<store::Store>& store : stores_) free_.push_back(store.get());
}

SharedStore::SharedStore(std::unique_ptr<store::Store> store, std::chrono::milliseconds wait)
    : SharedStore(One(std::move(store)), wait) {}

store::Store* SharedStore::Take() {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, wait_, [this] { return !free_.empty(); })) return nullptr;
  store::Store* store = free_.back();
  free_.pop_back();
  return store;
}

void SharedStore::Give(store::Store* store) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(store);
  }
  freed_.notify_one();
}

common::Status SharedStore::Busy() const {
  return common::Status::Unavailable("the store is busy: all " + std::to_string(stores_.size()) +
                                     " of the server's connections to it stayed in use for " +
                                     std::to_string(wait_.count()) + " ms; retry in a moment");
}

}  // namespace leadline::api
