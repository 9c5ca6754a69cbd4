// What verifying a CI or ID token costs a request, with the issuer's key set cached: RS256,
// PS256, ES256 and EdDSA, against checking an API token (the peer: what a request costs today).
//   build/test/bench/leadline_jwt_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "auth/jwt_verifier.h"
#include "testing/jwt_signer.h"

namespace {

using leadline::auth::IssuerPolicy;
using leadline::auth::JwtAlgorithm;
using leadline::testing::JwtSigner;
using leadline::testing::TestKeyType;

constexpr leadline::common::UnixSeconds kNow = 1'800'000'000;

// Claims in the shape GitLab CI's id_tokens have.
std::string Claims() {
  return R"({"iss":"https://gitlab.example","aud":"https://leadline.example","sub":)"
         R"("project_path:acme/api:ref_type:branch:ref:main","namespace_id":"7",)"
         R"("namespace_path":"acme","project_id":"42","project_path":"acme/api",)"
         R"("user_id":"3","user_login":"alice","pipeline_id":"1001","pipeline_source":"push",)"
         R"("job_id":"5001","ref":"main","ref_type":"branch","ref_protected":"true",)"
         R"("environment":"production","deployment_tier":"production","jti":"j-1","exp":)" +
         std::to_string(kNow + 300) + R"(,"iat":)" + std::to_string(kNow) + "}";
}

void Verify(benchmark::State& state, TestKeyType type, const char* alg) {
  const JwtSigner signer(type, "k1");
  // The issuer's set holds a few keys, as real ones do during a rotation.
  const JwtSigner other(type, "k0");
  auto keys = leadline::auth::ParseKeySet(
      leadline::testing::KeySetJson({other.PublicJwk(), signer.PublicJwk()}));
  IssuerPolicy policy;
  policy.issuer = "https://gitlab.example";
  policy.audiences = {"https://leadline.example"};
  policy.algorithms = {*leadline::auth::JwtAlgorithmNamed(alg)};
  const std::string token = signer.SignClaims(Claims(), alg);
  for (auto _ : state) {
    auto verified = leadline::auth::VerifyJwt(token, policy, *keys, kNow);
    if (!verified.ok()) state.SkipWithError(verified.status().message().c_str());
    benchmark::DoNotOptimize(verified);
  }
}

void BM_VerifyRS256(benchmark::State& state) { Verify(state, TestKeyType::kRsa, "RS256"); }
void BM_VerifyPS256(benchmark::State& state) { Verify(state, TestKeyType::kRsa, "PS256"); }
void BM_VerifyES256(benchmark::State& state) { Verify(state, TestKeyType::kP256, "ES256"); }
void BM_VerifyEdDSA(benchmark::State& state) { Verify(state, TestKeyType::kEd25519, "EdDSA"); }

// The peer: an API token checked against 50 stored ones, as the access gate does.
void BM_ApiToken(benchmark::State& state) {
  std::vector<leadline::model::ApiToken> tokens;
  std::string secret;
  for (int i = 0; i < 50; ++i) {
    auto minted = leadline::auth::MintToken("t" + std::to_string(i), {"write:events"}, {}, {},
                                            std::nullopt, kNow);
    tokens.push_back(minted->token);
    secret = minted->secret;
  }
  const std::string header = "Bearer " + secret;
  for (auto _ : state) {
    auto principal = leadline::auth::Authenticate(header, tokens, {}, kNow);
    if (!principal.ok()) state.SkipWithError(principal.status().message().c_str());
    benchmark::DoNotOptimize(principal);
  }
}

BENCHMARK(BM_VerifyRS256);
BENCHMARK(BM_VerifyPS256);
BENCHMARK(BM_VerifyES256);
BENCHMARK(BM_VerifyEdDSA);
BENCHMARK(BM_ApiToken);

}  // namespace

BENCHMARK_MAIN();
