#include "auth/secret_box.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace leadline::auth {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kBase64Variant = sodium_base64_VARIANT_ORIGINAL;

void EnsureSodium() {
  static const int ready = sodium_init();
  (void)ready;  // 0: initialised now, 1: already; -1 cannot happen on Linux with /dev/urandom
}

std::string ToHex(const SecretBox::Key& key) {
  std::string hex(key.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  return hex;
}

common::Result<SecretBox::Key> ReadKeyFile(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return common::Status::IoError("cannot read the key file '" + path + "'");
  }
  if ((info.st_mode & 077) != 0) {
    std::ostringstream mode;
    mode << std::oct << (info.st_mode & 0777);
    return common::Status::FailedPrecondition("the key file '" + path +
                                              "' can be read by other users (mode " + mode.str() +
                                              "): run `chmod 600 " + path + "`");
  }
  std::ifstream in(path);
  std::string hex;
  if (!S_ISREG(info.st_mode) || !(in >> hex)) {
    return common::Status::IoError("cannot read the key file '" + path +
                                   "': it must be a file this user can read, holding the key");
  }
  return ParseHexKey(hex, "the key file '" + path + "'");
}

common::Result<SecretBox::Key> CreateKeyFile(const std::string& path) {
  SecretBox::Key key;
  randombytes_buf(key.data(), key.size());
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // Create with 0600 from the start: no moment where the key is readable by others.
  const mode_t old_mask = umask(077);
  std::ofstream out(path, std::ios::trunc);
  out << ToHex(key) << "\n";
  out.close();
  umask(old_mask);
  if (!out) return common::Status::IoError("cannot write the key file '" + path + "'");
  return key;
}

}  // namespace

common::Result<SecretBox::Key> ParseHexKey(std::string_view hex, const std::string& where) {
  EnsureSodium();
  SecretBox::Key key;
  std::size_t length = 0;
  if (hex.size() != 2 * key.size() ||
      sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != key.size()) {
    return common::Status::InvalidArgument(
        where + " must hold 64 hex digits (32 random bytes), e.g. from `openssl rand -hex 32`");
  }
  return key;
}

SecretBox::SecretBox(const Key& key) : key_(key) { EnsureSodium(); }

common::Result<SecretBox> SecretBox::FromEnvironmentOrKeyFile(const std::string& key_file) {
  EnsureSodium();
  if (const char* hex = std::getenv(kSecretKeyVariable); hex != nullptr && *hex != '\0') {
    LEADLINE_ASSIGN_OR_RETURN(const Key key, ParseHexKey(hex, kSecretKeyVariable));
    return SecretBox(key);
  }
  std::error_code ec;
  if (std::filesystem::exists(key_file, ec)) {
    LEADLINE_ASSIGN_OR_RETURN(const Key key, ReadKeyFile(key_file));
    return SecretBox(key);
  }
  LEADLINE_ASSIGN_OR_RETURN(const Key key, CreateKeyFile(key_file));
  return SecretBox(key);
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key_.data());
  std::string encoded(sodium_base64_encoded_len(box.size(), kBase64Variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<unsigned char*>(box.data()),
                    box.size(), kBase64Variant);
  encoded.pop_back();  // the terminating NUL
  return std::string(kPrefix) + encoded;
}

common::Result<std::string> SecretBox::Open(std::string_view sealed) const {
  if (!sealed.starts_with(kPrefix)) {
    return common::Status::InvalidArgument("a stored secret has an unknown format");
  }
  sealed.remove_prefix(kPrefix.size());
  std::string box(sealed.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                        sealed.size(), nullptr, &length, nullptr, kBase64Variant) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return common::Status::InvalidArgument("a stored secret is not valid base64");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  const std::size_t cipher_length = length - crypto_secretbox_NONCEBYTES;
  std::string plaintext(cipher_length - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, cipher_length, nonce,
                                 key_.data()) != 0) {
    return common::Status::FailedPrecondition(
        "a stored secret cannot be decrypted: the key changed (LEADLINE_SECRET_KEY or the key "
        "file) since it was stored, or the store was altered; connect again to store it anew");
  }
  return plaintext;
}

}  // namespace leadline::auth
