package pql.forecast.bench;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import pql.forecast.app.Forecasting;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.forecast.domain.revenue.ForecastLine;
import pql.v1.Explanation;
import pql.v1.ForecastServiceGrpc;
import pql.v1.Money;
import pql.v1.PersonaClassification;
import pql.v1.StreamForecastLinesRequest;

/**
 * The line export's baseline: every line built up front (explanations by String.format) into a
 * list, then written without looking at flow control. Same scores and cache as the real service.
 */
final class NaiveLinesService extends ForecastServiceGrpc.ForecastServiceImplBase {

    private final Forecasting forecasting;

    NaiveLinesService(Forecasting forecasting) {
        this.forecasting = forecasting;
    }

    @Override
    public void streamForecastLines(StreamForecastLinesRequest request, StreamObserver<pql.v1.ForecastLine> observer) {
        Forecasting.LineExport export = forecasting.lines(0, null,
                new ForecastFilter(Set.of(), Set.of(), Set.of(), Set.of()), "USD");
        List<pql.v1.ForecastLine> all = new ArrayList<>();
        Iterator<ForecastLine> lines = export.lines();
        while (lines.hasNext()) {
            ForecastLine line = lines.next();
            String text = String.format(Locale.ROOT, "%s: activation %s (%.1f%%), engagement %s (%.1f points), communication %s;"
                            + " odds %.0f%%", line.match().persona(), line.match().levels().activation(),
                    line.account().evidence().activationRate() * 100, line.match().levels().engagement(),
                    line.account().evidence().engagementScore(), line.match().levels().communication(), line.odds().value() * 100);
            all.add(pql.v1.ForecastLine.newBuilder()
                    .setAccountId(line.account().accountId())
                    .setAccountName(line.account().name())
                    .setOwner(line.account().owner())
                    .setCloseMonth(line.account().closeMonth())
                    .setDealSize(Money.newBuilder().setAmountMicros(line.account().dealSizeMicros()).setCurrency("USD"))
                    .setExpectedRevenue(Money.newBuilder().setAmountMicros(line.expectedMicros()).setCurrency("USD"))
                    .setClassification(PersonaClassification.newBuilder().setAccountId(line.account().accountId())
                            .setOdds(line.odds().value()).setExplanation(Explanation.newBuilder().setRule(line.match().kind().rule())
                                    .setText(text)))
                    .build());
        }
        for (pql.v1.ForecastLine line : all) {
            observer.onNext(line);
        }
        observer.onCompleted();
    }
}
