// The validation rules, one function each, named as graphql-js names them (specification
// section 5). Each reports its errors to the Context. Internal to the validator.
#pragma once

#include "api/graphql/validation_context.h"

namespace leadline::graphql::validation {

// Rules over the document alone (rules_document.cpp).
void ExecutableDefinitions(Context& context);
void UniqueOperationNames(Context& context);
void LoneAnonymousOperation(Context& context);
void UniqueFragmentNames(Context& context);
void KnownFragmentNames(Context& context);
void NoUnusedFragments(Context& context);
void NoFragmentCycles(Context& context);
void UniqueVariableNames(Context& context);
void NoUndefinedVariables(Context& context);
void NoUnusedVariables(Context& context);
void UniqueArgumentNames(Context& context);
void UniqueDirectivesPerLocation(Context& context);
void UniqueInputFieldNames(Context& context);

// Rules that need the schema's types (rules_typed.cpp).
void SingleFieldSubscriptions(Context& context);
void KnownTypeNames(Context& context);
void FragmentsOnCompositeTypes(Context& context);
void VariablesAreInputTypes(Context& context);
void ScalarLeafs(Context& context);
void FieldsOnCorrectType(Context& context);
void PossibleFragmentSpreads(Context& context);
void KnownDirectives(Context& context);
void KnownArgumentNames(Context& context);
void ValuesOfCorrectType(Context& context);
void ProvidedRequiredArguments(Context& context);
void VariablesInAllowedPosition(Context& context);
void MaxIntrospectionDepth(Context& context);

// overlapping_fields.cpp
void OverlappingFieldsCanBeMerged(Context& context);

}  // namespace leadline::graphql::validation
