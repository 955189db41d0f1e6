package pql.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameSuggestionsTest {

    private static final List<String> PARAMETERS = List.of("pql_only", "open_only", "owner", "order_by");

    @Test
    void camelCaseDashesAndTyposFindTheSnakeCaseName() {
        assertThat(NameSuggestions.closest("pqlOnly", PARAMETERS)).contains("pql_only");
        assertThat(NameSuggestions.closest("pql-only", PARAMETERS)).contains("pql_only");
        assertThat(NameSuggestions.closest("ownr", PARAMETERS)).contains("owner");
        assertThat(NameSuggestions.closest("orderBy", PARAMETERS)).contains("order_by");
    }

    @Test
    void nothingCloseSuggestsNothing() {
        assertThat(NameSuggestions.closest("currency", PARAMETERS)).isEmpty();
        assertThat(NameSuggestions.closest("x", List.of())).isEmpty();
    }
}
