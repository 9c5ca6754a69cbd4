// Answers the introspection fields (__schema, __type and the fields of __Schema, __Type,
// __Field, __InputValue, __EnumValue, __Directive) from the schema itself, never from data.
// The executor routes those fields here instead of to the caller's resolver. Stateless;
// thread-safe.
#pragma once

#include <vector>

#include "api/graphql/resolver.h"

namespace leadline::graphql {

// Whether the field is answered by introspection rather than by the caller's resolver.
bool IsIntrospectionField(const Type* parent_type, const Field& field);

std::vector<Resolved> ResolveIntrospection(const FieldCall& call);

}  // namespace leadline::graphql
