package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ValidationReport;
import pql.scoring.domain.definition.Violation;
import pql.scoring.wire.DefinitionProtos;
import pql.v1.ScoringDefinition;

/**
 * Coverage-guided fuzzing of `pql definitions publish FILE`'s reading: arbitrary bytes as YAML or
 * JSON into a pql.v1.ScoringDefinition, then the server's checks on what was read. The only
 * exception is the documented IOException (not YAML/JSON, not an object, not a definition), with a
 * message; a definition that was read survives being printed as the CLI prints it ({@code pql
 * definitions preset}/{@code get}) and read again unchanged, and PublishDefinition's checks refuse
 * it with named fields or accept it (what an accepted definition then scores is fuzzed in
 * scoring-service, pql.scoring.wire.DefinitionFuzzTest).
 *
 * <p>Regression inputs: src/test/resources/pql/cli/DefinitionTextFuzzTestInputs/definitionText/.
 */
class DefinitionTextFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void definitionText(byte[] input) throws IOException {
        ScoringDefinition.Builder read = ScoringDefinition.newBuilder();
        try {
            Formats.parseYamlOrJson(new String(input, StandardCharsets.UTF_8), read);
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        ScoringDefinition definition = read.build();

        ScoringDefinition.Builder again = ScoringDefinition.newBuilder();
        Formats.parseYamlOrJson(Formats.yaml(definition), again);
        assertThat(again.build()).as("printed as YAML and read back").isEqualTo(definition);

        List<Violation> wireProblems = new ArrayList<>();
        ValidationReport report = DefinitionValidator.validate(DefinitionProtos.toDraft(definition, wireProblems));
        for (Violation violation : report.errors()) {
            assertThat(violation.field()).isNotNull();
            assertThat(violation.message()).isNotBlank();
        }
        assertThat(report.isValid()).isEqualTo(report.definition() != null);
    }
}
