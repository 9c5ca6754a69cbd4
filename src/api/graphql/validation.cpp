// The rules run in graphql-js's order. Done (all 26 of the specification, plus the recommended
// MaxIntrospectionDepth):
//   ExecutableDefinitions, UniqueOperationNames, LoneAnonymousOperation,
//   SingleFieldSubscriptions, KnownTypeNames, FragmentsOnCompositeTypes,
//   VariablesAreInputTypes, ScalarLeafs, FieldsOnCorrectType, UniqueFragmentNames,
//   KnownFragmentNames, NoUnusedFragments, PossibleFragmentSpreads, NoFragmentCycles,
//   UniqueVariableNames, NoUndefinedVariables, NoUnusedVariables, KnownDirectives,
//   UniqueDirectivesPerLocation, KnownArgumentNames, UniqueArgumentNames, ValuesOfCorrectType,
//   ProvidedRequiredArguments, VariablesInAllowedPosition, OverlappingFieldsCanBeMerged,
//   UniqueInputFieldNames, MaxIntrospectionDepth.
// Type system definitions inside a request are reported by ExecutableDefinitions; the other
// rules do not look inside them (graphql-js also checks their type names and directives).
#include "api/graphql/validation.h"

#include "api/graphql/rules.h"

namespace leadline::graphql {

std::vector<Error> Validate(const Schema& schema, const Document& document) {
  validation::Context context(schema, document);
  using Rule = void (*)(validation::Context&);
  static constexpr Rule kRules[] = {
      validation::ExecutableDefinitions,
      validation::UniqueOperationNames,
      validation::LoneAnonymousOperation,
      validation::SingleFieldSubscriptions,
      validation::KnownTypeNames,
      validation::FragmentsOnCompositeTypes,
      validation::VariablesAreInputTypes,
      validation::ScalarLeafs,
      validation::FieldsOnCorrectType,
      validation::UniqueFragmentNames,
      validation::KnownFragmentNames,
      validation::NoUnusedFragments,
      validation::PossibleFragmentSpreads,
      validation::NoFragmentCycles,
      validation::UniqueVariableNames,
      validation::NoUndefinedVariables,
      validation::NoUnusedVariables,
      validation::KnownDirectives,
      validation::UniqueDirectivesPerLocation,
      validation::KnownArgumentNames,
      validation::UniqueArgumentNames,
      validation::ValuesOfCorrectType,
      validation::ProvidedRequiredArguments,
      validation::VariablesInAllowedPosition,
      validation::OverlappingFieldsCanBeMerged,
      validation::UniqueInputFieldNames,
      validation::MaxIntrospectionDepth,
  };
  for (Rule rule : kRules) {
    if (context.full()) break;
    rule(context);
  }
  return context.TakeErrors();
}

}  // namespace leadline::graphql
