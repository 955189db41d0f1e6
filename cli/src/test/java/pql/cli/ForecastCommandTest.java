package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import pql.v1.ForecastDimension;
import pql.v1.ForecastFilter;
import pql.v1.GetForecastRequest;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.StreamForecastLinesRequest;

/** {@code pql forecast}: grouping and filters as asked of the gateway, the CSV export, bad arguments. */
class ForecastCommandTest {

    @TempDir
    Path directory;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void byDefaultItAsksForTheWholeForecastUnderTheActiveVersionNow() {
        FakeGateway.Run run = gateway.pql("forecast");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetForecastRequest request = gateway.last("GetForecast", GetForecastRequest.class);
        assertThat(request.getGroupByList()).isEmpty();
        assertThat(request.getFilter().getSerializedSize()).as("no filter").isZero();
        assertThat(request.getDefinitionVersion()).isZero();
        assertThat(request.getCurrency()).isEmpty();
        assertThat(request.hasAsOf()).isFalse();
        assertThat(run.out()).contains("OPEN", "PIPELINE", "EXPECTED", "P10", "P50", "P90", "60,000 USD", "15,000 USD")
                .contains("definition v1, as of -, range: monte carlo");
    }

    @Test
    void groupingAndFiltersAreSentInTheOrderGiven() {
        FakeGateway.Run run = gateway.pql("forecast", "--group-by", "persona,size,owner,month", "--persona",
                "golden_lead,PERSONA_FIZZLER", "--size", "mid,LARGE", "--owner", "dana,eve", "--month", "2025-07",
                "--definition", "2", "--currency", "EUR", "--as-of", "2025-06-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetForecastRequest request = gateway.last("GetForecast", GetForecastRequest.class);
        assertThat(request.getGroupByList()).containsExactly(ForecastDimension.FORECAST_DIMENSION_PERSONA,
                ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE, ForecastDimension.FORECAST_DIMENSION_OWNER,
                ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH);
        assertThat(request.getFilter().getPersonasList()).containsExactly(Persona.PERSONA_GOLDEN_LEAD, Persona.PERSONA_FIZZLER);
        assertThat(request.getFilter().getOpportunitySizesList())
                .containsExactly(OpportunitySize.OPPORTUNITY_SIZE_MID, OpportunitySize.OPPORTUNITY_SIZE_LARGE);
        assertThat(request.getFilter().getOwnersList()).containsExactly("dana", "eve");
        assertThat(request.getFilter().getCloseMonthsList()).containsExactly("2025-07");
        assertThat(request.getDefinitionVersion()).isEqualTo(2);
        assertThat(request.getCurrency()).isEqualTo("EUR");
        assertThat(request.getAsOf()).isEqualTo(Timestamps.parseUnchecked("2025-06-01T00:00:00Z"));
        assertThat(FakeGateway.lines(run.out()).get(0)).matches("PERSONA +SIZE +OWNER +MONTH +OPEN +PIPELINE.*");
        assertThat(run.out()).contains("golden_lead", "mid", "2025-07", "TOTAL");
    }

    @Test
    void dimensionsHaveTheirLongNamesToo() {
        gateway.pql("forecast", "--group-by", "opportunity_size,close_month");

        assertThat(gateway.last("GetForecast", GetForecastRequest.class).getGroupByList()).containsExactly(
                ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE, ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH);
    }

    @Test
    void anUnknownDimensionIsRefusedWithTheChoicesBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("forecast", "--group-by", "persona,colour");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo("--group-by: unknown dimension 'colour'; one of persona, size, owner, month");
        assertThat(gateway.calls("GetForecast")).isZero();
    }

