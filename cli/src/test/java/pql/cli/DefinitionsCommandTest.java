package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.CompareForecastRequest;
import pql.v1.DiffRescoreRequest;
import pql.v1.DiscardRescoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.ListDefinitionsRequest;
import pql.v1.ProductComplexity;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.StartRescoreRequest;

/** {@code pql definitions ...}: each subcommand's arguments as asked of the gateway, defaults and bad arguments. */
class DefinitionsCommandTest {

    @TempDir
    Path directory;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void presetDefaultsToTheIntermediateComplexityAndPrintsYaml() {
        FakeGateway.Run run = gateway.pql("definitions", "preset");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.last("GetDefinitionPreset", GetDefinitionPresetRequest.class).getProductComplexity())
                .isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE);
        assertThat(FakeGateway.lines(run.out())).contains("product_complexity: PRODUCT_COMPLEXITY_INTERMEDIATE");
    }

    @Test
    void presetTakesTheComplexityInAnyCase() {
        gateway.pql("definitions", "preset", "COMPLEX");
        assertThat(gateway.last("GetDefinitionPreset", GetDefinitionPresetRequest.class).getProductComplexity())
                .isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX);
        gateway.pql("definitions", "preset", "simple");
        assertThat(gateway.last("GetDefinitionPreset", GetDefinitionPresetRequest.class).getProductComplexity())
                .isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE);
    }

    @Test
    void anUnknownComplexityIsAUsageErrorListingTheChoicesBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("definitions", "preset", "hard");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo("COMPLEXITY: unknown value 'hard'; one of simple, intermediate, complex");
        assertThat(gateway.calls("GetDefinitionPreset")).isZero();
    }

    @Test
    void publishSendsTheFileAndValidateOnlyStoresNothing() throws Exception {
        Path file = directory.resolve("v2.yaml");
        Files.writeString(file, """
                name: v2
                product_complexity: PRODUCT_COMPLEXITY_COMPLEX
                pql:
                  mid_threshold: 0.3
                """);

        FakeGateway.Run published = gateway.pql("definitions", "publish", file.toString());
        PublishDefinitionRequest first = gateway.last("PublishDefinition", PublishDefinitionRequest.class);
        FakeGateway.Run checked = gateway.pql("definitions", "publish", "--validate-only", file.toString());
        PublishDefinitionRequest second = gateway.last("PublishDefinition", PublishDefinitionRequest.class);

        assertThat(published.exitCode()).as(published.err()).isZero();
        assertThat(first.getValidateOnly()).isFalse();
        assertThat(first.getDefinition().getName()).isEqualTo("v2");
        assertThat(first.getDefinition().getProductComplexity()).isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX);
        assertThat(first.getDefinition().getPql().getMidThreshold()).isEqualTo(0.3);
        assertThat(published.out().strip()).isEqualTo(
                "published version 2 (not serving yet: pql definitions rescore 2 --wait, then promote)");
        assertThat(second.getValidateOnly()).isTrue();
        assertThat(checked.out().strip()).isEqualTo("valid");
    }

    @Test
    void publishReadsJsonWithEitherFieldNameStyle() throws Exception {
        Path file = directory.resolve("v2.json");
        Files.writeString(file, "{\"name\": \"json\", \"productComplexity\": \"PRODUCT_COMPLEXITY_SIMPLE\"}");

        FakeGateway.Run run = gateway.pql("definitions", "publish", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.last("PublishDefinition", PublishDefinitionRequest.class).getDefinition().getProductComplexity())
                .isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE);
    }

    @Test
    void publishRefusesAMissingFileOrOneThatIsNotADefinitionBeforeAnyCall() throws Exception {
        Path list = directory.resolve("list.yaml");
        Files.writeString(list, "- a\n- b\n");
        Path unknownField = directory.resolve("unknown.yaml");
        Files.writeString(unknownField, "name: v2\nthreshold: 3\n");

        FakeGateway.Run missing = gateway.pql("definitions", "publish", directory.resolve("none.yaml").toString());
        FakeGateway.Run notAnObject = gateway.pql("definitions", "publish", list.toString());
        FakeGateway.Run notADefinition = gateway.pql("definitions", "publish", unknownField.toString());
        FakeGateway.Run noFile = gateway.pql("definitions", "publish");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("error: no such file: " + directory.resolve("none.yaml"));
        assertThat(notAnObject.exitCode()).isEqualTo(1);
        assertThat(notAnObject.err().strip()).isEqualTo("error: expected a YAML or JSON object");
        assertThat(notADefinition.exitCode()).isEqualTo(1);
        assertThat(notADefinition.err()).startsWith("error: ").contains("threshold");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("Missing required parameter: 'FILE'");
        assertThat(gateway.calls("PublishDefinition")).isZero();
    }

    @Test
    void listReadsEveryPageNewestFirst() {
        FakeGateway.Run run = gateway.pql("definitions", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.requests("ListDefinitions", ListDefinitionsRequest.class))
                .extracting(ListDefinitionsRequest::getPageToken).containsExactly("", "after-2");
        assertThat(gateway.last("ListDefinitions", ListDefinitionsRequest.class).getPageSize()).isEqualTo(500);
        assertThat(FakeGateway.lines(run.out())).hasSize(4);
        assertThat(FakeGateway.lines(run.out()).get(0)).matches("VERSION +STATUS +NAME +COMPLEXITY +PUBLISHED +BY +ACTIVATED");
        assertThat(FakeGateway.lines(run.out()).subList(1, 4)).satisfiesExactly(
                line -> assertThat(line).matches(" +3 +published +v3 +intermediate .*"),
                line -> assertThat(line).matches(" +2 +ready +v2 .*"),
                line -> assertThat(line).matches(" +1 +active +v1 .*"));
    }

    @Test
    void showDefaultsToTheActiveVersion() {
        FakeGateway.Run run = gateway.pql("definitions", "show");
        gateway.pql("definitions", "show", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.requests("GetDefinition", GetDefinitionRequest.class))
                .extracting(GetDefinitionRequest::getVersion).containsExactly(0, 3);
        assertThat(FakeGateway.lines(run.out()).get(0)).isEqualTo("# version 1, active, published - by platform-team");
        assertThat(FakeGateway.lines(run.out())).contains("name: v1");
    }

    @Test
    void aVersionThatIsNotANumberIsAUsageErrorAndAnUnknownOneNotFound() {
        FakeGateway.Run notANumber = gateway.pql("definitions", "show", "latest");
        FakeGateway.Run unknown = gateway.pql("definitions", "show", "404");

        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("'latest' is not an int");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("error: NOT_FOUND: definition version 404 does not exist");
    }

    @Test
    void rescoreStartsAndReturnsAtOnceWithoutWait() {
        FakeGateway.Run run = gateway.pql("definitions", "rescore", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.last("StartRescore", StartRescoreRequest.class).getVersion()).isEqualTo(2);
        assertThat(gateway.calls("GetRescore")).isZero();
        assertThat(run.out().strip()).isEqualTo("rescore v2: replaying 0 / 1,000 events (0%), 0 events/s, eta 0 s");
    }

    @Test
    void rescoreWithWaitPollsUntilReady() {
        gateway.replayingPolls.set(1);

        FakeGateway.Run run = gateway.pql("definitions", "rescore", "2", "--wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.requests("GetRescore", GetRescoreRequest.class)).hasSize(2)
                .allSatisfy(request -> assertThat(request.getVersion()).isEqualTo(2));
        assertThat(FakeGateway.lines(run.out())).containsExactly(
                "rescore v2: replaying 0 / 1,000 events (0%), 0 events/s, eta 0 s",
                "rescore v2: replaying 400 / 1,000 events (40%), 800 events/s, eta 0 s",
                "rescore v2: ready 1,000 / 1,000 events (100%), 2,000 events/s, eta 0 s",
                "version 2 is ready: compare with 'pql definitions diff 2', then promote");
    }

    @Test
    void rescoreWithWaitGivesUpAfterTheTimeoutWithAHint() {
        gateway.replayingPolls.set(1000);

        FakeGateway.Run run = gateway.pql("definitions", "rescore", "2", "--wait", "--timeout", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(FakeGateway.lines(run.out())).last()
                .isEqualTo("still replaying after 0 s; check with: pql definitions status 2");
    }

    @Test
    void theVersionIsRequiredByEveryRescoreStep() {
        for (String step : new String[] {"rescore", "status", "diff", "promote", "discard", "backtest"}) {
            FakeGateway.Run run = gateway.pql("definitions", step);
            assertThat(run.exitCode()).as(step).isEqualTo(2);
            assertThat(run.err()).as(step).contains("Missing required parameter: 'VERSION'");
        }
        assertThat(gateway.calls("StartRescore") + gateway.calls("GetRescore") + gateway.calls("DiffRescore")
                + gateway.calls("PromoteDefinition") + gateway.calls("DiscardRescore") + gateway.calls("BacktestDefinition")).isZero();
    }

    @Test
    void statusPrintsTheProgressOfTheVersion() {
        gateway.replayingPolls.set(1);

        FakeGateway.Run run = gateway.pql("definitions", "status", "7");

        assertThat(gateway.last("GetRescore", GetRescoreRequest.class).getVersion()).isEqualTo(7);
        assertThat(run.out().strip()).isEqualTo("rescore v7: replaying 400 / 1,000 events (40%), 800 events/s, eta 0 s");
    }

    /**
     * Issue #15: the diff listed accounts but not what changed in the definition, repeated unchanged columns and
     * gave the forecast delta only as one total.
     */
    @Test
    void diffShowsTheDefinitionChangesThenOnlyTheChangedColumnsThenTheForecastPerPersonaAndSize() {
        FakeGateway.Run run = gateway.pql("definitions", "diff", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        DiffRescoreRequest diff = gateway.last("DiffRescore", DiffRescoreRequest.class);
        assertThat(diff.getVersion()).isEqualTo(2);
        assertThat(diff.getPageSize()).isEqualTo(20);
        CompareForecastRequest compare = gateway.last("CompareForecast", CompareForecastRequest.class);
        assertThat(compare.getBaselineVersion()).isEqualTo(1);
        assertThat(compare.getCandidateVersion()).isEqualTo(2);
        assertThat(compare.getPageSize()).as("the changed accounts of the same page").isEqualTo(20);
        assertThat(gateway.requests("GetDefinition", GetDefinitionRequest.class)).extracting(GetDefinitionRequest::getVersion)
                .containsExactly(1, 2);
        BacktestDefinitionRequest backtest = gateway.last("BacktestDefinition", BacktestDefinitionRequest.class);
        assertThat(gateway.requests("BacktestDefinition", BacktestDefinitionRequest.class))
                .extracting(BacktestDefinitionRequest::getVersion).containsExactly(1, 2);
        assertThat(FakeGateway.lines(run.out())).containsExactly(
                "backtest over trials closed " + Formats.time(backtest.getFrom()) + " .. " + Formats.time(backtest.getTo())
                        + ": 120 closed, 48 converted",
                "FIGURE                         v1                      v2",
                "PQLs before closing            60                      80",
                "precision              60% (n=60)              55% (n=80)",
                "recall                 75% (n=48)              92% (n=48)",
                "F1                    0.67 (n=60)             0.69 (n=80)",
                "lift                 1.50x (n=60)            1.38x (n=80)",
                "median lead time     9.0 d (n=36)  not enough data (n=12)",
                "definition v1 -> v2: 2 fields changed",
                "  name: v1 -> v2",
                "  pql.mid_threshold: 0.5 -> 0.3",
                "v1 -> v2: 1,200 accounts compared, 1 changed, PQLs gained 1, lost 0",
                "ACCOUNT    PQL        KINDS              PERSONA                 EXPECTED",
                "quiet-mid  no -> yes  - -> criteria_met  fizzler -> golden_lead  0 USD -> 3,000 USD",
                "forecast: expected 15,000 USD -> 18,000 USD (delta 3,000 USD), 4 accounts change persona or expected revenue",
                "PERSONA          BEFORE       AFTER       DELTA",
                "golden_lead  15,000 USD  18,000 USD  +3,000 USD",
                "SIZE      BEFORE       AFTER       DELTA",
                "mid   15,000 USD  18,000 USD  +3,000 USD");
    }

    @Test
    void aDiffLimitOutsideOneToAThousandIsAUsageErrorNotSilentlyChanged() {
        FakeGateway.Run tooMany = gateway.pql("definitions", "diff", "2", "--limit", "5000");
        FakeGateway.Run negative = gateway.pql("definitions", "diff", "2", "--limit", "-3");

        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).startsWith("--limit: must be between 1 and 1,000, was 5000");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(gateway.calls("DiffRescore")).isZero();
        gateway.pql("definitions", "diff", "2", "--limit", "1000");
        assertThat(gateway.last("DiffRescore", DiffRescoreRequest.class).getPageSize()).isEqualTo(1000);
    }

    @Test
    void diffComparesTheForecastsAsOfAndKnownAtTheInstantsAsked() {
        FakeGateway.Run run = gateway.pql("definitions", "diff", "2", "--as-of", "2026-11-25", "--known-at", "2026-11-26T08:00:00Z");

        assertThat(run.exitCode()).as(run.err()).isZero();
        CompareForecastRequest compare = gateway.last("CompareForecast", CompareForecastRequest.class);
        assertThat(compare.getAsOf()).isEqualTo(com.google.protobuf.util.Timestamps.parseUnchecked("2026-11-25T00:00:00Z"));
        assertThat(compare.getKnownAt()).isEqualTo(com.google.protobuf.util.Timestamps.parseUnchecked("2026-11-26T08:00:00Z"));
        assertThat(gateway.requests("GetForecast", pql.v1.GetForecastRequest.class)).hasSize(4).allSatisfy(grouped -> {
            assertThat(grouped.getAsOf()).isEqualTo(compare.getAsOf());
            assertThat(grouped.getKnownAt()).isEqualTo(compare.getKnownAt());
        });
    }

    /** Issue #15: `status 2` before a rescore showed "0 / 0 events (100%)". */
    @Test
    void statusOfAVersionWithoutARescoreSaysWhatItIsAndWhatToDo() {
        assertThat(gateway.pql("definitions", "status", "5").out().strip())
                .isEqualTo("version 5 is published, not rescored yet: pql definitions rescore 5 --wait");
        assertThat(gateway.pql("definitions", "status", "9").out().strip())
                .isEqualTo("version 9 is retired, its projection kept up to date: pql definitions promote 9 rolls back at once");
        assertThat(gateway.pql("definitions", "status", "8").out().strip()).isEqualTo(
                "version 8 is retired and its projection no longer kept: pql definitions promote 8 --rescore rescores it, then promotes");
    }

    /** Issue #15: no rollback ("version 1 has no rescore"); a version no longer kept is rescored on demand with progress. */
    @Test
    void promotingAVersionThatWasNotKeptSaysHowAndRescoreRescoresItFirstWithProgress() {
        FakeGateway.Run refused = gateway.pql("definitions", "promote", "8");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(FakeGateway.lines(refused.err())).containsExactly(
                "error: FAILED_PRECONDITION: version 8 has no rescore; start one first (its projection was not kept since its retirement)",
                "hint: pql definitions promote 8 --rescore (rescores it first, showing progress)");

        gateway.replayingPolls.set(1);
        FakeGateway.Run rolledBack = gateway.pql("definitions", "promote", "8", "--rescore");

        assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
        assertThat(gateway.last("StartRescore", StartRescoreRequest.class).getVersion()).isEqualTo(8);
        assertThat(FakeGateway.lines(rolledBack.out())).containsExactly(
                "rescore v8: replaying 0 / 1,000 events (0%), 0 events/s, eta 0 s",
                "rescore v8: replaying 400 / 1,000 events (40%), 800 events/s, eta 0 s",
                "rescore v8: ready 1,000 / 1,000 events (100%), 2,000 events/s, eta 0 s",
                "version 8 is active");
    }

    @Test
    void promoteWithRescoreOfAKeptVersionPromotesAtOnce() {
        FakeGateway.Run run = gateway.pql("definitions", "promote", "9", "--rescore");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.calls("StartRescore")).isZero();
        assertThat(run.out().strip()).isEqualTo("version 9 is active");
    }

    /** Issue #15: publishing odds that calibration already flags as miscalibrated gave no warning. */
    @Test
    void publishWarnsWhenOddsLieOutsideWhatClosedTrialsShowButStillPublishes() throws Exception {
        Path file = directory.resolve("odds.yaml");
        Files.writeString(file, """
                name: optimistic
                product_complexity: intermediate
                persona_odds:
                  - {persona: golden_lead, odds: 0.9}
                """);
        Path fine = directory.resolve("fine.yaml");
        Files.writeString(fine, "name: fine\nproduct_complexity: intermediate\npersona_odds: [{persona: golden_lead, odds: 0.4}]\n");

        FakeGateway.Run run = gateway.pql("definitions", "publish", file.toString());
        FakeGateway.Run quiet = gateway.pql("definitions", "publish", fine.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(FakeGateway.lines(run.out())).containsExactly(
                "warning: persona_odds[golden_lead]: 90% is outside what closed trials show (7 of 20 converted, 95% interval 18%..57%);"
                        + " calibration suggests 40%",
                "published version 2 (not serving yet: pql definitions rescore 2 --wait, then promote)");
        assertThat(gateway.calls("PublishDefinition")).isEqualTo(2);
        assertThat(quiet.out()).doesNotContain("warning");
    }

    @Test
    void aDefinitionFileWithSeveralMistakesListsThemAllWithLinesBeforeAnyCall() throws Exception {
        Path file = directory.resolve("typos.yaml");
        Files.writeString(file, """
                name: v2
                pql:
                  small_treshold: 0.5
                persona_odds:
                  - {persona: golden, odds: 0.6}
                """);

        FakeGateway.Run run = gateway.pql("definitions", "publish", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(FakeGateway.lines(run.err())).containsExactly("error: 2 problems:",
                "  line 3, column 3: pql.small_treshold: unknown field; did you mean small_threshold?",
                "  line 5, column 15: persona_odds[0].persona: unknown value 'golden'; one of golden_lead, silent_success,"
                        + " contrary_converter, positive_procrastinator, fizzler, incompatible_ignoramus, heartbreaker");
        assertThat(gateway.calls("PublishDefinition")).isZero();
    }

    @Test
    void promoteAndDiscardNameTheVersionAndPrintItsNewStatus() {
        FakeGateway.Run promoted = gateway.pql("definitions", "promote", "2");
        FakeGateway.Run discarded = gateway.pql("definitions", "discard", "3");

        assertThat(gateway.last("PromoteDefinition", PromoteDefinitionRequest.class).getVersion()).isEqualTo(2);
        assertThat(promoted.out().strip()).isEqualTo("version 2 is active");
        assertThat(gateway.last("DiscardRescore", DiscardRescoreRequest.class).getVersion()).isEqualTo(3);
        assertThat(discarded.out().strip()).isEqualTo("version 3 is published");
    }

    @Test
    void anUnknownStepIsAUsageError() {
        FakeGateway.Run run = gateway.pql("definitions", "activate", "2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'activate'");
    }

    @Test
    void suggestPrintsThePublishableDraftWithAWhyCommentPerEntryAndTheSummaryOnStderr() throws Exception {
        FakeGateway.Run run = gateway.pql("definitions", "suggest", "--from", "2026-01-01", "--fdr", "0.1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        pql.v1.SuggestDefinitionRequest asked = gateway.last("SuggestDefinition", pql.v1.SuggestDefinitionRequest.class);
        assertThat(asked.getFrom().getSeconds()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
        assertThat(asked.getTo().getSeconds()).isCloseTo(java.time.Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(asked.getFalseDiscoveryRate()).isEqualTo(0.1);
        List<String> lines = FakeGateway.lines(run.out());
        assertThat(lines).contains("  - key: api_key_created  # lift 2.90", "  - key: sso_configured  # lift 2.10",
                "  - action: api_key_created", "  - action: help_article_viewed  # predicts nothing",
                "  - action: workflow_automated  # lift 4.00", "  - login");
        // What is printed is what publish reads: the comments are only comments.
        pql.v1.ScoringDefinition.Builder parsed = pql.v1.ScoringDefinition.newBuilder();
        Formats.parseYamlOrJson(run.out(), parsed);
        assertThat(parsed.getActivation().getStepsCount()).isEqualTo(2);
        assertThat(parsed.getPql().getTriggers(0).getWithinDays()).isEqualTo(7);
        assertThat(parsed.getEngagement().getWeights(0).getWeight()).isEqualTo(2.9);
        assertThat(run.err()).contains("400 trials closed", "130 converted (33%)", "api_key_created >= 1", "lift  2.90",
                "engagement weight 0 candidates): help_article_viewed");
    }

    @Test
    void suggestRefusesAFalseDiscoveryRateOutsideZeroToOneBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("definitions", "suggest", "--fdr", "1.5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--fdr");
        assertThat(gateway.calls("SuggestDefinition")).isZero();
    }

    @Test
    void backtestAsksForTheLastNinetyDaysUpToNowByDefaultAndPrintsEachFigureWithItsSample() {
        long before = java.time.Instant.now().getEpochSecond();

        FakeGateway.Run run = gateway.pql("definitions", "backtest", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        BacktestDefinitionRequest request = gateway.last("BacktestDefinition", BacktestDefinitionRequest.class);
        assertThat(request.getVersion()).isZero();
        assertThat(request.getTo().getSeconds()).isBetween(before, java.time.Instant.now().getEpochSecond());
        assertThat(request.getTo().getSeconds() - request.getFrom().getSeconds()).isEqualTo(90 * 86_400);
        List<String> lines = FakeGateway.lines(run.out());
        assertThat(lines.get(0)).startsWith("backtest of v1: trials closed ").endsWith("(log position 180,357)");
        assertThat(lines.subList(1, lines.size())).containsSubsequence(
                "120 trials closed, 48 converted (base rate 40% (n=120)); 60 were PQLs before closing",
                "FIGURE            VALUE    N",
                "precision           60%   60",
                "recall              75%   48",
                "F1                 0.67   60",
                "lift              1.50x   60",
                "median lead time  9.0 d   36",
                "Brier score       0.180  120",
                "PERSONA       ODDS  CLOSED  CONVERTED         OBSERVED  95% INTERVAL  BRIER",
                "golden_lead    90%      30         24              80%  63%..91%      0.170",
                "heartbreaker    5%      25         10              40%  23%..59%      0.364            odds outside the interval",
                "fizzler        10%       5          0  not enough data                not enough data",
                "N: the observations a figure rests on; under 20 it is not enough data",
                "method: method");
    }

    @Test
    void backtestTakesThePeriodAndPrintsJson() throws Exception {
        FakeGateway.Run run = gateway.pql("definitions", "backtest", "2", "--from", "2026-09-01", "--to", "2026-12-01", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        BacktestDefinitionRequest request = gateway.last("BacktestDefinition", BacktestDefinitionRequest.class);
        assertThat(request.getVersion()).isEqualTo(2);
        assertThat(Formats.time(request.getFrom())).isEqualTo("2026-09-01T00:00:00Z");
        assertThat(Formats.time(request.getTo())).isEqualTo("2026-12-01T00:00:00Z");
        pql.v1.BacktestDefinitionResponse.Builder parsed = pql.v1.BacktestDefinitionResponse.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(run.out(), parsed);
        assertThat(parsed.getMedianLeadTimeSeconds().getState())
                .isEqualTo(pql.v1.BacktestFigureState.BACKTEST_FIGURE_STATE_NOT_ENOUGH_DATA);
        assertThat(parsed.getMedianLeadTimeSeconds().hasValue()).isFalse();
        assertThat(parsed.getPrecision().getValue()).isEqualTo(0.55);
    }

    @Test
    void aBadBacktestDateIsAUsageErrorBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("definitions", "backtest", "1", "--from", "last spring");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'last spring' is not a date or instant");
        assertThat(gateway.calls("BacktestDefinition")).isZero();
    }
}
