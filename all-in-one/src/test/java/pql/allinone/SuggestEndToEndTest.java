package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.sample.PlantedSignal;
import pql.allinone.support.RunningAllInOne;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionStatus;
import pql.v1.GetRescoreRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.RuleVerdict;
import pql.v1.StartRescoreRequest;
import pql.v1.SuggestDefinitionRequest;
import pql.v1.SuggestDefinitionResponse;

/**
 * Issue #16's discovery through the gateway of the real all-in-one on the generated sample: it finds
 * the planted predictors and no noise, within 5 seconds; and the loop publish → rescore → backtest
 * shows the draft discovered on the earlier closes calls the later ones better (F1) than the preset.
 */
class SuggestEndToEndTest {

    private static final int ACCOUNTS = 2000;

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;
    static Instant now;

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.accounts", Integer.toString(ACCOUNTS)));
        now = Instant.now();
        allInOne.awaitScored(ACCOUNTS, java.time.Duration.ofSeconds(240));
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    private static DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions() {
        return allInOne.stub(DefinitionServiceGrpc::newBlockingStub).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    @Test
    void suggestFindsThePlantedPredictorsAndNoNoiseWithinFiveSeconds() {
        long[] millis = new long[2];
        SuggestDefinitionResponse response = null;
        for (int call = 0; call < 2; call++) {
            long started = System.nanoTime();
            response = definitions().suggestDefinition(SuggestDefinitionRequest.newBuilder()
                    .setFrom(ts(now.minus(Duration.ofDays(365)))).setTo(ts(now.plusSeconds(60))).build());
            millis[call] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
        System.out.printf("suggest through the gateway over %d closed trials: %d ms first call, %d ms second%n",
                response.getTrialsClosed(), millis[0], millis[1]);

        assertThat(millis[1]).as("suggest over the sample, through the gateway, once warm").isLessThan(5_000);
        assertThat(response.getPredictorsList()).extracting(r -> r.getAction())
                .containsAll(PlantedSignal.PREDICTORS.stream().map(PlantedSignal.Predictor::action).toList());
        List<String> noise = new ArrayList<>(PlantedSignal.NOISE_ACTIONS);
        noise.add(PlantedSignal.LOGIN);
        assertThat(response.getRulesList()).filteredOn(r -> noise.contains(r.getAction()))
                .isNotEmpty().noneMatch(r -> r.getVerdict() == RuleVerdict.RULE_VERDICT_PREDICTIVE);
        assertThat(response.getWeightZeroActionsList()).containsAll(noise);
    }

    @Test
    void theDraftFromEarlierClosesBacktestsBetterThanThePresetOnTheLaterOnes() throws Exception {
        // Closed trials close 10-62 days before the sample's end: discover on the earlier half, judge on the later.
        Instant split = now.minus(Duration.ofDays(36));
        SuggestDefinitionResponse suggestion = definitions().suggestDefinition(SuggestDefinitionRequest.newBuilder()
                .setFrom(ts(now.minus(Duration.ofDays(365)))).setTo(ts(split)).build());
        int version = definitions().publishDefinition(PublishDefinitionRequest.newBuilder().setDefinition(suggestion.getDraft()).build())
                .getVersion();
        definitions().startRescore(StartRescoreRequest.newBuilder().setVersion(version).build());
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (definitions().getRescore(GetRescoreRequest.newBuilder().setVersion(version).build()).getStatus()
                != DefinitionStatus.DEFINITION_STATUS_READY) {
            assertThat(System.nanoTime()).as("the rescore caught up within 180 s").isLessThan(giveUp);
            Thread.sleep(500);
        }

        BacktestDefinitionResponse preset = backtest(suggestion.getBasedOnVersion(), split);
        BacktestDefinitionResponse suggested = backtest(version, split);
        System.out.printf("held-out F1 (BacktestDefinition over %d trials): preset %.3f (precision %.3f, recall %.3f),"
                + " suggested %.3f (precision %.3f, recall %.3f)%n", preset.getTrialsClosed(), preset.getF1().getValue(),
                preset.getPrecision().getValue(), preset.getRecall().getValue(), suggested.getF1().getValue(),
                suggested.getPrecision().getValue(), suggested.getRecall().getValue());

        assertThat(suggested.getTrialsClosed()).isEqualTo(preset.getTrialsClosed()).isGreaterThan(200);
        assertThat(suggested.getF1().hasValue()).isTrue();
        assertThat(suggested.getF1().getValue()).isGreaterThan(preset.getF1().getValue());
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsRefusedThroughTheGateway() {
        assertThatThrownBy(() -> definitions().suggestDefinition(SuggestDefinitionRequest.newBuilder()
                .setFrom(ts(now)).setTo(ts(now.minus(Duration.ofDays(1)))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static BacktestDefinitionResponse backtest(int version, Instant from) {
        return definitions().backtestDefinition(BacktestDefinitionRequest.newBuilder().setVersion(version)
                .setFrom(ts(from)).setTo(ts(now.plusSeconds(60))).build());
    }
}