    @Test
    void anUnknownPersonaOrSizeIsAUsageErrorListingTheShortFormsBeforeAnyCall() {
        FakeGateway.Run persona = gateway.pql("forecast", "--persona", "golden");
        FakeGateway.Run size = gateway.pql("forecast", "--size", "huge");

        assertThat(persona.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(persona.err()).get(0)).isEqualTo("--persona: unknown value 'golden'; one of golden_lead, "
                + "silent_success, contrary_converter, positive_procrastinator, fizzler, incompatible_ignoramus, heartbreaker");
        assertThat(persona.err()).doesNotContain("No enum constant");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(size.err()).get(0)).isEqualTo("--size: unknown value 'huge'; one of small, mid, large");
        assertThat(gateway.calls("GetForecast")).isZero();
    }

    @Test
    void csvStreamsEveryLineWithTheSameFilterToStandardOutput() {
        FakeGateway.Run run = gateway.pql("forecast", "--csv", "--persona", "fizzler", "--definition", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        StreamForecastLinesRequest request = gateway.last("StreamForecastLines", StreamForecastLinesRequest.class);
        assertThat(request.getFilter().getPersonasList()).containsExactly(Persona.PERSONA_FIZZLER);
        assertThat(request.getDefinitionVersion()).isEqualTo(2);
        assertThat(gateway.calls("GetForecast")).isZero();
        List<String> lines = FakeGateway.lines(run.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("account_id,account_name,owner");
        assertThat(lines.get(1)).startsWith("acme,ACME,dana");
        assertThat(lines.get(2)).startsWith("globex,GLOBEX,dana");
    }

    @Test
    void csvWithGroupByExportsTheGroupedTableNotTheLines() throws Exception {
        FakeGateway.Run run = gateway.pql("forecast", "--csv", "--group-by", "persona,size", "--as-of", "2026-11-25",
                "--known-at", "2026-11-25T06:00:00Z");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.calls("StreamForecastLines")).isZero();
        assertThat(gateway.last("GetForecast", GetForecastRequest.class).getGroupByList()).containsExactly(
                ForecastDimension.FORECAST_DIMENSION_PERSONA, ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE);
        assertThat(run.out().split("\r\n")).containsExactly(
                "persona,opportunity_size,open_trials,currency,pipeline,expected_revenue,p10,p50,p90,definition_version,as_of,known_at,head_position",
                "golden_lead,mid,3,,60000.00,15000.00,0.00,0.00,0.00,1,2026-11-25T00:00:00Z,2026-11-25T06:00:00Z,7");

        FakeGateway.Run intoDirectory = gateway.pql("forecast", "--csv", "--group-by", "owner", "--as-of", "2026-11-25",
                "--known-at", "2026-11-25T06:00:00Z", "--out", directory.toString());
        Path file = directory.resolve("forecast-by-owner-as-of-2026-11-25T00-00-00Z-known-at-2026-11-25T06-00-00Z.csv");
        assertThat(intoDirectory.out().strip()).isEqualTo("1 forecast groups written to " + file);
        assertThat(Files.readAllLines(file)).containsExactly(
                "owner,open_trials,currency,pipeline,expected_revenue,p10,p50,p90,definition_version,as_of,known_at,head_position",
                "dana,3,,60000.00,15000.00,0.00,0.00,0.00,1,2026-11-25T00:00:00Z,2026-11-25T06:00:00Z,7");
    }

    @Test
    void personasAndSizesTakeEveryShortForm() {
        FakeGateway.Run run = gateway.pql("forecast", "--persona", "golden-lead,SILENT_SUCCESS,persona_fizzler", "--size", "Mid");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ForecastFilter filter = gateway.last("GetForecast", GetForecastRequest.class).getFilter();
        assertThat(filter.getPersonasList()).containsExactly(Persona.PERSONA_GOLDEN_LEAD, Persona.PERSONA_SILENT_SUCCESS,
                Persona.PERSONA_FIZZLER);
        assertThat(filter.getOpportunitySizesList()).containsExactly(OpportunitySize.OPPORTUNITY_SIZE_MID);
    }

    @Test
    void knownAtGoesWithTheForecastAndIsPrinted() {
        FakeGateway.Run run = gateway.pql("forecast", "--as-of", "2026-11-25", "--known-at", "2026-11-25T00:00:00Z",
                "--definition", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetForecastRequest request = gateway.last("GetForecast", GetForecastRequest.class);
        assertThat(request.getAsOf()).isEqualTo(Timestamps.parseUnchecked("2026-11-25T00:00:00Z"));
        assertThat(request.getKnownAt()).isEqualTo(Timestamps.parseUnchecked("2026-11-25T00:00:00Z"));
        assertThat(run.out()).contains("definition v1, as of 2026-11-25", "known at 2026-11-25", "(log position 7)");
    }

    @Test
    void aCsvKnownAtAnInstantIntoADirectoryIsNamedAfterItsInstantsAndEveryLineCarriesThem() throws Exception {
        FakeGateway.Run run = gateway.pql("forecast", "--csv", "--as-of", "2026-11-25", "--known-at", "2026-11-25T06:00:00Z",
                "--out", directory.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path file = directory.resolve("forecast-lines-as-of-2026-11-25T00-00-00Z-known-at-2026-11-25T06-00-00Z.csv");
        assertThat(run.out().strip()).isEqualTo("2 forecast lines written to " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).contains(",as_of,known_at,head_position,");
        assertThat(lines.subList(1, 3)).allSatisfy(line -> assertThat(line).contains(",2026-11-25T00:00:00Z,2026-11-25T06:00:00Z,7,"));
        assertThat(gateway.last("StreamForecastLines", StreamForecastLinesRequest.class).getKnownAt())
                .isEqualTo(Timestamps.parseUnchecked("2026-11-25T06:00:00Z"));
    }

    @Test
    void csvWithOutWritesTheFileAndSaysHowManyLines() throws Exception {
        Path file = directory.resolve("forecast.csv");

        FakeGateway.Run run = gateway.pql("forecast", "--csv", "--out", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("2 forecast lines written to " + file);
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void historyAsksForEachStepAsKnownThenAndPrintsTheChangeBetweenPoints() {
        FakeGateway.Run run = gateway.pql("forecast", "history", "--from", "2025-05-01", "--to", "2025-06-01", "--step", "month",
                "--owner", "dana");

        assertThat(run.exitCode()).as(run.err()).isZero();
        pql.v1.GetForecastHistoryRequest request = gateway.last("GetForecastHistory", pql.v1.GetForecastHistoryRequest.class);
        assertThat(request.getStep()).isEqualTo(pql.v1.Granularity.GRANULARITY_MONTH);
        assertThat(request.getFilter().getOwnersList()).containsExactly("dana");
        assertThat(run.out()).contains("AS OF (AS KNOWN THEN)", "15,000 USD", "18,500 USD", "+3,500");
    }

    @Test
    void theWaterfallListsTheStepsThatMovedWithTheirLargestTrials() {
        FakeGateway.Run run = gateway.pql("forecast", "waterfall", "--from", "2025-05-01", "--to", "2025-06-01", "--accounts", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.last("GetForecastWaterfall", pql.v1.GetForecastWaterfallRequest.class).getAccountsPerStep()).isEqualTo(3);
        assertThat(run.out()).contains("new trial", "+6,500 USD", "initech 6,000 (+1 more)", "closed won", "-3,000 USD")
                .doesNotContain("definition");
    }

    @Test
    void historyAndWaterfallRefuseBadUsageWithExitTwo() {
        assertThat(gateway.pql("forecast", "history").exitCode()).isEqualTo(2);
        FakeGateway.Run step = gateway.pql("forecast", "history", "--from", "2025-05-01", "--step", "fortnight");
        assertThat(step.exitCode()).isEqualTo(2);
        assertThat(step.err()).contains("week, month");
        assertThat(gateway.pql("forecast", "waterfall", "--from", "2025-05-01", "--accounts", "5000").exitCode()).isEqualTo(2);
    }
}
