// The oracle's default resolution over fixture.json, shared by the oracle program and the
// GraphQL benchmark. Fields resolve exactly as tests/graphql/oracle.mjs resolves them in
// graphql-js:
//  - a field's value is the parent object's member of the field's name; {"$ref": K} stands for
//    the fixture's objects[K]; an abstract type's object names its type in "__typename";
//  - a field named in the fixture's "errors" (Type.field) or in the object's "$errors" fails;
//  - the value "$args" answers the field's coerced arguments as JSON text;
//  - a list is cut to the field's `first` argument when it has one.
// The fixture must outlive the resolver. Not thread-safe (one request at a time).
#pragma once

#include <nlohmann/json.hpp>

#include "api/graphql/resolver.h"

namespace leadline::graphql::testing {

class FixtureResolver : public Resolver {
 public:
  explicit FixtureResolver(const nlohmann::ordered_json& fixture) : fixture_(fixture) {}

  std::vector<Resolved> Resolve(const FieldCall& call) override;

  // The handle of the fixture's root object (the parent of Query and Mutation fields).
  ObjectHandle Root() const { return Unowned(&fixture_["root"]); }

 private:
  const nlohmann::ordered_json& Deref(const nlohmann::ordered_json& json) const;
  Resolved Convert(const nlohmann::ordered_json& raw, const Value* first) const;

  const nlohmann::ordered_json& fixture_;
};

}  // namespace leadline::graphql::testing
