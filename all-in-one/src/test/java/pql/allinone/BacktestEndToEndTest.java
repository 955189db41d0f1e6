package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.common.grpc.GrpcErrors;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountScore;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ListAccountScoresRequest;
import pql.v1.OutcomeKind;
import pql.v1.Persona;
import pql.v1.PersonaBacktest;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #16's backtest through the gateway of the real all-in-one on the generated sample: the trials
 * it judges, their conversions and personas agree with the closed outcomes every account's score shows,
 * its PQLs with their qualified_at, it answers within 5 seconds, and a bad period is refused.
 */
class BacktestEndToEndTest {

    private static final int ACCOUNTS = 400;

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.accounts", Integer.toString(ACCOUNTS)));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                if (scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1).build())
                        .getTotalSize() >= ACCOUNTS) {
                    break;
                }
            } catch (StatusRuntimeException notYet) {
                // UNAVAILABLE while scoring catches up
            }
            assertThat(System.nanoTime()).as("the sample scored within 90 s").isLessThan(giveUp);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    private static ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return ScoringServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(RunningGateway.bearer(allInOne.localKey()))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions() {
        return DefinitionServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    @Test
    void theBacktestOfTheActiveVersionAgreesWithTheClosedOutcomesOfEveryAccountAndAnswersWithinFiveSeconds() {
        Instant now = Instant.now();
        List<AccountScore> scores = scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1000).build())
                .getScoresList();
        assertThat(scores).hasSize(ACCOUNTS);

        long started = System.nanoTime();
        BacktestDefinitionResponse backtest = definitions().backtestDefinition(BacktestDefinitionRequest.newBuilder()
                .setFrom(ts(now.minus(Duration.ofDays(365)))).setTo(ts(now.plusSeconds(60))).build());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(millis).as("backtest over the sample, through the gateway").isLessThan(5_000);
        // the sample closes each trial once: LOST, or CONVERTED (some churned later, still a conversion)
        long closed = scores.stream().filter(AccountScore::hasOutcome).count();
        long converted = scores.stream().filter(s -> s.hasOutcome() && s.getOutcome().getKind() != OutcomeKind.OUTCOME_KIND_LOST).count();
        assertThat(backtest.getVersion()).isEqualTo(1);
        assertThat(backtest.getTrialsClosed()).isEqualTo(closed).isGreaterThan(100);
        assertThat(backtest.getTrialsConverted()).isEqualTo(converted);
        // a PQL qualified before its trial closed; a churned customer's close (its conversion) is not on its score,
        // so those bound the count from above only
        long pqlsNotChurned = scores.stream().filter(s -> s.hasOutcome()
                && s.getOutcome().getKind() != OutcomeKind.OUTCOME_KIND_CHURNED && qualifiedBefore(s, s.getOutcome().getAt())).count();
        long churnedQualified = scores.stream().filter(s -> s.hasOutcome()
                && s.getOutcome().getKind() == OutcomeKind.OUTCOME_KIND_CHURNED && qualifiedBefore(s, s.getOutcome().getAt())).count();
        assertThat(backtest.getPqls()).isBetween(pqlsNotChurned, pqlsNotChurned + churnedQualified);
        assertThat(backtest.getPrecision().getSampleSize()).isEqualTo(backtest.getPqls());

        Map<Persona, long[]> expected = new EnumMap<>(Persona.class);
        for (AccountScore score : scores) {
            if (score.hasOutcome() && score.getOutcome().getPersona() != Persona.PERSONA_UNSPECIFIED) {
                long[] counts = expected.computeIfAbsent(score.getOutcome().getPersona(), p -> new long[2]);
                counts[0]++;
                counts[1] += score.getOutcome().getKind() == OutcomeKind.OUTCOME_KIND_LOST ? 0 : 1;
            }
        }
        for (PersonaBacktest persona : backtest.getPersonasList()) {
            long[] counts = expected.getOrDefault(persona.getPersona(), new long[2]);
            assertThat(persona.getTrialsClosed()).as(persona.getPersona().name()).isEqualTo(counts[0]);
            assertThat(persona.getTrialsConverted()).as(persona.getPersona().name()).isEqualTo(counts[1]);
        }
        assertThat(backtest.getPersonasList()).as("the sample's personas convert at different rates")
                .anySatisfy(p -> assertThat(p.hasIntervalLow()).isTrue());
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsRefusedThroughTheGateway() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> definitions().backtestDefinition(BacktestDefinitionRequest.newBuilder()
                .setFrom(ts(now)).setTo(ts(now.minus(Duration.ofDays(1)))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.errorInfoOf(e).orElseThrow().getReason()).isEqualTo(GrpcErrors.BAD_REQUEST);
                    assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).containsExactly("to");
                });
        assertThatThrownBy(() -> definitions().backtestDefinition(BacktestDefinitionRequest.newBuilder()
                .setVersion(77).setFrom(ts(now.minus(Duration.ofDays(1)))).setTo(ts(now)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private static boolean qualifiedBefore(AccountScore score, Timestamp closedAt) {
        Timestamp qualified = score.getPql().getQualifiedAt();
        return score.getPql().hasQualifiedAt() && (qualified.getSeconds() < closedAt.getSeconds()
                || qualified.getSeconds() == closedAt.getSeconds() && qualified.getNanos() < closedAt.getNanos());
    }
}
