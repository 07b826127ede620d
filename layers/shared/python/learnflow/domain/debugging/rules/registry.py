"""The registry of situations: which are tried for an error, in which order, and the help they give.

Runtime errors are looked up by type, then the situations any runtime error may be in are tried;
syntax errors go through one list. The first situation that recognises the error explains it.
"""

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules import fallbacks
from learnflow.domain.debugging.rules.attributes_and_types import (
    attributes,
    none_values,
    not_callable,
    text_and_numbers,
    wrong_type_use,
)
from learnflow.domain.debugging.rules.calls_and_arguments import argument_counts
from learnflow.domain.debugging.rules.facts import RuntimeFacts, SyntaxFacts
from learnflow.domain.debugging.rules.indexes_and_keys import indexes, keys
from learnflow.domain.debugging.rules.input_and_files import end_of_input, missing_file
from learnflow.domain.debugging.rules.names import imports, unbound_local, undefined
from learnflow.domain.debugging.rules.program_flow import assertions, iteration, recursion
from learnflow.domain.debugging.rules.situations import Situation, first_match
from learnflow.domain.debugging.rules.syntax import (
    assignments,
    brackets,
    expressions,
    indentation,
    statements,
    text_and_characters,
)
from learnflow.domain.debugging.rules.syntax.unreadable import unreadable
from learnflow.domain.debugging.rules.values import numbers, unpacking

_MODULE_NOT_FOUND = (imports.third_party_module, imports.misspelled_module, imports.unknown_module)

RUNTIME_SITUATIONS: dict[str, tuple[Situation[RuntimeFacts], ...]] = {
    "NameError": (
        undefined.missing_import,
        undefined.misspelled_name,
        undefined.used_before_definition,
        undefined.local_variable_outside_function,
        undefined.text_without_quotes,
        undefined.undefined_name,
    ),
    "UnboundLocalError": (unbound_local.assigns_global, unbound_local.used_before_assignment),
    "TypeError": (
        text_and_numbers.input_not_converted,
        *none_values.NONE_SITUATIONS,
        text_and_numbers.str_plus_number,
        not_callable.shadowed_builtin,
        not_callable.number_called,
        not_callable.value_called,
        wrong_type_use.function_with_brackets,
        wrong_type_use.not_subscriptable,
        wrong_type_use.not_iterable,
        text_and_numbers.compare_different_types,
        argument_counts.method_without_self,
        argument_counts.wrong_argument_count,
        keys.unhashable_key,
        indexes.index_of_wrong_type,
        wrong_type_use.item_assignment_on_immutable,
        wrong_type_use.length_of_single_value,
    ),
    "ValueError": (
        numbers.text_not_a_number,
        unpacking.wrong_number_of_names,
        indexes.value_not_in_list,
        numbers.outside_math_domain,
    ),
    "IndexError": (
        indexes.pop_from_empty_list,
        indexes.choice_from_empty_sequence,
        indexes.index_past_the_end_in_loop,
        indexes.index_out_of_range,
    ),
    "KeyError": (keys.key_missing_in_some, keys.misspelled_key, keys.missing_key),
    "AttributeError": (
        imports.module_shadowed_by_own_file,
        imports.missing_module_attribute,
        attributes.attribute_of_none,
        attributes.misspelled_attribute,
        attributes.unknown_attribute,
    ),
    "ZeroDivisionError": (numbers.division_by_zero,),
    "ModuleNotFoundError": _MODULE_NOT_FOUND,
    "ImportError": (imports.import_from_shadowed_module, imports.unknown_import_name, *_MODULE_NOT_FOUND),
    "RecursionError": (
        recursion.calls_too_deep,
        recursion.recursion_without_progress,
        recursion.recursion_without_end,
    ),
    "FileNotFoundError": (missing_file.file_not_found,),
    "AssertionError": (assertions.assertion_failed,),
    "StopIteration": (iteration.iterator_used_up,),
    "RuntimeError": (iteration.changed_while_looping,),
    "EOFError": (end_of_input.input_ran_out,),
}
#: tried for a runtime error of any type, after the situations of its own type
ANY_RUNTIME_ERROR: tuple[Situation[RuntimeFacts], ...] = (
    fallbacks.raised_by_program,
    fallbacks.raised_in_library,
)

SYNTAX_SITUATIONS: tuple[Situation[SyntaxFacts], ...] = (
    indentation.tabs_and_spaces,
    indentation.empty_block,
    indentation.unexpected_indent,
    indentation.unindent_mismatch,
    text_and_characters.invalid_character,
    text_and_characters.unterminated_string,
    statements.print_without_parentheses,
    brackets.bracket_closed_by_another_kind,
    brackets.extra_closing_bracket,
    brackets.unclosed_bracket,
    assignments.assignment_in_condition,
    assignments.invalid_assignment_target,
    assignments.keyword_as_name,
    statements.import_in_wrong_order,
    expressions.reversed_comparison,
    statements.else_if,
    statements.missing_colon,
    expressions.missing_comma,
    statements.def_without_parentheses,
    statements.for_without_in,
    expressions.argument_order,
    statements.outside_function_or_loop,
    expressions.name_starts_with_digit,
    expressions.multiplication_without_operator,
    expressions.values_side_by_side,
)


def diagnose_runtime(facts: RuntimeFacts) -> Diagnosis:
    """Help for an error raised while the program ran."""
    situations = (*RUNTIME_SITUATIONS.get(facts.error_type, ()), *ANY_RUNTIME_ERROR)
    found = first_match(situations, facts)
    return found if found is not None else fallbacks.unexplained(facts)


def diagnose_syntax(facts: SyntaxFacts) -> Diagnosis:
    """Help for a program Python cannot read."""
    found = first_match(SYNTAX_SITUATIONS, facts)
    return found if found is not None else unreadable(facts)
