package pql.allinone.restart;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountScore;
import pql.v1.ClassifyAccountRequest;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.ScoreView;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;
import pql.v1.StreamForecastLinesRequest;

/**
 * What a caller reads from an all-in-one, through its gateway: every account's full score and
 * persona from the live state at a fixed instant after every event ({@code liveAt}: the serving
 * projection itself, the state a restart restores, evaluated at one instant both sides share), the
 * forecast and its lines at that instant, the forecast of "now" (forecast-service's cache, filled from
 * that state: its open trials and pipeline, which the clock does not move), and the forecast at a
 * fixed past {@code as_of} (a replay of the log up to then).
 *
 * <p>Two all-in-ones on the same log must give equal answers, field for field (doubles bit for bit).
 */
record Answers(Map<String, AccountScore> scores, Map<String, String> personas, Forecast liveForecast,
        Forecast forecastAtLiveInstant, List<ForecastLine> liveLines, Forecast pastForecast) {

    private static final long DEADLINE_SECONDS = 60;

    static Answers read(Channel gateway, String key, Instant pastAsOf, Instant liveAt) {
        var credentials = RunningGateway.bearer(key);
        var scoring = ScoringServiceGrpc.newBlockingStub(gateway).withCallCredentials(credentials)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        var forecast = ForecastServiceGrpc.newBlockingStub(gateway).withCallCredentials(credentials)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);

        Map<String, AccountScore> scores = new TreeMap<>();
        Iterator<StreamAccountScoresResponse> chunks = scoring.streamAccountScores(
                StreamAccountScoresRequest.newBuilder().setView(ScoreView.SCORE_VIEW_FULL).setAsOf(timestamp(liveAt)).build());
        chunks.forEachRemaining(chunk -> chunk.getScoresList().forEach(score -> scores.put(score.getAccountId(), score)));

        Map<String, String> personas = new TreeMap<>();
        for (String accountId : scores.keySet()) {
            try {
                personas.put(accountId, forecast.classifyAccount(ClassifyAccountRequest.newBuilder()
                        .setAccountId(accountId).setAsOf(timestamp(liveAt)).build()).toString());
            } catch (StatusRuntimeException e) {
                personas.put(accountId, e.getStatus().getCode() + " " + e.getStatus().getDescription());
            }
        }

        GetForecastRequest byPersona = GetForecastRequest.newBuilder().addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA)
                .build();
        Forecast now = forecast.getForecast(byPersona);
        Forecast live = Forecast.newBuilder().setOpenTrials(now.getOpenTrials()).setPipeline(now.getPipeline())
                .setSkippedNoDealSize(now.getSkippedNoDealSize()).setSkippedOtherCurrency(now.getSkippedOtherCurrency())
                .setDefinitionVersion(now.getDefinitionVersion()).build();
        Forecast atLiveInstant = forecast.getForecast(byPersona.toBuilder().setAsOf(timestamp(liveAt)).build());
        List<ForecastLine> lines = new ArrayList<>();
        forecast.streamForecastLines(StreamForecastLinesRequest.newBuilder().setAsOf(timestamp(liveAt)).build())
                .forEachRemaining(lines::add);
        lines.sort(java.util.Comparator.comparing(ForecastLine::getAccountId));
        Forecast past = forecast.getForecast(byPersona.toBuilder().setAsOf(timestamp(pastAsOf))
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH).build());
        return new Answers(scores, personas, live, atLiveInstant, lines, past);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** What differs from {@code expected}, readably; empty when nothing does. */
    List<String> differencesFrom(Answers expected) {
        List<String> found = new ArrayList<>();
        compareByKey("score", expected.scores, scores, Answers::summary, found);
        compareByKey("persona", expected.personas, personas, s -> s.replace('\n', ' '), found);
        compare("live forecast (open trials, pipeline)", expected.liveForecast, liveForecast, found);
        compare("forecast at the live instant", expected.forecastAtLiveInstant, forecastAtLiveInstant, found);
        Map<String, ForecastLine> expectedLines = new TreeMap<>();
        expected.liveLines.forEach(line -> expectedLines.put(line.getAccountId(), line));
        Map<String, ForecastLine> actualLines = new TreeMap<>();
        liveLines.forEach(line -> actualLines.put(line.getAccountId(), line));
        compareByKey("live forecast line", expectedLines, actualLines, line -> line.getClassification().getPersona()
                + " " + line.getExpectedRevenue().getAmountMicros(), found);
        compare("forecast as of a fixed instant", expected.pastForecast, pastForecast, found);
        return found;
    }

    private static <V> void compareByKey(String what, Map<String, V> expected, Map<String, V> actual,
            java.util.function.Function<V, String> summary, List<String> found) {
        TreeSet<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        int differing = 0;
        List<String> examples = new ArrayList<>();
        for (String id : ids) {
            V want = expected.get(id);
            V got = actual.get(id);
            if (Objects.equals(want, got)) {
                continue;
            }
            differing++;
            if (examples.size() < 3) {
                examples.add(id + ": replay " + (want == null ? "(missing)" : summary.apply(want)) + " | restarted "
                        + (got == null ? "(missing)" : summary.apply(got)));
            }
        }
        if (differing > 0) {
            found.add(what + ": " + differing + " of " + ids.size() + " differ (" + expected.size() + " in the replay, "
                    + actual.size() + " after the restart), e.g. " + String.join("; ", examples));
        }
    }

    private static void compare(String what, Message expected, Message actual, List<String> found) {
        if (!expected.equals(actual)) {
            found.add(what + " differs: replay {" + shortText(expected) + "} | restarted {" + shortText(actual) + "}");
        }
    }

    private static String shortText(Message message) {
        String text = com.google.protobuf.TextFormat.shortDebugString(message);
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static String summary(AccountScore score) {
        return String.format(java.util.Locale.ROOT,
                "v%d activation %s (%s) engagement %s pct %s (%s) communication %s pql %s events %d at %d",
                score.getDefinitionVersion(), score.getActivation().getRate(), score.getActivation().getLevel(),
                score.getEngagement().getScore(), score.getEngagement().getPercentile(), score.getEngagement().getLevel(),
                score.getCommunication().getLevel(), score.getPql().getKindsList(), score.getEventsApplied(),
                score.getLogPosition());
    }
}
