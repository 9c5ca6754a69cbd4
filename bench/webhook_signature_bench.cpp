// What checking a webhook's signature costs a delivery: HMAC-SHA256 over the whole body, for the
// 11 KB pull request update of the server benchmark and smaller and larger bodies, against the
// same HMAC through libsodium (the peer: what the intake used before, run the same way here).
//   build/test/bench/leadline_webhook_signature_bench
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <string>

#include "sources/contract/webhook_signature.h"

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";

std::string Body(std::size_t size) {
  std::string body;
  for (int i = 0; body.size() < size; ++i) body += "{\"n\":" + std::to_string(i) + "},";
  body.resize(size);
  return body;
}

void BM_VerifyHubSignature(benchmark::State& state) {
  const std::string body = Body(static_cast<std::size_t>(state.range(0)));
  const std::string header = leadline::sources::SignHubSignature(body, kSecret);
  for (auto _ : state) {
    benchmark::DoNotOptimize(leadline::sources::VerifyHubSignature(header, body, kSecret));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_VerifyHubSignature)->Arg(1'000)->Arg(11'017)->Arg(1'000'000);

void BM_LibsodiumHmacSha256(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("libsodium did not start");
  const std::string body = Body(static_cast<std::size_t>(state.range(0)));
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  for (auto _ : state) {
    crypto_auth_hmacsha256_state hmac;
    crypto_auth_hmacsha256_init(&hmac, reinterpret_cast<const unsigned char*>(kSecret.data()),
                                kSecret.size());
    crypto_auth_hmacsha256_update(&hmac, reinterpret_cast<const unsigned char*>(body.data()),
                                  body.size());
    crypto_auth_hmacsha256_final(&hmac, mac);
    benchmark::DoNotOptimize(mac);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LibsodiumHmacSha256)->Arg(1'000)->Arg(11'017)->Arg(1'000'000);

}  // namespace

BENCHMARK_MAIN();
